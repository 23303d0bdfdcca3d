import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, type StoredEvent, startServer } from '@loupe/collector';
import { LIMITS } from '@loupe/schema';
import type { CoreTrackerOptions } from '@loupe/tracker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type App, type DeviceClock, type PlatformDevice, startApp } from './app-harness.js';

export type { PlatformDevice, PlatformLaunch } from './app-harness.js';

type LaunchOptions = Partial<Omit<CoreTrackerOptions, 'platform' | 'writeKey' | 'host'>>;

/**
 * The core's promises, checked on one platform against a real collector on loopback (SQLite in a
 * temp dir): consent gate, a queue that survives restarts, exactly-once delivery under failures,
 * backoff, revocation purge, batching limits. Each test gets a fresh device from `factory`.
 * Model: hono's `src/router/common.case.test.ts`.
 */
export function describePlatform(name: string, factory: () => Promise<PlatformDevice>): void {
  describe(`platform conformance: ${name}`, () => {
    let server: RunningServer;
    let dir: string;
    let device: PlatformDevice;
    let writeKey: string;
    let clock: DeviceClock;
    const apps: App[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'loupe-platform-'));
      // The bundle path is given so the collector does not resolve it from import.meta.url, which
      // fails under happy-dom (its URL class is not Node's).
      server = await startServer({
        db: join(dir, 'loupe.db'),
        port: 0,
        hostname: '127.0.0.1',
        config: { trackerBundlePath: join(dir, 'loupe.js') },
      });
    });
    afterAll(async () => {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      device = await factory();
      writeKey = (await server.store.createKey({ origins: ['*'] })).key;
      clock = { now: Date.now() };
    });
    afterEach(async () => {
      for (const app of apps.splice(0)) app.kill();
      await device.dispose?.();
    });

    /** Starts the app on the device: a new process over the same storage. */
    const launch = async (options: LaunchOptions = {}) => {
      const app = startApp(device.launch(), clock, { writeKey, host: server.url, ...options });
      apps.push(app);
      await app.settle();
      return app;
    };
    const stored = async (app: App): Promise<StoredEvent[]> => server.store.eventsForIds([app.tracker.anonymousId()]);
    const storedCount = () => server.store.countEvents(writeKey);
    /** Each `n` property 0…count-1 stored exactly once. */
    const expectExactlyOnce = async (app: App, count: number) => {
      const rows = await stored(app);
      expect(
        rows
          .map((row) => (row.payload as { properties?: { n?: number } }).properties?.n)
          .sort((a, b) => (a ?? 0) - (b ?? 0)),
      ).toEqual(Array.from({ length: count }, (_, n) => n));
      expect(new Set(rows.map((row) => row.messageId)).size).toBe(count);
      expect(await storedCount()).toBe(count);
    };
    const trackMany = (app: App, count: number, from = 0, extra: Record<string, unknown> = {}) => {
      for (let n = from; n < from + count; n++) app.tracker.track('Conformance Event', { n, ...extra });
    };

    describe('consent gate', () => {
      it('stores and sends nothing before the decision, then delivers what was captured once analytics is granted', async () => {
        const app = await launch();
        trackMany(app, 3);
        await app.advance(60_000);
        expect(app.requests).toEqual([]);
        expect(await device.stored()).toEqual([]);

        app.tracker.consent.grant(['analytics']);
        await app.until(async () => (await storedCount()) === 3);
        await expectExactlyOnce(app, 3);
      });

      it('drops what is captured after a refusal and keeps only the decision on the device', async () => {
        const app = await launch();
        app.tracker.consent.deny();
        trackMany(app, 2);
        await app.advance(60_000);
        expect(app.requests).toEqual([]);
        expect(await device.stored()).toEqual([device.consentEntry]);
        expect(app.tracker.stats().droppedNoConsent).toBe(2);
      });
    });

    describe('durable queue', () => {
      it('keeps events queued while offline across a restart and delivers each once', async () => {
        const first = await launch();
        first.fault = () => 'offline';
        first.tracker.consent.grant(['analytics']);
        trackMany(first, 5);
        await first.advance(30_000);
        expect(first.requests.length).toBeGreaterThan(0);
        const anonymousId = first.tracker.anonymousId();
        first.kill();

        const second = await launch();
        expect(second.tracker.anonymousId()).toBe(anonymousId);
        await second.until(async () => (await storedCount()) === 5);
        await second.advance(60_000);
        await expectExactlyOnce(second, 5);
      });

      it('delivers exactly once when the app dies mid-send, after the collector stored the batch', async () => {
        const first = await launch({ flushAt: 5 });
        first.tracker.consent.grant(['analytics']);
        await first.settle();
        // The first request reaches the collector, but its answer never arrives before the app is killed.
        first.fault = (request, n) => (n === 0 ? 'hold' : undefined);
        trackMany(first, 5);
        await first.until(async () => (await storedCount()) === 5);
        // Captured while that request hangs: queued, never sent.
        trackMany(first, 5, 5);
        await first.advance(5000);
        expect(first.requests).toHaveLength(1);
        first.kill();

        const second = await launch({ flushAt: 5 });
        await second.until(() => second.tracker.stats().delivered === 10);
        await second.advance(60_000);
        await expectExactlyOnce(second, 10);
        expect(second.tracker.stats().duplicates).toBe(5);
      });

      it('delivers every event exactly once when 30 % of requests fail', async () => {
        const app = await launch({ flushAt: 4 });
        app.tracker.consent.grant(['analytics']);
        // Of every ten requests, three fail: two never arrive, one is stored but its answer is lost.
        app.fault = (request, n) =>
          n % 10 === 1 || n % 10 === 5 ? 'offline' : n % 10 === 8 ? 'lose-response' : undefined;
        for (let round = 0; round < 6; round++) {
          trackMany(app, 10, round * 10);
          await app.advance(3000);
        }
        await app.until(async () => (await storedCount()) === 60);
        await app.advance(120_000);
        await expectExactlyOnce(app, 60);
        expect(app.requests.filter((r) => r.fault !== undefined).length).toBeGreaterThan(0);
        expect(app.tracker.stats()).toMatchObject({ delivered: 60 });
      });
    });

    describe('retries', () => {
      it('backs off exponentially with jitter between failed attempts', async () => {
        const app = await launch();
        app.tracker.consent.grant(['analytics']);
        app.fault = (request, n) => (n < 5 ? 'offline' : undefined);
        trackMany(app, 1);
        await app.until(async () => (await storedCount()) === 1);
        const gaps = app.requests.slice(1).map((request, i) => request.at - (app.requests[i]?.at ?? 0));
        expect(gaps).toHaveLength(5);
        // Equal jitter: attempt k waits between half and all of min(60 s, 1 s × 2^k).
        gaps.forEach((gap, k) => {
          expect(gap).toBeGreaterThanOrEqual(2 ** k * 500);
          expect(gap).toBeLessThanOrEqual(2 ** k * 1000);
        });
      });

      it('waits as long as Retry-After asks on 429', async () => {
        const app = await launch();
        app.tracker.consent.grant(['analytics']);
        app.fault = (request, n) => (n === 0 ? { status: 429, retryAfter: '7', body: null } : undefined);
        trackMany(app, 1);
        await app.until(async () => (await storedCount()) === 1);
        expect(app.requests).toHaveLength(2);
        expect((app.requests[1]?.at ?? 0) - (app.requests[0]?.at ?? 0)).toBe(7000);
      });

      it('retries at once when connectivity comes back', async () => {
        const app = await launch();
        app.tracker.consent.grant(['analytics']);
        let online = false;
        app.fault = () => (online ? undefined : 'offline');
        trackMany(app, 2);
        await app.advance(20_000);
        const attempts = app.requests.length;
        expect(attempts).toBeGreaterThan(1);
        online = true;
        const before = app.now();
        app.launch.reconnect();
        await app.settle();
        expect(app.now()).toBe(before);
        expect(app.requests).toHaveLength(attempts + 1);
        await expectExactlyOnce(app, 2);
      });
    });

    it('sends what is queued when the app goes to the background, without waiting for a timer', async () => {
      const app = await launch();
      app.tracker.consent.grant(['analytics']);
      await app.advance(1000);
      trackMany(app, 3);
      const before = app.now();
      app.launch.background();
      await app.settle();
      expect(app.now()).toBe(before);
      await expectExactlyOnce(app, 3);
    });

    it('deletes the queue and every identifier on revocation, keeping only the decision', async () => {
      const app = await launch();
      app.fault = () => 'offline';
      app.tracker.consent.grant(['analytics']);
      app.tracker.identify('user-1', { plan: 'pro' });
      trackMany(app, 4);
      await app.advance(10_000);
      expect((await device.stored()).length).toBeGreaterThan(1);
      const anonymousId = app.tracker.anonymousId();

      app.tracker.consent.revoke();
      await app.settle();
      expect(await device.stored()).toEqual([device.consentEntry]);
      expect(app.tracker.anonymousId()).not.toBe(anonymousId);
      expect(app.tracker.user().userId).toBeNull();

      app.fault = () => undefined;
      trackMany(app, 2);
      await app.advance(120_000);
      expect(await storedCount()).toBe(0);
      expect(await device.stored()).toEqual([device.consentEntry]);
    });

    describe('batching limits', () => {
      it('sends at most 100 events per request', async () => {
        const app = await launch({ flushAt: 250 });
        app.tracker.consent.grant(['analytics']);
        await app.settle();
        trackMany(app, 250);
        await app.until(async () => (await storedCount()) === 250);
        expect(app.requests.map((r) => r.messageIds.length)).toEqual([100, 100, 50]);
        await expectExactlyOnce(app, 250);
      });

      it('keeps each request under 500 KB and drops an event over 32 KB, counted', async () => {
        const app = await launch({ flushAt: 30 });
        app.tracker.consent.grant(['analytics']);
        app.tracker.track('Too Large', { blob: 'x'.repeat(LIMITS.maxEventBytes) });
        trackMany(app, 30, 0, { blob: 'y'.repeat(20_000) });
        await app.until(async () => (await storedCount()) === 30);
        await app.advance(60_000);
        expect(app.requests.length).toBeGreaterThan(1);
        for (const request of app.requests) expect(request.bytes).toBeLessThanOrEqual(LIMITS.maxRequestBytes);
        expect(app.tracker.stats().droppedTooLarge).toBe(1);
        await expectExactlyOnce(app, 30);
      });
    });
  });
}
