import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMessageId, SHOP, startTestCollector, type TestCollector, trackEvent } from './harness.js';

const TOKEN = 'admin-secret-for-erase-tests';
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ adminToken: TOKEN });
});
afterAll(async () => {
  await c?.close();
});

const exported = async (id: string) =>
  (await (
    await fetch(`${c.url}/v1/admin/users/${id}/export`, { headers: { Authorization: `Bearer ${TOKEN}` } })
  ).json()) as {
    events: { anonymousId: string | null; userId: string | null }[];
  };

const erase = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${c.url}/v1/erase`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body: JSON.stringify(body),
  });

describe('POST /v1/erase (eraseOnRevoke)', () => {
  it("erases the browser's own events and suppresses its later ones, and leaves the user's other devices alone", async () => {
    const tag = `erase-${Date.now()}`;
    const browser = `${tag}-browser`;
    const laptop = `${tag}-laptop`;
    const user = `${tag}-user`;
    const res = await c.post('/v1/batch', {
      batch: [
        trackEvent({ anonymousId: browser }),
        { type: 'identify', messageId: newMessageId('id'), anonymousId: browser, userId: user },
        trackEvent({ anonymousId: laptop, userId: user }),
      ],
    });
    expect(res.status).toBe(200);
    expect((await exported(user)).events).toHaveLength(3);

    const answer = await erase({ writeKey: c.key.key, anonymousId: browser }, { origin: SHOP });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(((await answer.json()) as { deleted: { events: number } }).deleted.events).toBe(2);

    expect((await exported(browser)).events).toEqual([]);
    const left = (await exported(user)).events;
    expect(left.map((e) => e.anonymousId)).toEqual([laptop]);

    const later = await c.post('/v1/batch', { batch: [trackEvent({ anonymousId: browser })] });
    const body = (await later.json()) as { accepted: number; rejected: { message: string }[] };
    expect(body.accepted).toBe(0);
    expect(body.rejected[0]?.message).toMatch(/erased/);

    const audit = (await (
      await fetch(`${c.url}/v1/admin/audit`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    ).json()) as {
      entries: { action: string; subject: string }[];
    };
    expect(audit.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'anonymous.erase', subject: browser })]),
    );
  });

  it('answers 401 without a write key, 403 from an origin the key does not allow, 400 without an anonymous id', async () => {
    expect((await erase({ anonymousId: 'a' })).status).toBe(401);
    expect((await erase({ writeKey: c.key.key, anonymousId: 'a' }, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    const bad = await erase({ writeKey: c.key.key, anonymousId: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_anonymous_id');
  });

  it('lets a cross-origin page read Retry-After', async () => {
    const res = await erase({ writeKey: c.key.key, anonymousId: 'x' }, { origin: SHOP });
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });
});
