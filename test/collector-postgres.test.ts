import { createPostgresStore, type RunningServer, startServer } from '@loupe/collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPostgres } from './helpers/postgres.js';

/** The real collector over HTTP on loopback, storing in a real PostgreSQL server. */
describeWithPostgres('collector on PostgreSQL over HTTP', (cluster) => {
  const ADMIN = 'admin-token-for-tests';
  const KEY = 'wk_postgres_e2e';
  let server: RunningServer;

  beforeAll(async () => {
    const store = await createPostgresStore({ connectionString: await cluster().createDatabase() });
    await store.createKey({ key: KEY, origins: ['https://shop.example'] });
    server = await startServer({ store, port: 0, hostname: '127.0.0.1', adminToken: ADMIN });
  });
  afterAll(async () => {
    await server?.close();
  });

  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`, 'latin1').toString('base64')}`;
  const event = (messageId: string, fields: Record<string, unknown> = {}) => ({
    type: 'track',
    event: 'Product Viewed',
    messageId,
    anonymousId: 'anon-1',
    timestamp: '2026-01-01T00:00:00.000Z',
    ...fields,
  });

  async function batch(events: unknown[], key = KEY): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(key) },
      body: JSON.stringify({ batch: events, sentAt: new Date().toISOString() }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function admin(
    method: 'GET' | 'DELETE',
    path: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/v1/admin${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('stores a batch and answers its retry with duplicates only', async () => {
    const events = [event('dup-1'), event('dup-2'), event('dup-3')];
    expect(await batch(events)).toEqual({ status: 200, body: { accepted: 3, duplicates: 0, rejected: [] } });
    expect(await batch(events)).toEqual({ status: 200, body: { accepted: 0, duplicates: 3, rejected: [] } });
    const stored = await server.store.eventsForIds(['anon-1']);
    expect(stored.filter((e) => e.messageId.startsWith('dup-')).map((e) => e.messageId)).toEqual([
      'dup-1',
      'dup-2',
      'dup-3',
    ]);
  });

  it('counts a messageId repeated inside one batch as a duplicate', async () => {
    const { body } = await batch([event('twice-1'), event('twice-1'), event('twice-2')]);
    expect(body).toMatchObject({ accepted: 2, duplicates: 1 });
  });

  it('keeps valid siblings of rejected events and quarantines the rejected ones', async () => {
    const before = await server.store.countQuarantine();
    const { status, body } = await batch([
      event('sib-1'),
      { type: 'track', anonymousId: 'anon-1' },
      event('sib-2', { properties: { note: 'a\u0000b' } }),
      event('sib-3'),
    ]);
    expect(status).toBe(200);
    expect(body.accepted).toBe(2);
    expect((body.rejected as { index: number }[]).map((r) => r.index)).toEqual([1, 2]);
    expect(await server.store.countQuarantine()).toBe(before + 2);
  });

  it('stores events PostgreSQL types would refuse: unpaired surrogates and year 0000', async () => {
    const { status, body } = await batch([
      event('odd-1', { properties: { lone: '\ud800' } }),
      // Skew correction keeps the gap to the batch's sentAt (now): the stored time is in year 0000.
      event('odd-2', { anonymousId: 'anon-odd', timestamp: '0000-01-01T00:00:00.000Z' }),
    ]);
    expect({ status, body }).toEqual({ status: 200, body: { accepted: 2, duplicates: 0, rejected: [] } });
    const [ancient] = await server.store.eventsForIds(['anon-odd']);
    expect(ancient?.timestamp).toMatch(/^0000-01-01T/);
  });

  it('commits concurrent requests, each event once', async () => {
    const requests = Array.from({ length: 20 }, (_, r) =>
      Array.from({ length: 20 }, (_, i) => event(`con-${r}-${i}`, { anonymousId: 'anon-con' })),
    );
    const answers = await Promise.all([...requests, ...requests.slice(0, 5)].map((events) => batch(events)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const accepted = answers.reduce((n, a) => n + (a.body.accepted as number), 0);
    const duplicates = answers.reduce((n, a) => n + (a.body.duplicates as number), 0);
    expect({ accepted, duplicates }).toEqual({ accepted: 400, duplicates: 100 });
    expect((await server.store.eventsForIds(['anon-con'])).length).toBe(400);
  });

  it('exports and erases everything linked to a user, and audits both', async () => {
    await batch([
      event('u-1', { anonymousId: 'phone' }),
      { type: 'identify', messageId: 'u-2', anonymousId: 'phone', userId: 'alice', traits: { plan: 'pro' } },
      event('u-3', { anonymousId: 'laptop' }),
      { type: 'identify', messageId: 'u-4', anonymousId: 'laptop', userId: 'alice' },
      event('u-5', { anonymousId: 'bob-phone' }),
    ]);

    const exported = await admin('GET', '/users/alice/export');
    expect(exported.status).toBe(200);
    expect((exported.body.linkedIds as string[]).sort()).toEqual(['alice', 'laptop', 'phone']);
    expect((exported.body.events as { messageId: string }[]).map((e) => e.messageId).sort()).toEqual([
      'u-1',
      'u-2',
      'u-3',
      'u-4',
    ]);

    const erased = await admin('DELETE', '/users/phone');
    expect(erased.status).toBe(200);
    expect(erased.body.deleted).toMatchObject({ events: 4, identityLinks: 2 });

    const after = await admin('GET', '/users/alice/export');
    expect(after.body.events).toEqual([]);
    expect((await server.store.eventsForIds(['bob-phone'])).map((e) => e.messageId)).toEqual(['u-5']);
    const actions = (await server.store.listAudit(50)).map((a) => `${a.action} ${a.subject}`);
    expect(actions).toEqual(expect.arrayContaining(['user.export alice', 'user.erase phone']));
  });

  it('answers ids and keys holding NUL characters without a server error', async () => {
    expect((await admin('GET', '/users/a%00b/export')).status).toBe(200);
    expect((await admin('DELETE', '/users/a%00b')).status).toBe(200);
    expect((await batch([event('nul-key')], 'wk_\u0000')).status).toBe(401);
  });

  async function consent(anonymousId: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/v1/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(KEY) },
      body: JSON.stringify({
        anonymousId,
        categories: { analytics: true, marketing: false },
        source: 'banner',
        policyVersion: 'v1',
        timestamp: new Date().toISOString(),
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('chains consent records, exports them with the user and keeps them unlinked after erasure', async () => {
    const first = await consent('consenting');
    const second = await consent('consenting');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.seq).toBe((first.body.seq as number) + 1);
    const exported = await admin('GET', '/users/consenting/export');
    expect(exported.body.consentRecords).toHaveLength(2);
    expect((await admin('DELETE', '/users/consenting')).status).toBe(200);
    const records = (await admin('GET', '/users/consenting/export')).body.consentRecords as unknown[];
    expect(records).toHaveLength(2);
  });

  it('refuses new events of an erased id', async () => {
    await batch([event('before-erase', { anonymousId: 'gone' })]);
    expect((await admin('DELETE', '/users/gone')).status).toBe(200);
    const { body } = await batch([event('after-erase', { anonymousId: 'gone' })]);
    expect(body).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] });
    expect(await server.store.eventsForIds(['gone'])).toEqual([]);
  });

  it('answers a consent record for an id holding a NUL character without a server error', async () => {
    expect((await consent('a\u0000b')).status).toBeLessThan(500);
  });
});
