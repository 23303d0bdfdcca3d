import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../collector/harness.js';
import { describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { pageHtml, type Site, startSite, TRACKER_BUNDLE } from './site.js';

/** What the browser holds for the page, read through its own storage APIs. */
interface Probe {
  cookies: string;
  local: string[];
  session: string[];
  idb: string[];
  caches: string[];
  workers: number;
}

const probe = (page: Page): Promise<Probe> =>
  page.evaluate(async () => ({
    cookies: document.cookie,
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    idb: (await indexedDB.databases()).map((d) => d.name ?? ''),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));

const EMPTY: Probe = { cookies: '', local: [], session: [], idb: [], caches: [], workers: 0 };

type Categories = { analytics: boolean; personalization: boolean; marketing: boolean };
type W = {
  loupe: {
    track(e: string, p?: object): void;
    flush(): Promise<void>;
    consent: { update(c: Categories): void; get(): { decided: boolean; categories: Categories } };
  };
  dataLayer?: IArguments[];
};

describeWithChromium(
  'consent gates everything, seen through the browser (real Chromium, loupe.js + loupe-consent.js)',
  () => {
    let browser: Browser;
    let site: Site;
    let collector: TestCollector;
    let writeKey: string;

    beforeAll(async () => {
      expect(existsSync(TRACKER_BUNDLE), `${TRACKER_BUNDLE} is missing: npm run build`).toBe(true);
      browser = await launchChromium();
      site = await startSite();
      collector = await startTestCollector({ adminToken: 'admin-secret' });
      writeKey = (await collector.createKey({ origins: [site.url] })).key;
      site.page('/banner-missing', {
        html: pageHtml({
          head: `<script>window.loupe = window.loupe || [];</script>
<script src="${collector.url}/no-such-banner.js"></script>
<script src="${collector.url}/loupe.js" data-write-key="${writeKey}" async></script>`,
        }),
      });
      site.page('/', {
        html: pageHtml({
          head: `<script>window.loupe = window.loupe || [];</script>
<script src="${collector.url}/loupe-consent.js" data-policy-version="1" data-consent-mode="on"></script>
<script src="${collector.url}/loupe.js" data-write-key="${writeKey}" async></script>`,
          body: '<button id="buy" data-loupe-cart="add" data-product-id="p1" data-price="10">Buy</button><div style="height:3000px"></div>',
        }),
      });
    });
    afterAll(async () => {
      await browser?.close();
      await site?.close();
      await collector?.close();
    });

    /** A fresh browser profile on the shop page, with loupe.js running; `requests` lists what went to the collector. */
    async function visit(
      init?: () => void,
      path = '/',
    ): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
      const context = await browser.newContext();
      const requests: string[] = [];
      context.on('request', (r) => {
        const url = new URL(r.url());
        if (r.resourceType() !== 'document' && !url.pathname.endsWith('.js'))
          requests.push(`${r.method()} ${url.pathname}`);
      });
      const page = await context.newPage();
      if (init) await page.addInitScript(init);
      await page.goto(`${site.url}${path}`);
      await page.waitForFunction(() => typeof (window as unknown as W).loupe.track === 'function');
      return { context, page, requests };
    }
    const act = async (page: Page, name: string) => {
      await page.evaluate((event) => (window as unknown as W).loupe.track(event, { n: 1 }), name);
      // A click as the page sees it; the banner's backdrop would stop a pointer click while it is open.
      await page.evaluate(() => document.getElementById('buy')?.click());
      await page.mouse.wheel(0, 2500);
    };
    const flush = (page: Page) => page.evaluate(() => (window as unknown as W).loupe.flush());
    const stored = (name: string) =>
      (
        collector.db
          .prepare('SELECT count(*) AS n FROM events WHERE write_key = ? AND name = ?')
          .get(writeKey, name) as { n: number }
      ).n;

    it('before any choice: zero requests, cookies, localStorage, sessionStorage, IndexedDB, Cache Storage and service workers; those events are gone after a reload', async () => {
      const { context, page, requests } = await visit();
      await act(page, 'Before Consent');
      await flush(page);
      expect(requests).toEqual([]);
      expect(await probe(page)).toEqual(EMPTY);
      expect(await context.cookies()).toEqual([]);

      await page.reload();
      await page.waitForFunction(() => typeof (window as unknown as W).loupe.track === 'function');
      await page.getByRole('button', { name: 'Accept all' }).click();
      await act(page, 'After Consent');
      await flush(page);
      expect(stored('After Consent')).toBe(1);
      expect(stored('Before Consent')).toBe(0);
      await context.close();
    });

    it('gates every combination of categories on its own', async () => {
      for (const analytics of [false, true]) {
        for (const personalization of [false, true]) {
          for (const marketing of [false, true]) {
            const combo = { analytics, personalization, marketing };
            const name = `Combo ${JSON.stringify(combo)}`;
            const { context, page, requests } = await visit();
            await page.evaluate((c) => (window as unknown as W).loupe.consent.update(c), combo);
            await act(page, name);
            await flush(page);
            const held = await probe(page);
            const trackerKeys = held.local.filter((k) => k !== 'loupe_consent');
            const adStorage = await page.evaluate(() => {
              const updates = ((window as unknown as W).dataLayer ?? [])
                .map((a) => [...a])
                .filter((a) => a[0] === 'consent');
              return (updates[updates.length - 1]?.[2] as { ad_storage?: string } | undefined)?.ad_storage;
            });
            expect({
              combo,
              sent: requests.some((r) => r === 'POST /v1/batch') && stored(name) === 1,
              ids: trackerKeys.length > 0 || held.idb.length > 0,
              readBack: requests.some((r) => r.startsWith('GET /v1/profile')),
              ads: adStorage,
            }).toEqual({
              combo,
              sent: analytics,
              ids: analytics,
              readBack: analytics && personalization,
              ads: marketing ? 'granted' : 'denied',
            });
            expect(held.cookies).toBe('');
            expect(held.session).toEqual([]);
            await context.close();
          }
        }
      }
    }, 240_000);

    it('withdrawal without a reload purges the queue and every identifier, and nothing is sent afterwards', async () => {
      const { context, page, requests } = await visit();
      await page.getByRole('button', { name: 'Accept all' }).click();
      await act(page, 'Before Withdrawal');
      await flush(page);
      expect(stored('Before Withdrawal')).toBe(1);
      const granted = await probe(page);
      expect(granted.local.length + granted.idb.length).toBeGreaterThan(1);

      await page.getByRole('button', { name: 'Privacy settings' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Reject all' }).click();
      await page.waitForFunction(
        async () =>
          (await indexedDB.databases()).length === 0 && Object.keys(localStorage).every((k) => k === 'loupe_consent'),
      );
      expect(await probe(page)).toEqual({ ...EMPTY, local: ['loupe_consent'] });
      expect(await context.cookies()).toEqual([]);

      const sentBefore = requests.filter((r) => r === 'POST /v1/batch').length;
      await act(page, 'After Withdrawal');
      await flush(page);
      expect(requests.filter((r) => r === 'POST /v1/batch').length).toBe(sentBefore);
      expect(stored('After Withdrawal')).toBe(0);
      // Both decisions were recorded as proof, chained.
      expect(requests.filter((r) => r === 'POST /v1/consent')).toHaveLength(2);
      const verify = await fetch(`${collector.url}/v1/admin/consent/verify`, {
        headers: { Authorization: 'Bearer admin-secret' },
      });
      expect(await verify.json()).toMatchObject({ ok: true });
      await context.close();
    });

    it('applies the GPC policy injected with an init script: no prompt, marketing and personalization off, nothing stored or sent', async () => {
      const { context, page, requests } = await visit(() => {
        Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
      });
      await page.waitForFunction(() => (window as unknown as W).loupe.consent.get().decided);
      expect(await page.evaluate(() => (window as unknown as W).loupe.consent.get().categories)).toMatchObject({
        analytics: false,
        personalization: false,
        marketing: false,
      });
      expect(await page.locator('[role="dialog"]:visible').count()).toBe(0);
      await act(page, 'Under GPC');
      await flush(page);
      expect(requests).toEqual([]);
      expect(await probe(page)).toEqual(EMPTY);
      await context.close();
    });

    it('keeps tracking denied when the banner fails to load', async () => {
      const { context, page, requests } = await visit(undefined, '/banner-missing');
      await act(page, 'No Banner');
      await flush(page);
      expect(requests.filter((r) => r.startsWith('POST') || r.startsWith('GET /v1'))).toEqual([]);
      expect(await probe(page)).toEqual(EMPTY);
      expect(stored('No Banner')).toBe(0);
      await context.close();
    });
  },
);
