import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithChromium, until } from '../helpers/chromium.js';
import { eventsByOutcome, rowsFor } from './harness.js';
import { useLibraryPage } from './library-page.js';

// A site already on Segment's analytics.js moves to Loupe by pointing the library's Segment.io
// destination at the collector: no new tracker. This is the library as Segment ships it on npm
// (its UMD build), in a real Chromium page on one origin posting to the collector on another.

const umd = join(dirname(createRequire(import.meta.url).resolve('@segment/analytics-next/package.json')), 'dist/umd');

describeWithChromium("Segment's analytics.js in Chromium pointed at Loupe", () => {
  // analytics.js itself, and the chunks it loads later, from the site's own origin (never Segment's CDN).
  const stack = useLibraryPage(
    '<!doctype html><title>shop</title><script src="/analytics.js"></script><h1>Pricing</h1>',
    { '/analytics.js': join(umd, 'index.js') },
    { '/analytics-next/bundles/': umd },
  );

  type Ajs = Awaited<ReturnType<typeof import('@segment/analytics-next').AnalyticsBrowser.load>>[0];

  /**
   * Loads analytics.js in the page with `writeKey`, its Segment.io destination pointed at the
   * collector (what Segment's CDN would answer for a source with only that destination), and keeps
   * it as `window.ajs` for the test's next `evaluate`.
   */
  async function loadAnalytics(page: Page, writeKey: string): Promise<void> {
    await page.evaluate(
      async ({ writeKey, collectorHost, cdn }) => {
        const { AnalyticsBrowser } = (window as unknown as { AnalyticsNext: typeof import('@segment/analytics-next') })
          .AnalyticsNext;
        const [analytics] = await AnalyticsBrowser.load(
          {
            writeKey,
            cdnURL: cdn,
            cdnSettings: {
              integrations: {
                'Segment.io': { apiKey: writeKey, apiHost: `${collectorHost}/v1`, protocol: 'http' },
              },
            },
          },
          { disableClientPersistence: true },
        );
        (window as unknown as { ajs: unknown }).ajs = analytics;
      },
      { writeKey, collectorHost: new URL(stack.c.url).host, cdn: stack.site.url },
    );
  }

  it('delivers identify, track, page and group calls, stored with their ids, properties and page context', async () => {
    const { c, site, writeKey } = stack;
    const siteUrl = site.url;
    const { page, offSite, failed } = await stack.open();
    await loadAnalytics(page, writeKey);
    const ids = await page.evaluate(async () => {
      const analytics = (window as unknown as { ajs: Ajs }).ajs;
      const sent = [
        await analytics.identify('ajs-user', { plan: 'pro', seats: 3 }),
        await analytics.track('Plan Chosen', { plan: 'pro', price: 49.5 }),
        await analytics.page('Pricing', { path: '/pricing' }),
        await analytics.group('acme', { employees: 50 }),
      ];
      return sent.map((ctx) => ctx.event.messageId as string);
    });
    expect(ids).toHaveLength(4);

    const rows = await until(() => {
      const found = rowsFor(c.db, ids);
      return found.length === 4 ? found : null;
    });
    expect(rows.map((r) => r.type)).toEqual(['identify', 'track', 'page', 'group']);
    for (const row of rows) {
      expect(row.write_key).toBe(writeKey);
      expect(row.user_id).toBe('ajs-user');
      expect(row.anonymous_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(row.payload)).not.toHaveProperty('writeKey');
    }
    const track = JSON.parse(rows[1]!.payload);
    expect(rows[1]?.name).toBe('Plan Chosen');
    expect(track.properties).toEqual({ plan: 'pro', price: 49.5 });
    expect(track.context.library.name).toBe('analytics.js');
    expect(track.context.page.url).toBe(`${siteUrl}/`);
    expect(track.context.userAgent).toContain('Chrome');
    expect(rows[2]?.name).toBe('Pricing');
    expect(JSON.parse(rows[0]!.payload).traits).toEqual({ plan: 'pro', seats: 3 });
    expect(JSON.parse(rows[3]!.payload).groupId).toBe('acme');
    // The socket's address, truncated, is what the collector stored as the visitor's IP.
    expect(rows[1]?.ip).toBe('127.0.0.0');
    expect(failed).toEqual([]);
    expect(offSite).toEqual([]);
    expect(c.errors).toEqual([]);
    await page.close();
  });

  it('with a key that requires consent, stores only what a source middleware marks as consented', async () => {
    const { c, site } = stack;
    const consentKey = (await c.createKey({ name: 'ajs-consent', origins: [site.url], requireConsent: true })).key;
    const refusedBefore = (await eventsByOutcome(c.url)).no_consent ?? 0;
    const { page, offSite, failed } = await stack.open();
    await loadAnalytics(page, consentKey);
    const ids = await page.evaluate(async () => {
      const analytics = (window as unknown as { ajs: Ajs }).ajs;
      // The site's consent manager, as README shows: Loupe's category on every event.
      let analyticsConsent = false;
      await analytics.addSourceMiddleware(({ payload, next }) => {
        payload.obj.context = { ...payload.obj.context, consent: { categories: { analytics: analyticsConsent } } };
        next(payload);
      });
      const before = await analytics.track('Before Consent');
      analyticsConsent = true;
      const after = await analytics.track('After Consent');
      return [before.event.messageId as string, after.event.messageId as string];
    });
    const [before, after] = ids as [string, string];
    const [stored] = await until(() => {
      const found = rowsFor(c.db, [after]);
      return found.length === 1 ? found : null;
    });
    expect(stored?.name).toBe('After Consent');
    expect(rowsFor(c.db, [before])).toHaveLength(0);
    // It was sent, and refused for want of consent.
    expect(((await eventsByOutcome(c.url)).no_consent ?? 0) - refusedBefore).toBe(1);
    // Refused without consent, and not kept in quarantine either.
    const quarantined = c.db.prepare('SELECT count(*) AS n FROM quarantine WHERE raw LIKE ?').get(`%${before}%`) as {
      n: number;
    };
    expect(quarantined.n).toBe(0);
    expect(failed).toEqual([]);
    expect(offSite).toEqual([]);
    await page.close();
  });
});
