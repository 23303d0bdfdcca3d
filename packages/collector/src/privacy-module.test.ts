import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { silentLogger } from './services/log.js';
import { privacyStoreOf } from './storage/privacy-store-of.js';
import type { PrivacyStore } from './storage/privacy-types.js';
import { createSqliteStore } from './storage/sqlite/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const ADMIN = { Authorization: 'Bearer admin-secret' };

async function setup({ requireConsent = false } = {}) {
  const store = createSqliteStore({ path: ':memory:' });
  const key = (await store.createKey({ origins: ['*'], requireConsent })).key;
  const collector = createApp({ store, logger: silentLogger, config: { adminToken: 'admin-secret' } });
  closers.push(async () => {
    await collector.drain();
    await store.close();
  });
  let n = 0;
  const event = (anonymousId: string, analytics?: boolean) => ({
    type: 'track',
    event: 'Product Viewed',
    messageId: `m-${++n}`,
    anonymousId,
    timestamp: '2026-03-01T12:00:00.000Z',
    ...(analytics === undefined ? {} : { context: { consent: { categories: { analytics } } } }),
  });
  const send = async (events: unknown[]) => {
    const response = await collector.app.request('/v1/batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ writeKey: key, batch: events }),
    });
    return (await response.json()) as { accepted: number; rejected: { index: number; message: string }[] };
  };
  const admin = (path: string, method = 'GET') => collector.app.request(path, { method, headers: ADMIN });
  return { store, privacy: privacyStoreOf(store) as PrivacyStore, key, collector, event, send, admin };
}

