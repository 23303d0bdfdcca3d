import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { assertBuilt, type DemoProcess, freePort, spawnDemo } from './demo-process.js';

/**
 * examples/shop as a plain static site on its own origin, pointed at a collector elsewhere with
 * `?collector=…`: the script tag, the banner and the events go to that collector.
 */
const SHOP = fileURLToPath(new URL('../../examples/shop/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const ADMIN_TOKEN = 'static-shop-admin';

let cwd: string;
let demo: DemoProcess;
let site: Server;
let siteUrl: string;
let browser: Browser;

/** Any static file server will do; this one is 10 lines so the test needs nothing else. */
function serveShop(port: number): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(SHOP, path.endsWith('/') ? `${path}index.html` : path));
      res.writeHead(200, { 'Content-Type': TYPES[extname(path) || '.html'] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describeWithChromium('the shop as a static site on another origin', () => {
  beforeAll(async () => {
    assertBuilt();
    const sitePort = await freePort();
    siteUrl = `http://127.0.0.1:${sitePort}`;
    site = await serveShop(sitePort);
    cwd = mkdtempSync(join(tmpdir(), 'loupe-static-shop-'));
    demo = spawnDemo({
      cwd,
      port: await freePort(),
      env: { LOUPE_ADMIN_TOKEN: ADMIN_TOKEN, LOUPE_DEMO_USERS: '100' },
      args: ['--origin', siteUrl],
    });
    await demo.waitFor('Loupe demo ready', 150_000);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    site?.close();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('loads loupe.js and the banner from the collector and delivers the events there', async () => {
    const page = await browser.newPage();
    const hosts = new Set<string>();
    page.on('request', (r) => hosts.add(new URL(r.url()).origin));
    await page.goto(`${siteUrl}/?collector=${encodeURIComponent(demo.url)}#/c/garden`);
    await page
      .getByRole('dialog', { name: 'Your privacy choices' })
      .getByRole('button', { name: 'Accept all' })
      .click();
    await page.locator('a.card-link', { hasText: 'Brass watering can' }).click();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    const id = await page.evaluate(() => (window as never as { loupe: { anonymousId(): string } }).loupe.anonymousId());

    await expect
      .poll(
        async () => {
          const response = await fetch(`${demo.url}/v1/admin/users/${id}/export`, {
            headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
          });
          const { events } = (await response.json()) as { events: { name: string | null }[] };
          return events.map((e) => e.name);
        },
        { timeout: 15_000 },
      )
      .toContain('Product Added');
    expect([...hosts].sort()).toEqual([demo.url, siteUrl].sort());
    await page.close();
  });

  it('goes through cart, checkout and order confirmation, and the collector sees the funnel', async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl}/?collector=${encodeURIComponent(demo.url)}#/c/kitchen`);
    await page
      .getByRole('dialog', { name: 'Your privacy choices' })
      .getByRole('button', { name: 'Accept all' })
      .click();
    for (const name of ['Ember mug', 'Sage teapot']) {
      await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Kitchen' }).click();
      await page.locator('a.card-link', { hasText: name }).click();
      await page.getByRole('button', { name: 'Add to cart' }).click();
    }
    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('button', { name: 'Remove Ember mug' }).click();
    await expect.poll(() => page.locator('.lines .line').count()).toBe(1);
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Address').fill('12 Analytical Row');
    await page.getByLabel('City').fill('London');
    await page.getByLabel('Postcode').fill('N1 9GU');
    await page.getByLabel(/Card number/).fill('4242424242424242');
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you for your order');
    expect(await page.locator('[data-cart-count]').textContent()).toBe('0');
    const id = await page.evaluate(() => (window as never as { loupe: { anonymousId(): string } }).loupe.anonymousId());
    await page.evaluate(() => (window as never as { loupe: { flush(): Promise<void> } }).loupe.flush());

    type Stored = { name: string | null; payload: { properties?: Record<string, unknown> } };
    const stored = async (): Promise<Stored[]> => {
      const response = await fetch(`${demo.url}/v1/admin/users/${id}/export`, {
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      return ((await response.json()) as { events: Stored[] }).events;
    };
    await expect
      .poll(async () => (await stored()).map((e) => e.name), { timeout: 15_000 })
      .toContain('Order Completed');
    const events = await stored();
    const names = events.map((e) => e.name);
    for (const step of ['Product Viewed', 'Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started'])
      expect(names).toContain(step);
    const order = events.find((e) => e.name === 'Order Completed')?.payload.properties;
    // 54 € teapot, free shipping from 60 €: 4.90 shipping.
    expect(order).toMatchObject({
      revenue: 58.9,
      currency: 'EUR',
      products: [expect.objectContaining({ product_id: 'sage-teapot', quantity: 1 })],
    });
    // What was typed into the form never reaches the collector.
    // (The whole card number: four digits alone turn up in random message ids now and then.)
    expect(JSON.stringify(events)).not.toMatch(/Lovelace|ada@example|Analytical|4242424242424242/);
    await page.close();
  });

  it('refuses a collector that is not on this machine, so a link cannot load a script from elsewhere', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${siteUrl}/?collector=${encodeURIComponent('https://evil.example')}`);
    await page.waitForTimeout(500);
    expect(requested.filter((u) => new URL(u).hostname === 'evil.example')).toEqual([]);
    expect(requested).toContain(`${siteUrl}/loupe.js`);
    await page.close();
  });
});
