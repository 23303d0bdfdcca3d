import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { assertBuilt, type DemoProcess, freePort, spawnDemo } from './demo-process.js';

/**
 * The newcomer's journey on `loupe demo`, in real Chromium: the banner, a refusal that sends
 * nothing, a change of mind, browsing and a cart left behind, a return visit that shows the cart
 * reminder because the visitor's segment changed, and a withdrawal from the privacy settings that
 * purges the browser and, through the shop's `data-erase-on-revoke`, the collector. Screenshots go
 * to test-artifacts/journey/.
 *
 * The segment changes by live assignment alone, no segment run between the visits: the collector
 * folds each batch into the visitor's profile and puts it in the segment of the nearest centroid of
 * the demo's first run, and the abandoned cart is nearer Cart abandoners than New visitors.
 */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/journey/', import.meta.url));
const ADMIN_TOKEN = 'journey-admin-token';
const SEGMENT_WAIT_MS = 30_000;

let cwd: string;
let demo: DemoProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every request the pages made to the collector's API, in order. */
const api: { method: string; path: string; at: number }[] = [];
let visitorId = '';
/** The visitor's segment on first contact, before anything went into the cart. */
let firstSegment = '';

const segmentAttribute = () => page.evaluate(() => document.documentElement.getAttribute('data-loupe-segment'));
const shot = (name: string, target: Page = page) => target.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
const since = (mark: number, path: string) => api.filter((r) => r.at >= mark && r.path.startsWith(path));

/** What Loupe keeps in this browser: localStorage keys, IndexedDB databases, cookies. */
async function browserStorage(target: Page = page) {
  const local = await target.evaluate(() => Object.keys(localStorage).sort());
  const databases = await target.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').sort());
  const cookies = await context.cookies();
  return { local, databases, cookies: cookies.map((c) => c.name) };
}

