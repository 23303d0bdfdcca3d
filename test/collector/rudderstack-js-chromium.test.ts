import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithChromium, until } from '../helpers/chromium.js';
import { eventsByOutcome, rowsFor } from './harness.js';
import { useLibraryPage } from './library-page.js';

// A site on RudderStack's JavaScript SDK moves to Loupe by giving the SDK Loupe as its data plane.
// This is the SDK as RudderStack ships it on npm (the UMD build with its plugins bundled) in a real
// Chromium page, its source configuration given in place of RudderStack's control plane. The SDK
// sends an AnonymousId header and Basic auth with every event: a preflight asks for both.

const sdk = join(
  dirname(createRequire(import.meta.url).resolve('@rudderstack/analytics-js')),
  '../bundled/umd/index.js',
);

interface SendOptions {
  options?: Record<string, unknown>;
  writeKey?: string;
  calls?: [string, unknown[]][];
}

describeWithChromium("RudderStack's JavaScript SDK in Chromium pointed at Loupe", () => {
  const stack = useLibraryPage(
    '<!doctype html><title>shop</title><script src="/rudder-analytics.js"></script><h1>Pricing</h1>',
    { '/rudder-analytics.js': sdk },
  );

  /** The calls `sendFromPage` makes unless told otherwise: [method, arguments]. */
  const FOUR_CALLS: [string, unknown[]][] = [
    ['identify', ['rs-user', { plan: 'pro', seats: 3 }]],
    ['track', ['Plan Chosen', { plan: 'pro', price: 49.5 }]],
    ['page', ['Marketing', 'Pricing', { path: '/pricing' }]],
    ['group', ['acme', { employees: 50 }]],
  ];

  /**
   * Loads the SDK in the page with `options` beside the defaults below, makes `calls` once it is
   * ready, and returns the visitor's anonymous id.
   */
  function sendFromPage(
    page: Page,
    { options = {}, writeKey = stack.writeKey, calls = FOUR_CALLS }: SendOptions = {},
  ): Promise<string> {
    return page.evaluate(
      ({ writeKey, dataPlane, options, calls }) =>
        new Promise<string>((resolve) => {
          type Sdk = {
            load(key: string, url: string, options: Record<string, unknown>): void;
            ready(callback: () => void): void;
            getAnonymousId(): string;
          };
          const { RudderAnalytics } = (window as unknown as { rudderanalytics: { RudderAnalytics: new () => Sdk } })
            .rudderanalytics;
          const analytics = new RudderAnalytics();
          analytics.load(writeKey, dataPlane, {
            // What RudderStack's control plane would answer for a source with no destinations.
            getSourceConfig: () => ({
              source: {
                id: 'src-1',
                name: 'shop',
                writeKey,
                workspaceId: 'ws-1',
                enabled: true,
                config: {},
                destinations: [],
              },
            }),
            plugins: [],
            polyfillIfRequired: false,
            storage: { type: 'memoryStorage' },
            ...options,
          });
          analytics.ready(() => {
            const sdk = analytics as unknown as Record<string, (...args: unknown[]) => void>;
            for (const [method, args] of calls) sdk[method]?.(...args);
            resolve(analytics.getAnonymousId());
          });
        }),
      { writeKey, dataPlane: stack.c.url, options, calls },
    );
  }

  /** The four rows of `anonymousId`'s calls, once they are all stored. */
  function storedCalls(anonymousId: string) {
    return until(() => {
      const found = stack.c.db
        .prepare('SELECT message_id FROM events WHERE anonymous_id = ? ORDER BY id')
        .all(anonymousId) as { message_id: string }[];
      return found.length >= 4
        ? rowsFor(
            stack.c.db,
            found.map((r) => r.message_id),
          )
        : null;
    });
  }

  it('delivers identify, track, page and group calls, stored with their ids, properties and page context', async () => {
    const { c, site } = stack;
    const { page, offSite, failed } = await stack.open();
    const anonymousId = await sendFromPage(page);
    expect(anonymousId).toBeTruthy();

    const rows = await storedCalls(anonymousId);
    expect(rows.map((r) => r.type).sort()).toEqual(['group', 'identify', 'page', 'track']);
    const byType = Object.fromEntries(rows.map((r) => [r.type, r]));
    for (const row of rows) {
      expect(row.user_id).toBe('rs-user');
      expect(row.anonymous_id).toBe(anonymousId);
    }
    const track = JSON.parse(byType.track!.payload);
    expect(byType.track?.name).toBe('Plan Chosen');
    expect(track.properties).toEqual({ plan: 'pro', price: 49.5 });
    expect(track.context.library.name).toBe('RudderLabs JavaScript SDK');
    expect(track.context.page.url).toBe(`${site.url}/`);
    expect(byType.page?.name).toBe('Pricing');
    expect(JSON.parse(byType.identify!.payload).context.traits).toMatchObject({ plan: 'pro', seats: 3 });
    expect(JSON.parse(byType.group!.payload).groupId).toBe('acme');
    expect(failed).toEqual([]);
    expect(offSite).toEqual([]);
    expect(c.errors).toEqual([]);
    await page.close();
  });

  it('delivers through its beacon transport (opt-in), to /beacon/v1/batch with the write key in the query', async () => {
    const { page, offSite, failed } = await stack.open();
    const beacons: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/beacon/v1/batch') beacons.push(r.url());
    });
    const anonymousId = await sendFromPage(page, {
      options: { useBeacon: true, plugins: ['BeaconQueue'], beaconQueueOptions: { flushQueueInterval: 100 } },
    });
    const rows = await storedCalls(anonymousId);
    expect(rows.map((r) => r.type).sort()).toEqual(['group', 'identify', 'page', 'track']);
    expect(beacons.length).toBeGreaterThan(0);
    expect(beacons[0]).toContain(`writeKey=${stack.writeKey}`);
    expect(JSON.parse(rows.find((r) => r.type === 'track')!.payload).properties).toEqual({ plan: 'pro', price: 49.5 });
    expect(failed).toEqual([]);
    expect(offSite).toEqual([]);
    expect(stack.c.errors).toEqual([]);
    await page.close();
  });

  it("with a key that requires consent, stores the calls that carry Loupe's analytics category in their options", async () => {
    const { c, site } = stack;
    const consentKey = (await c.createKey({ name: 'rs-consent', origins: [site.url], requireConsent: true })).key;
    const refusedBefore = (await eventsByOutcome(c.url)).no_consent ?? 0;
    const { page, offSite, failed } = await stack.open();
    const consented = { context: { consent: { categories: { analytics: true } } } };
    const anonymousId = await sendFromPage(page, {
      writeKey: consentKey,
      calls: [
        ['track', ['Before Consent', {}]],
        ['track', ['After Consent', {}, consented]],
      ],
    });
    const [stored] = await until(() => {
      const found = c.db.prepare('SELECT name FROM events WHERE anonymous_id = ?').all(anonymousId) as {
        name: string;
      }[];
      return found.length > 0 ? found : null;
    });
    expect(stored?.name).toBe('After Consent');
    await until(async () => ((await eventsByOutcome(c.url)).no_consent ?? 0) - refusedBefore === 1);
    expect(c.db.prepare('SELECT name FROM events WHERE anonymous_id = ?').all(anonymousId)).toHaveLength(1);
    expect(failed).toEqual([]);
    expect(offSite).toEqual([]);
    await page.close();
  });
});
