import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

const STEP_TIMEOUT = 10_000;
import { describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { AXE, pageHtml, type Site, startSite } from './site.js';

const NONCE = 'r4nd0mN0nce';
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: unknown }[] }[];
}

describeWithChromium('consent banner in real Chromium', () => {
  let browser: Browser;
  let site: Site;

  beforeAll(async () => {
    browser = await launchChromium();
    site = await startSite();
    site.page('/', {
      html: pageHtml({
        head: '<script src="/loupe-consent.js" data-policy-version="2026-03" data-privacy-url="/privacy"></script>',
      }),
    });
    site.page('/strict', {
      headers: {
        'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${NONCE}'; style-src 'nonce-${NONCE}'; connect-src 'self'; img-src 'self'`,
      },
      html: pageHtml({
        head: `<script nonce="${NONCE}" src="/loupe-consent.js" data-policy-version="2026-03"></script>`,
      }),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(
    path = '/',
    viewport = { width: 1280, height: 800 },
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${site.url}${path}`);
    await page
      .locator('[role="dialog"][aria-labelledby="loupe-consent-title"]')
      .waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    return { context, page };
  }
  const state = (page: Page) =>
    page.evaluate(() => {
      const c = (
        window as unknown as { loupeConsent: { get(): { decided: boolean; categories: Record<string, boolean> } } }
      ).loupeConsent.get();
      return { decided: c.decided, ...c.categories, stored: localStorage.length };
    });
  const axe = async (page: Page) => {
    await page.addScriptTag({ path: AXE });
    return page.evaluate(
      (tags) =>
        (window as unknown as { axe: { run(o: unknown): Promise<AxeResult> } }).axe.run({
          runOnly: { type: 'tag', values: tags },
        }),
      WCAG_22_AA,
    );
  };
  const summary = (result: AxeResult) =>
    result.violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`);

  it('has no WCAG 2.2 AA violations (axe-core) on the first layer and in the preferences, at 1280 px and at 320 px', async () => {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 320, height: 640 },
    ]) {
      const { context, page } = await open('/', viewport);
      expect(summary(await axe(page))).toEqual([]);
      await page.getByRole('button', { name: 'Choose what to allow' }).click();
      await page.locator('[aria-labelledby="loupe-consent-prefs-title"]').waitFor({ state: 'visible' });
      expect(summary(await axe(page))).toEqual([]);
      await context.close();
    }
  }, 90_000);

  it('fits 320 px and 200 % zoom: nothing wider than the viewport, both choices on screen', async () => {
    // 200 % zoom of a 640 px window is a 320 px layout viewport at device scale factor 2.
    const context = await browser.newContext({ viewport: { width: 320, height: 480 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(site.url);
    const dialog = page.locator('[aria-labelledby="loupe-consent-title"]');
    await dialog.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    for (const name of ['Accept all', 'Reject all']) {
      const box = await page.getByRole('button', { name }).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 320).toBe(true);
    }
    const [accept, reject] = await Promise.all([
      page.getByRole('button', { name: 'Accept all' }).boundingBox(),
      page.getByRole('button', { name: 'Reject all' }).boundingBox(),
    ]);
    expect(accept?.height).toBe(reject?.height);
    await context.close();
  });

  it('can be walked with the keyboard alone: Tab, Shift+Tab, Enter, Space and Esc accept, reject and change preferences', async () => {
    const { context, page } = await open();
    const focused = () =>
      page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.id || '');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Privacy policy');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Reject all');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Accept all');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Choose what to allow');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Privacy policy');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Choose what to allow');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // close button
    await page.keyboard.press('Tab'); // analytics (necessary is disabled)
    expect(await focused()).toBe('loupe-consent-cat-analytics');
    await page.keyboard.press('Space');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab'); // personalization, marketing, reject, accept, save
    expect(await focused()).toBe('Save my choices');
    await page.keyboard.press('Enter');
    expect(await state(page)).toMatchObject({
      decided: true,
      analytics: true,
      personalization: false,
      marketing: false,
    });
    // The settings entry has focus (nothing had it before) and reopens the preferences.
    expect(await focused()).toBe('Privacy settings');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Reject all');
    await page.keyboard.press('Enter');
    expect(await state(page)).toMatchObject({ decided: true, analytics: false });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    expect(await focused()).toBe('Privacy settings');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Accept all');
    await page.keyboard.press('Enter');
    expect(await state(page)).toMatchObject({ analytics: true, personalization: true, marketing: true });
    await context.close();
  });

  it('grants nothing on Esc, on a click outside, or on scrolling, and stores nothing', async () => {
    const { context, page } = await open();
    await page.mouse.click(10, 10);
    await page.mouse.wheel(0, 2000);
    await page.keyboard.press('Escape');
    expect(await state(page)).toEqual({
      decided: false,
      necessary: true,
      analytics: false,
      personalization: false,
      marketing: false,
      stored: 0,
    });
    expect(await page.locator('[role="dialog"]:visible').count()).toBe(0);
    await page.getByRole('button', { name: 'Privacy settings' }).click();
    await page.mouse.click(5, 5);
    await page.keyboard.press('Escape');
    expect(await state(page)).toMatchObject({ decided: false, stored: 0 });
    await context.close();
  });

  it('shows under a strict nonce Content-Security-Policy, styled, with no violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { violations: string[] }).violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${site.url}/strict`);
    const dialog = page.locator('[aria-labelledby="loupe-consent-title"]');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
    await page.getByRole('button', { name: 'Reject all' }).click();
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