describe('a key created with --require-consent', () => {
  it('stores only events with analytics consent and counts the others as no_consent', async () => {
    const { send, event, store, collector } = await setup({ requireConsent: true });
    const result = await send([event('a', true), event('a', false), event('a'), event('b', true)]);
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(await store.countEvents()).toBe(2);
    expect(collector.metrics.eventCount('no_consent')).toBe(2);
    const metrics = await (await collector.app.request('/metrics')).text();
    expect(metrics).toMatch(/no_consent"?\}? 2/);
  });

  it('keeps nothing about a refused event, not even in quarantine', async () => {
    const { send, event, store } = await setup({ requireConsent: true });
    await send([event('a', false)]);
    expect(await store.countQuarantine()).toBe(0);
  });

  it('leaves a key without the flag accepting events with no consent context', async () => {
    const { send, event } = await setup();
    expect((await send([event('a')])).accepted).toBe(1);
  });
});

describe('erasure', () => {
  it('suppresses the erased id: later events are not stored, and are counted', async () => {
    const { send, event, admin, store, collector } = await setup();
    await send([event('gone'), event('kept')]);
    await collector.drain();
    expect((await admin('/v1/admin/users/gone', 'DELETE')).status).toBe(200);
    const after = await send([event('gone'), event('kept')]);
    expect(after.accepted).toBe(1);
    expect(after.rejected).toEqual([{ index: 0, path: 'anonymousId', message: expect.stringMatching(/erased/) }]);
    expect((await store.eventsForIds(['gone'])).length).toBe(0);
    expect(collector.metrics.eventCount('suppressed')).toBe(1);
  });

  it('suppresses ids linked to the erased one, and keeps only digests of them', async () => {
    const { send, admin, privacy, collector } = await setup();
    await send([
      {
        type: 'identify',
        messageId: 'i-1',
        anonymousId: 'device-1',
        userId: 'user-1',
        timestamp: '2026-03-01T12:00:00.000Z',
      },
    ]);
    await collector.drain();
    await admin('/v1/admin/users/user-1', 'DELETE');
    const list = await privacy.listSuppressed();
    expect(list).toHaveLength(2);
    expect(list.join()).not.toMatch(/device-1|user-1/);
  });

  it('keeps the proof of consent but removes the clear-text id from it', async () => {
    const { collector, key, admin, privacy } = await setup();
    const posted = await collector.app.request('/v1/consent', {
      method: 'POST',
      body: JSON.stringify({
        writeKey: key,
        anonymousId: 'gone',
        categories: { analytics: true },
        source: 'banner',
        policyVersion: '1',
        timestamp: '2026-03-01T12:00:00Z',
      }),
    });
    const { id } = (await posted.json()) as { id: string };
    const report = (await (await admin('/v1/admin/users/gone', 'DELETE')).json()) as {
      deleted: Record<string, number>;
    };
    expect(report.deleted).toMatchObject({ consentRecords: 1, suppression: 1 });
    const kept = await privacy.consentRecordById(id);
    expect(kept?.anonymousId).toBeNull();
    const exported = (await (await admin('/v1/admin/users/gone/export')).json()) as {
      consentRecords: unknown[];
      suppression: unknown;
    };
    expect(exported.consentRecords).toHaveLength(1);
    expect(exported.suppression).toEqual({ suppressed: true });
    expect((await admin('/v1/admin/consent/verify')).status).toBe(200);
  });
});

describe('GET /v1/admin/audit', () => {
  it('lists admin access: export, erasure, consent verification, the audit read itself, and refused attempts', async () => {
    const { admin, collector } = await setup();
    await admin('/v1/admin/users/someone/export');
    await admin('/v1/admin/users/someone', 'DELETE');
    await admin('/v1/admin/consent/verify');
    await collector.app.request('/v1/admin/keys', { headers: { Authorization: 'Bearer wrong' } });
    await admin('/v1/admin/audit');
    const { entries } = (await (await admin('/v1/admin/audit')).json()) as {
      entries: { action: string; subject: string; actor: string; detail?: Record<string, unknown> }[];
    };
    const seen = entries.map((e) => `${e.action} ${e.subject}`).reverse();
    expect(seen).toEqual([
      'user.export someone',
      'admin.access /v1/admin/users/someone/export',
      'user.erase someone',
      'admin.access /v1/admin/users/someone',
      'consent.verify consent_records',
      'admin.access /v1/admin/consent/verify',
      'admin.refused /v1/admin/keys',
      'admin.access /v1/admin/audit',
    ]);
    expect(entries.find((e) => e.action === 'admin.refused')?.actor).toBe('unauthenticated');
    expect(entries.find((e) => e.subject === '/v1/admin/users/someone')?.detail).toEqual({
      method: 'DELETE',
      status: 200,
    });
  });

  it('never records the query string, where a token may travel', async () => {
    const { collector, store } = await setup();
    await collector.app.request('/v1/admin/keys?token=admin-secret');
    expect(JSON.stringify(await store.listAudit())).not.toContain('admin-secret');
  });
});

describe('POST /v1/count', () => {
  it('counts an anonymous page view for a key with cookieless measurement on', async () => {
    const { collector, key, privacy, admin } = await setup();
    await privacy.setKeyPrivacy(key, { cookieless: true });
    const response = await collector.app.request('/v1/count', {
      method: 'POST',
      body: JSON.stringify({ writeKey: key, path: '/shoes?q=1' }),
    });
    expect(response.status).toBe(204);
    const today = new Date().toISOString().slice(0, 10);
    const counts = (await (await admin(`/v1/admin/cookieless?key=${key}`)).json()) as { counts: unknown[] };
    expect(counts.counts).toEqual([{ day: today, path: '/shoes', pageviews: 1, visitors: 1 }]);
  });

  it('refuses counts for a key without it (the default)', async () => {
    const { collector, key } = await setup();
    const response = await collector.app.request('/v1/count', {
      method: 'POST',
      body: JSON.stringify({ writeKey: key, path: '/' }),
    });
    expect(response.status).toBe(403);
  });
});

describe('a store without privacy tables', () => {
  it('answers 501 on /v1/consent instead of pretending to keep proof', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    closers.push(() => store.close());
    const collector = createApp({ store, privacyStore: null, logger: silentLogger });
    const response = await collector.app.request('/v1/consent', { method: 'POST', body: '{}' });
    expect(response.status).toBe(501);
  });
});