async function exportOf(
  id: string,
): Promise<{ events: { name: string | null; type: string; payload: { properties?: Record<string, unknown> } }[] }> {
  const response = await fetch(`${demo.url}/v1/admin/users/${encodeURIComponent(id)}/export`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

async function addToCart(productName: string, quantity = 1) {
  await page.locator('a.card-link', { hasText: productName }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(productName);
  if (quantity > 1) await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toContain('Added to your cart');
}

describeWithChromium('the demo journey in Chromium', () => {
  beforeAll(async () => {
    assertBuilt();
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    cwd = mkdtempSync(join(tmpdir(), 'loupe-journey-'));
    demo = spawnDemo({ cwd, port: await freePort(), env: { LOUPE_ADMIN_TOKEN: ADMIN_TOKEN, LOUPE_DEMO_USERS: '400' } });
    await demo.waitFor('Loupe demo ready', 150_000);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
    context.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/v1/')) api.push({ method: request.method(), path: url.pathname, at: Date.now() });
    });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    const code = await demo?.stop();
    if (code !== 0 && demo) console.warn(`loupe demo exited with ${code}:\n${demo.output()}`);
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('shows a new visitor the banner, and nothing is sent or stored before a choice', async () => {
    const mark = Date.now();
    await page.goto(`${demo.url}/`);
    const banner = page.getByRole('dialog', { name: 'Your privacy choices' });
    await expect.poll(() => banner.isVisible()).toBe(true);
    await page.waitForTimeout(2500);
    await shot('01-banner');
    expect(since(mark, '/v1/')).toEqual([]);
    expect(await browserStorage()).toEqual({ local: [], databases: [], cookies: [] });
  });

  it('rejects: browsing and adding to the cart send nothing and store nothing but the refusal', async () => {
    const mark = Date.now();
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Kitchen' }).click();
    await addToCart('Ember mug');
    // Longer than the tracker's flush interval: anything it meant to send would have gone.
    await page.waitForTimeout(3000);
    await shot('02-rejected');
    expect(since(mark, '/v1/batch')).toEqual([]);
    expect(since(mark, '/v1/profile')).toEqual([]);
    // The refusal itself is recorded as proof (POST /v1/consent), and kept on the device.
    expect(since(mark, '/v1/').map((r) => r.path)).toEqual(['/v1/consent']);
    expect(await browserStorage()).toEqual({ local: ['loupe_consent'], databases: [], cookies: [] });
    expect(
      await page.evaluate(
        () => (window as never as { loupe: { stats(): { droppedNoConsent: number } } }).loupe.stats().droppedNoConsent,
      ),
    ).toBeGreaterThan(0);
  });

  it('accepts from the privacy settings, browses, adds to the cart, and the collector has every step', async () => {
    await page.getByRole('contentinfo').getByRole('button', { name: 'Privacy settings' }).click();
    const preferences = page.getByRole('dialog', { name: 'Privacy preferences' });
    await expect.poll(() => preferences.isVisible()).toBe(true);
    await preferences.getByRole('button', { name: 'Accept all' }).click();

    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Living' }).click();
    // Accepting made the visitor known: the collector answered with a segment, and the page shows its offer.
    await expect.poll(() => segmentAttribute(), { timeout: 15_000 }).not.toBe(null);
    firstSegment = (await segmentAttribute()) as string;
    expect(firstSegment).toBe('new-visitors');
    expect(await page.getByRole('heading', { name: 'New here? Hello!' }).isVisible()).toBe(true);

    await addToCart('Linen cushion');
    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Garden' }).click();
    await addToCart('Potted monstera', 2);
    await page.getByRole('link', { name: /^Cart/ }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Your cart');

    visitorId = await page.evaluate(() =>
      (window as never as { loupe: { anonymousId(): string } }).loupe.anonymousId(),
    );
    expect(visitorId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'See it work' }).click();
    await expect
      .poll(() => page.locator('#loupe-panel').textContent(), { timeout: 10_000 })
      .toContain('Product Added · potted-monstera');
    await shot('03-browsing-with-panel');

    const stored = await exportOf(visitorId);
    const names = stored.events.map((e) => e.name);
    expect(names).toContain('Product Added');
    expect(names).toContain('Cart Viewed');
    const added = stored.events.filter((e) => e.name === 'Product Added').map((e) => e.payload.properties);
    expect(added).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ product_id: 'linen-cushion', price: 42, quantity: 1 }),
        expect.objectContaining({ product_id: 'potted-monstera', price: 46, quantity: 2 }),
      ]),
    );
    // The refusal earlier stayed a refusal: nothing from before the consent reached the collector.
    expect(added).not.toEqual(expect.arrayContaining([expect.objectContaining({ product_id: 'ember-mug' })]));
  });

  it('comes back after leaving the cart, and sees the cart reminder because its segment changed', async () => {
    // Off to another site (the pagehide flush sends what is left), then back in the same tab.
    await page.goto('about:blank');
    const mark = Date.now();
    await page.goto(`${demo.url}/`);
    await expect.poll(() => since(mark, '/v1/profile').length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => segmentAttribute(), { timeout: SEGMENT_WAIT_MS }).toBe('cart-abandoners');
    expect(firstSegment).not.toBe('cart-abandoners');
    // The collector moved the profile when the cart events came in, and answers it to anyone asking.
    const profile = await fetch(`${demo.url}/v1/profile?anonymousId=${visitorId}&writeKey=wk_demo_local`);
    expect(((await profile.json()) as { segment: { id: string } | null }).segment?.id).toBe('cart-abandoners');

    const reminder = page.getByRole('heading', { name: 'Still thinking it over?' });
    await expect.poll(() => reminder.isVisible()).toBe(true);
    // The shop's own cart, kept in this tab: the mug from before the consent is in it too.
    expect(await page.locator('.offer--reminder').textContent()).toContain('4 items (€152.00) still in your cart.');
    expect(await page.getByRole('heading', { name: 'New here? Hello!' }).isVisible()).toBe(false);
    const visible = await page
      .locator('.offers .offer')
      .evaluateAll((offers) =>
        offers.filter((o) => getComputedStyle(o).display !== 'none').map((o) => o.getAttribute('data-loupe-show')),
      );
    expect(visible).toEqual(['cart-abandoners']);
    await page.getByRole('button', { name: 'See it work' }).click();
    await expect
      .poll(() => page.locator('#loupe-panel [data-field="segment"]').textContent())
      .toContain('Cart abandoners');
    await shot('04-cart-reminder');
  }, 60_000);

  it('withdraws consent from the privacy settings: the browser forgets, nothing more is sent, no segment is served', async () => {
    await page.getByRole('contentinfo').getByRole('button', { name: 'Privacy settings' }).click();
    const preferences = page.getByRole('dialog', { name: 'Privacy preferences' });
    await expect.poll(() => preferences.isVisible()).toBe(true);
    await preferences.getByRole('checkbox', { name: 'Analytics' }).uncheck();
    await preferences.getByRole('checkbox', { name: 'Personalization' }).uncheck();
    await preferences.getByRole('checkbox', { name: 'Marketing' }).uncheck();
    await preferences.getByRole('button', { name: 'Save my choices' }).click();

    await expect
      .poll(() => browserStorage(), { timeout: 10_000 })
      .toEqual({ local: ['loupe_consent'], databases: [], cookies: [] });
    await expect.poll(() => segmentAttribute()).toBe(null);
    // The withdrawal is on record at the collector, which stops serving the old id a segment.
    await expect
      .poll(async () => {
        const response = await fetch(`${demo.url}/v1/profile?anonymousId=${visitorId}&writeKey=wk_demo_local`);
        return ((await response.json()) as { segment: unknown }).segment;
      })
      .toBe(null);

    const mark = Date.now();
    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Kitchen' }).click();
    await addToCart('Sage teapot');
    await page.waitForTimeout(3000);
    expect(since(mark, '/v1/batch')).toEqual([]);
    expect(since(mark, '/v1/profile')).toEqual([]);
    await shot('05-withdrawn');
  });

  it('and the collector erases the events it held for the visitor', async () => {
    // The tracker asked for it on withdrawal (data-erase-on-revoke on the shop's script tag).
    expect(api.filter((r) => r.path === '/v1/erase').map((r) => r.method)).toEqual(['POST']);
    await expect.poll(async () => (await exportOf(visitorId)).events.length, { timeout: 10_000 }).toBe(0);
  });
});
