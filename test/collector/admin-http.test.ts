import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countEvents, newMessageId, startTestCollector, type TestCollector, trackEvent } from './harness.js';

const TOKEN = 'admin-secret-for-tests';
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ adminToken: TOKEN });
});
afterAll(async () => {
  await c?.close();
});

function admin(path: string, init: RequestInit = {}, token: string | null = TOKEN): Promise<Response> {
  return fetch(`${c.url}/v1/admin${path}`, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
}

interface ExportBody {
  id: string;
  linkedIds: string[];
  events: { messageId: string; anonymousId: string | null; userId: string | null }[];
}

interface AuditBody {
  entries: { action: string; subject: string; actor: string; detail?: Record<string, unknown> }[];
}

/** One person on two devices joined by identify and a later logged-in event, an alias, and a stranger. */
async function seedPerson(tag: string) {
  const ids = {
    phone: `${tag}-anon-phone`,
    laptop: `${tag}-anon-laptop`,
    user: `${tag}-user`,
    renamed: `${tag}-user-v2`,
    stranger: `${tag}-anon-stranger`,
  };
  const events = [
    trackEvent({ anonymousId: ids.phone }),
    {
      type: 'identify',
      messageId: newMessageId('id'),
      anonymousId: ids.phone,
      userId: ids.user,
      traits: { email: 'p@example.com' },
    },
    trackEvent({ anonymousId: ids.laptop }),
    trackEvent({ anonymousId: ids.laptop, userId: ids.user }),
    { type: 'alias', messageId: newMessageId('alias'), previousId: ids.user, userId: ids.renamed },
    trackEvent({ userId: ids.renamed, anonymousId: undefined }),
    trackEvent({ anonymousId: ids.stranger }),
  ];
  const res = await c.post('/v1/batch', { batch: events });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { accepted: number }).accepted).toBe(events.length);
  return { ids, events };
}

describe('admin authentication', () => {
  it('answers 401 without a token', async () => {
    expect((await admin('/users/x/export', {}, null)).status).toBe(401);
    expect((await admin('/users/x', { method: 'DELETE' }, null)).status).toBe(401);
  });

  it('answers 401 with a wrong token, including one that shares the prefix', async () => {
    for (const token of ['wrong', `${TOKEN}x`, TOKEN.slice(0, -1), c.key.key]) {
      expect((await admin('/users/x/export', {}, token)).status, token).toBe(401);
    }
    expect((await admin('/users/x/export', { headers: { Authorization: `Basic ${TOKEN}` } }, null)).status).toBe(401);
  });

  it('keeps the admin API shut when no token is configured', async () => {
    const closed = await startTestCollector();
    try {
      const res = await fetch(`${closed.url}/v1/admin/users/x/export`, {
        headers: { Authorization: 'Bearer anything' },
      });
      expect(res.status).toBe(401);
    } finally {
      await closed.close();
    }
  });
});

describe('export', () => {
  it('returns the events of every id joined to the requested one, and nobody else', async () => {
    const { ids, events } = await seedPerson('exp');
    const res = await admin(`/users/${encodeURIComponent(ids.phone)}/export`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ExportBody;
    expect(body.id).toBe(ids.phone);
    expect(body.linkedIds.sort()).toEqual([ids.laptop, ids.phone, ids.renamed, ids.user].sort());
    const personal = events.slice(0, 6).map((e) => e.messageId as string);
    expect(body.events.map((e) => e.messageId).sort()).toEqual([...personal].sort());
    const byUser = (await (await admin(`/users/${encodeURIComponent(ids.renamed)}/export`)).json()) as ExportBody;
    expect(byUser.events.map((e) => e.messageId).sort()).toEqual([...personal].sort());
  });

  it('returns an empty export for an unknown id', async () => {
    const body = (await (await admin('/users/nobody-here/export')).json()) as ExportBody;
    expect(body.linkedIds).toEqual(['nobody-here']);
    expect(body.events).toEqual([]);
  });
});

describe('erasure', () => {
  it('deletes the events and identity links of every joined id, leaves others, and audits export and erasure', async () => {
    const { ids, events } = await seedPerson('del');
    const total = countEvents(c.db);
    await admin(`/users/${encodeURIComponent(ids.user)}/export`);
    const res = await admin(`/users/${encodeURIComponent(ids.user)}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { deleted: Record<string, number>; linkedIds: string[] };
    expect(report.deleted.events).toBe(6);
    expect(report.deleted.identityLinks).toBe(3);
    expect(countEvents(c.db)).toBe(total - 6);

    for (const id of [ids.phone, ids.laptop, ids.user, ids.renamed]) {
      const after = (await (await admin(`/users/${encodeURIComponent(id)}/export`)).json()) as ExportBody;
      expect(after.events, id).toEqual([]);
      expect(after.linkedIds, id).toEqual([id]);
    }
    const links = c.db
      .prepare('SELECT count(*) AS n FROM identity_links WHERE anonymous_id IN (?, ?, ?) OR user_id IN (?, ?)')
      .get(ids.phone, ids.laptop, ids.user, ids.user, ids.renamed) as { n: number };
    expect(links.n).toBe(0);
    const stranger = (await (await admin(`/users/${encodeURIComponent(ids.stranger)}/export`)).json()) as ExportBody;
    expect(stranger.events.map((e) => e.messageId)).toEqual([events[6]?.messageId]);

    const audit = (await (await admin('/audit')).json()) as AuditBody;
    const mine = audit.entries.filter((e) => e.subject === ids.user);
    expect(mine.map((e) => e.action)).toEqual(expect.arrayContaining(['user.export', 'user.erase']));
    const erase = mine.find((e) => e.action === 'user.erase');
    expect(erase?.detail).toMatchObject({ events: 6, identityLinks: 3 });
    expect(erase?.actor).not.toContain(TOKEN);
    expect(JSON.stringify(audit)).not.toContain('p@example.com');
  });

  it('answers an erasure of an unknown id with nothing deleted, and audits it', async () => {
    const res = await admin('/users/never-seen', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { deleted: { events: number } }).deleted.events).toBe(0);
    const audit = (await (await admin('/audit')).json()) as AuditBody;
    expect(audit.entries.some((e) => e.action === 'user.erase' && e.subject === 'never-seen')).toBe(true);
  });

  it('treats ids with SQL or path characters as plain ids', async () => {
    const weird = "x' OR '1'='1";
    const total = countEvents(c.db);
    const res = await admin(`/users/${encodeURIComponent(weird)}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(countEvents(c.db)).toBe(total);
  });
});
