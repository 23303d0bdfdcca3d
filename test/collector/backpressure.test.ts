import { createApp, createSqliteStore, type InsertOutcome, type Store, type StoredEvent } from '@loupe/collector';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsByOutcome, type IngestAnswer, startTestCollector, type TestCollector, trackEvent } from './harness.js';

const silent = { log() {} };

describe('rate limits over HTTP', () => {
  let c: TestCollector | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('answers 429 with Retry-After once a key passes its limit, and stores nothing from the refused request', async () => {
    // 0.01 requests/s: one request of burst, then a 100 s wait, so the test cannot race the refill.
    c = await startTestCollector({ config: { rateLimitPerKey: 0.01, rateLimitPerIp: 0 } });
    expect((await c.post('/v1/batch', { batch: [trackEvent()] })).status).toBe(200);
    const refused = trackEvent();
    const res = await c.post('/v1/batch', { batch: [refused] }, { headers: { Origin: 'https://shop.example' } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(c.db.prepare('SELECT count(*) AS n FROM events WHERE message_id = ?').get(refused.messageId)).toEqual({
      n: 0,
    });
    expect((await eventsByOutcome(c.url)).rate_limited).toBe(1);
    // Another key is not held back by the first one's limit.
    const other = await c.createKey({ origins: ['*'] });
    expect((await c.post('/v1/batch', { batch: [trackEvent()] }, { auth: other.key })).status).toBe(200);
  });

  it('answers 429 once one client IP passes its limit, whatever key it uses', async () => {
    c = await startTestCollector({ config: { rateLimitPerKey: 0, rateLimitPerIp: 0.01 } });
    const other = await c.createKey({ origins: ['*'] });
    expect((await c.post('/v1/batch', { batch: [trackEvent()] })).status).toBe(200);
    const res = await c.post('/v1/batch', { batch: [trackEvent()] }, { auth: other.key });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

/** Wraps a store so that commits wait until `release()`; everything else passes through. */
function gatedStore(inner: Store) {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const store: Store = Object.create(inner, {
    insertEvents: {
      value: async (rows: readonly StoredEvent[]): Promise<InsertOutcome[]> => {
        await gate;
        return inner.insertEvents(rows);
      },
    },
  });
  return {
    store,
    release() {
      open();
      gate = Promise.resolve();
    },
  };
}

async function request(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  key: string,
  batch: unknown[],
): Promise<Response> {
  return app.request('/v1/batch', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  });
}

describe('write backlog', () => {
  it('answers 503 with Retry-After when the backlog is full, and acknowledges the waiting rows once committed', async () => {
    const inner = createSqliteStore({ path: ':memory:' });
    const { store, release } = gatedStore(inner);
    const key = await inner.createKey({ origins: ['*'] });
    const { app, committer, metrics } = createApp({
      store,
      logger: silent,
      config: { maxBacklogRows: 5, commitDelayMs: 1 },
    });

    const waiting = request(
      app,
      key.key,
      Array.from({ length: 5 }, () => trackEvent()),
    );
    // The first request's rows reach the committer before its answer; wait for them.
    for (let i = 0; committer.backlog < 5 && i < 1000; i++) await new Promise((r) => setTimeout(r, 1));
    expect(committer.backlog).toBe(5);
    const overflow = trackEvent();
    const refused = await request(app, key.key, [overflow]);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('backlog_full');
    expect(metrics.eventCount('backlog_full')).toBe(1);

    release();
    const acked = await waiting;
    expect(acked.status).toBe(200);
    expect(((await acked.json()) as IngestAnswer).accepted).toBe(5);
    expect(await inner.countEvents()).toBe(5);
    expect((await request(app, key.key, [overflow])).status).toBe(200);
    await inner.close();
  });

  it('answers 503 backlog_full while the ingest log is further behind its indexer than allowed, and accepts again once caught up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-unindexed-'));
    // No indexer thread: the lag only shrinks when something reads, so the test does not race it.
    const store = createSqliteStore({ path: join(dir, 'loupe.db'), indexerThread: false, maxPendingRows: 30 });
    const key = await store.createKey({ origins: ['*'] });
    const { app, metrics } = createApp({ store, logger: silent, config: { commitDelayMs: 1 } });
    expect(
      (
        await request(
          app,
          key.key,
          Array.from({ length: 20 }, () => trackEvent()),
        )
      ).status,
    ).toBe(200);
    const refused = await request(
      app,
      key.key,
      Array.from({ length: 20 }, () => trackEvent()),
    );
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('backlog_full');
    expect(metrics.eventCount('backlog_full')).toBe(20);
    expect(await store.countEvents()).toBe(20); // a reader catches the events table up
    expect(
      (
        await request(
          app,
          key.key,
          Array.from({ length: 20 }, () => trackEvent()),
        )
      ).status,
    ).toBe(200);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 and acknowledges nothing when the store cannot commit', async () => {
    const inner = createSqliteStore({ path: ':memory:' });
    const key = await inner.createKey({ origins: ['*'] });
    const failing: Store = Object.create(inner, {
      insertEvents: { value: async () => Promise.reject(new Error('SQLITE_FULL: database or disk is full')) },
    });
    const { app, metrics } = createApp({ store: failing, logger: silent });
    const res = await request(app, key.key, [trackEvent(), trackEvent()]);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('storage_unavailable');
    expect(body.error.message).not.toContain('SQLITE');
    expect(metrics.eventCount('storage_error')).toBe(2);
    expect(await inner.countEvents()).toBe(0);
    await inner.close();
  });
});
