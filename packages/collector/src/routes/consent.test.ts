import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { silentLogger } from '../services/log.js';
import { privacyStoreOf } from '../storage/privacy-store-of.js';
import type { PrivacyStore } from '../storage/privacy-types.js';
import { createSqliteStore } from '../storage/sqlite/index.js';

const ORIGIN = 'https://shop.example';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup() {
  const store = createSqliteStore({ path: ':memory:' });
  closers.push(() => store.close());
  const key = await store.createKey({ origins: [ORIGIN] });
  const collector = createApp({
    store,
    clock: () => new Date('2026-03-01T12:00:00.000Z'),
    logger: silentLogger,
    config: { trustProxy: true, adminToken: 'admin-secret' },
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    collector.app.request('/v1/consent', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'X-Forwarded-For': '203.0.113.77', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { store, privacy: privacyStoreOf(store) as PrivacyStore, key: key.key, collector, post };
}

const decision = (overrides: Record<string, unknown> = {}) => ({
  anonymousId: 'anon-1',
  categories: { analytics: true, personalization: true, marketing: false },
  source: 'banner',
  reason: 'grant',
  policyVersion: '2026-03',
  bannerHash: 'sha256-abcdefgh',
  language: 'fr-FR',
  signals: [{ name: 'dnt', value: '1' }],
  timestamp: '2026-03-01T11:59:58.000Z',
  ...overrides,
});

describe('POST /v1/consent', () => {
  it('appends each decision to a hash chain, each record carrying the hash of the one before', async () => {
    const { post, key, privacy } = await setup();
    const first = await post(decision({ writeKey: key }));
    const second = await post(decision({ writeKey: key, reason: 'revoke', categories: {} }));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const a = (await first.json()) as { seq: number; hash: string };
    const rows: { seq: number; prevHash: string; hash: string }[] = [];
    for await (const page of privacy.scanConsentRecords()) rows.push(...page);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(rows[0]?.prevHash).toBe('0'.repeat(64));
    expect(rows[1]?.prevHash).toBe(a.hash);
  });

  it('keeps what proves the decision: categories, source, policy, banner hash, language, signals, both times, a truncated IP', async () => {
    const { post, key, privacy } = await setup();
    const response = await post(decision({ writeKey: key }), {
      'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131',
    });
    const { id } = (await response.json()) as { id: string };
    const row = await privacy.consentRecordById(id);
    expect(row?.anonymousId).toBe('anon-1');
    expect(JSON.parse(row?.body ?? '{}')).toMatchObject({
      categories: { necessary: true, analytics: true, personalization: true, marketing: false },
      source: 'banner',
      reason: 'grant',
      policyVersion: '2026-03',
      bannerHash: 'sha256-abcdefgh',
      language: 'fr-FR',
      signals: [{ name: 'dnt', value: '1' }],
      clientTime: '2026-03-01T11:59:58.000Z',
      serverTime: '2026-03-01T12:00:00.000Z',
      ip: '203.0.113.0',
    });
    expect(row?.body).not.toContain('Mozilla');
    expect(row?.body).not.toContain('anon-1');
  });

  it('takes the write key as Basic auth and a text/plain body (sendBeacon)', async () => {
    const { collector, key } = await setup();
    const response = await collector.app.request('/v1/consent', {
      method: 'POST',
      headers: {
        'Content-Type': 'text/plain;charset=UTF-8',
        Authorization: `Basic ${btoa(`${key}:`)}`,
        Origin: ORIGIN,
      },
      body: JSON.stringify(decision()),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('refuses a missing or unknown key (401) and an origin the key does not allow (403)', async () => {
    const { post, key } = await setup();
    expect((await post(decision())).status).toBe(401);
    expect((await post(decision({ writeKey: 'wk_nope' }))).status).toBe(401);
    expect((await post(decision({ writeKey: key }), { Origin: 'https://evil.example' })).status).toBe(403);
  });

  it('answers 400 with the failing field for a malformed record, and never stores it', async () => {
    const { post, key, privacy } = await setup();
    const bad = await post(decision({ writeKey: key, source: 'scroll' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^source/);
    expect((await post('{not json', {})).status).toBe(400);
    expect((await post(decision({ writeKey: key, timestamp: 'yesterday' }))).status).toBe(400);
    expect(await privacy.consentChainTip()).toBeNull();
  });

  it('stores a retried record id once', async () => {
    const { post, key } = await setup();
    const body = decision({ writeKey: key, recordId: 'rec_0123456789' });
    expect((await post(body)).status).toBe(201);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: 'rec_0123456789', seq: 1, duplicate: true });
  });

  it('applies the GPC policy when the request carries Sec-GPC: 1, and records why', async () => {
    const { post, key, privacy, collector } = await setup();
    const response = await post(
      decision({ writeKey: key, categories: { analytics: true, personalization: true, marketing: true } }),
      {
        'Sec-GPC': '1',
      },
    );
    const body = (await response.json()) as { id: string; effective: Record<string, boolean> };
    expect(body.effective).toEqual({ necessary: true, analytics: true, personalization: false, marketing: false });
    const stored = JSON.parse((await privacy.consentRecordById(body.id))?.body ?? '{}') as {
      signals: unknown[];
      categories: unknown;
    };
    expect(stored.categories).toMatchObject({ personalization: true, marketing: true });
    expect(stored.signals).toContainEqual({
      name: 'gpc-header',
      value: '1',
      effect: 'marketing, personalization off because Sec-GPC: 1',
    });
    expect(await collector.privacy.records?.current(key, 'anon-1')).toMatchObject({ personalization: false });
  });

  it("lists the records in the subject's export, under every linked id", async () => {
    const { post, key, collector } = await setup();
    await post(decision({ writeKey: key }));
    const response = await collector.app.request('/v1/admin/users/anon-1/export', {
      headers: { Authorization: 'Bearer admin-secret' },
    });
    const exported = (await response.json()) as { consentRecords: { policyVersion: string; hash: string }[] };
    expect(exported.consentRecords).toHaveLength(1);
    expect(exported.consentRecords[0]).toMatchObject({ policyVersion: '2026-03' });
  });
});

describe('GET /.well-known/gpc.json', () => {
  it('declares that GPC is honoured', async () => {
    const { collector } = await setup();
    const response = await collector.app.request('/.well-known/gpc.json');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      gpc: true,
      lastUpdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });
});
