import { createPostgresStore, type RunningServer, startServer } from '@loupe/collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { segmentAndSave } from '../../packages/collector/src/cli/segment.js';
import { simulateShoppers } from '../../packages/collector/src/cli/demo-data.js';
import { describeWithPostgres } from '../helpers/postgres.js';
import { basicAuth } from './harness.js';
import { heavyBuyer, pageAt } from './segmented.js';

/** Segments on PostgreSQL end to end: ingest, `loupe segment`, read-back, live reassignment, erasure. */
describeWithPostgres('segments on PostgreSQL over HTTP', (cluster) => {
  const ADMIN = 'admin-token-for-pg-segments';
  const KEY = 'wk_pg_segments';
  let server: RunningServer;

  beforeAll(async () => {
    const store = await createPostgresStore({ connectionString: await cluster().createDatabase() });
    await store.createKey({ key: KEY, origins: ['https://shop.example'] });
    server = await startServer({ store, port: 0, hostname: '127.0.0.1', adminToken: ADMIN });
    await simulateShoppers({ url: server.url, writeKey: KEY, users: 100, days: 30, seed: 9 });
    await server.collector.drain();
  });
  afterAll(async () => {
    await server?.close();
  });

  const batch = async (events: Record<string, unknown>[]) => {
    const response = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(KEY) },
      body: JSON.stringify({ batch: events, sentAt: new Date().toISOString() }),
    });
    return (await response.json()) as { accepted: number; segment?: { id: string } | null };
  };
  const profile = async (anonymousId: string) =>
    (await (await fetch(`${server.url}/v1/profile?anonymousId=${anonymousId}&writeKey=${KEY}`)).json()) as {
      segment: { id: string } | null;
    };

  it('segments the stored events, reads segments back and reassigns live', async () => {
    const visitor = `pg-live-${Date.now()}`;
    // Before a run: no segment anywhere, and no 501 either.
    expect(await profile(visitor)).toEqual({ anonymousId: visitor, segment: null });
    const run = await segmentAndSave(server.store, { k: 4 });
    server.collector.segments?.invalidate();
    expect(run.segments).toHaveLength(4);
    expect((await server.collector.segments?.stats())?.cached).toBe(0);

    const member = run.profiles.find((p) => p.segmentId !== null) as (typeof run.profiles)[number];
    expect((await profile(member.anonymousIds[0] as string)).segment?.id).toBe(member.segmentId);

    const first = await batch([pageAt(visitor, Date.now() - 60_000)]);
    let last = first;
    for (const events of heavyBuyer(visitor, Date.now())) last = await batch(events);
    expect(first.segment?.id).toBeDefined();
    expect(last.segment?.id).not.toBe(first.segment?.id);
    await server.collector.drain();
    const stored = await fetch(`${server.url}/v1/admin/users/${visitor}/export`, {
      headers: { Authorization: `Bearer ${ADMIN}` },
    });
    const exported = (await stored.json()) as { profiles: { segmentId: string }[] };
    expect(exported.profiles.map((p) => p.segmentId)).toEqual([last.segment?.id]);

    const erased = await fetch(`${server.url}/v1/admin/users/${visitor}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN}` },
    });
    expect(((await erased.json()) as { deleted: { profiles: number } }).deleted.profiles).toBe(1);
    const stranger = await profile(`pg-stranger-${Date.now()}`);
    expect(await profile(visitor)).toEqual({ anonymousId: visitor, segment: stranger.segment });
  });
});
