import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { type StaticSite, startStaticSite } from '../helpers/static-site.js';
import { startTestCollector, type TestCollector } from './harness.js';

/** A collector, a site on another origin that serves a third-party library, a key for that site, Chromium. */
export interface LibraryPage {
  readonly c: TestCollector;
  readonly site: StaticSite;
  readonly writeKey: string;
  /**
   * The site's page, opened; `offSite` collects every request it makes to neither the site nor the
   * collector (a library that phones home to its vendor fails that way here, where there is no network).
   */
  open(): Promise<{ page: Page; offSite: string[]; failed: string[] }>;
}

/** Sets up a `LibraryPage` for the suite it is called in (the arguments are `startStaticSite`'s) and tears it down after. */
export function useLibraryPage(
  html: string,
  files: Record<string, string>,
  dirs: Record<string, string> = {},
): LibraryPage {
  let c: TestCollector | undefined;
  let site: StaticSite | undefined;
  let browser: Browser | undefined;
  let writeKey = '';
  beforeAll(async () => {
    c = await startTestCollector();
    site = await startStaticSite(html, files, dirs);
    writeKey = (await c.createKey({ name: 'library-page', origins: [site.url] })).key;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await c?.close();
  });
  return {
    get c() {
      return c as TestCollector;
    },
    get site() {
      return site as StaticSite;
    },
    get writeKey() {
      return writeKey;
    },
    async open() {
      const page = await (browser as Browser).newPage();
      const offSite: string[] = [];
      const failed: string[] = [];
      const here = [(site as StaticSite).url, (c as TestCollector).url];
      page.on('request', (r) => {
        if (!here.some((origin) => r.url().startsWith(origin))) offSite.push(r.url());
      });
      page.on('requestfailed', (r) => failed.push(`${r.method()} ${r.url()} ${r.failure()?.errorText}`));
      await page.goto(`${(site as StaticSite).url}/`);
      return { page, offSite, failed };
    },
  };
}
