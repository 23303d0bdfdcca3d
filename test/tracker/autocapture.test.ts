import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium } from '../helpers/chromium.js';
import { anonymousIdOf, embed, loaded, type Stack, startStack, storedFor } from './stack.js';

type Props = Record<string, unknown>;
type Loupe = { loupe: { cart: { purchase(o: object): void } } };

const BODY = `
<nav><a id="home" href="/home?email=jane%40example.com" onclick="return false">Home</a></nav>
<main>
  <section class="products">
    <div class="card"><button class="buy primary" data-loupe-cart="add" data-product-id="p-1" data-price="19.5" data-quantity="2">Add  to
      cart</button></div>
    <div class="card"><button class="buy">Write jane@example.com or call +1 (415) 555-0132</button></div>
  </section>
  <form><label>Email <input id="email" name="email"></label><textarea id="note"></textarea><button id="send" type="button">Send</button></form>
  <div data-loupe-ignore><button id="secret">Secret</button></div>
  <div style="height: 4000px"></div>
  <div data-loupe-view="footer-banner" style="height: 300px">Banner</div>
</main>`;

describeWithChromium('tracker in Chromium: autocapture', () => {
  let stack: Stack;
  let page: Page;
  let anonymousId: string;
  const events = (count: number) => storedFor(stack, anonymousId, count);
  const named = async (name: string, count = 1) => {
    for (;;) {
      const found = (await events(0)).filter((e) => e.name === name || (name === 'page' && e.type === 'page'));
      if (found.length >= count)
        return found.map((e) => ({ ...e, properties: (e.payload as { properties: Props }).properties }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    stack = await startStack();
    const context = await stack.browser.newContext({ viewport: { width: 800, height: 600 } });
    page = await context.newPage();
    await page.goto(
      stack.page('/shop', embed(stack, { body: BODY, attributes: 'data-consent="analytics"' })) +
        '?utm_source=news&utm_campaign=spring',
    );
    await loaded(page);
    anonymousId = await anonymousIdOf(page);
  });
  afterAll(() => stack?.close());

  it('sends a page view on load with the page, campaign, session and library context', async () => {
    const [view] = await named('page');
    expect(view?.properties).toMatchObject({
      path: '/shop',
      title: 'Shop',
      search: '?utm_source=news&utm_campaign=spring',
    });
    expect(view?.payload.context).toMatchObject({
      campaign: { source: 'news', name: 'spring' },
      library: { name: 'loupe.js' },
      locale: expect.any(String),
      timezone: expect.any(String),
      screen: { width: expect.any(Number), height: expect.any(Number) },
      sessionId: expect.any(Number),
    });
  });

  it('captures clicks with a stable selector, tag, text, href and id, masking contact details', async () => {
    await page.click('#home');
    await page.click('.card:nth-of-type(2) button');
    const clicks = await named('Element Clicked', 2);
    const link = clicks.find((c) => c.properties.tag === 'a');
    expect(link?.properties).toEqual({
      selector: '#home',
      tag: 'a',
      text: 'Home',
      id: 'home',
      href: expect.stringMatching(/\/home\?email=%5Bemail%5D$/),
    });
    const button = clicks.find((c) => c.properties.tag === 'button');
    expect(button?.properties).toEqual({
      selector: 'main>section.products>div.card:nth-of-type(2)>button.buy',
      tag: 'button',
      text: 'Write [email] or call [phone]',
    });
    expect(await page.locator(button?.properties.selector as string).count()).toBe(1);
  });

  it('never captures form values and honours data-loupe-ignore', async () => {
    await page.fill('#email', 'typed-secret@example.com');
    await page.fill('#note', 'typed note value');
    await page.click('#email');
    await page.click('#secret');
    await page.click('#send');
    const clicks = await named('Element Clicked', 4);
    expect(clicks.some((c) => c.properties.id === 'secret')).toBe(false);
    const all = JSON.stringify(await events(0));
    expect(all).not.toContain('typed-secret');
    expect(all).not.toContain('typed note value');
    expect(clicks.find((c) => c.properties.id === 'email')?.properties).toMatchObject({ tag: 'input', text: '' });
  });

  it('sends cart events from data-loupe-cart markup and from the cart API', async () => {
    await page.click('[data-loupe-cart]');
    await page.evaluate(() =>
      (window as unknown as Loupe).loupe.cart.purchase({
        order_id: 'o-1',
        currency: 'EUR',
        products: [{ product_id: 'p-1', price: 19.5, quantity: 2 }],
      }),
    );
    const [added] = await named('Product Added');
    expect(added?.properties).toEqual({ product_id: 'p-1', price: 19.5, quantity: 2 });
    const [order] = await named('Order Completed');
    expect(order?.properties).toMatchObject({ order_id: 'o-1', revenue: 39, currency: 'EUR' });
  });

  it('sends each scroll depth once and an element view after a second at 50 %', async () => {
    for (const y of [1200, 2400, 3600, 5000, 0, 5000]) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.evaluate(() => new Promise(requestAnimationFrame));
    }
    const depths = await named('Scroll Depth Reached', 4);
    expect(depths.map((d) => d.properties.depth).sort((a, b) => Number(a) - Number(b))).toEqual([25, 50, 75, 100]);
    const [viewed] = await named('Element Viewed');
    expect(viewed?.properties).toEqual({ selector: 'body>main>div:nth-of-type(3)', name: 'footer-banner' });
  });

  it('starts the scroll depths over on a hash-route navigation, a page view of its own', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => {
      location.hash = '/next';
    });
    await page.evaluate(() => window.scrollTo(0, 5000));
    await page.evaluate(() => new Promise(requestAnimationFrame));
    const depths = await named('Scroll Depth Reached', 8);
    const again = depths.filter((d) =>
      String((d.payload as { context: { page: { url: string } } }).context.page.url).endsWith('#/next'),
    );
    expect(again.map((d) => d.properties.depth).sort((a, b) => Number(a) - Number(b))).toEqual([25, 50, 75, 100]);
  });

  it('sends a page view on SPA navigation with the previous URL as referrer', async () => {
    await page.evaluate(() => history.pushState({}, '', '/shop/cart'));
    await page.evaluate(() => {
      location.hash = 'step-2';
    });
    // Waits for these two views (both on /shop/cart) themselves: a count of page views also takes in
    // those of the tests before (the load's, the hash route's), and returned before the last was stored.
    let views = await named('page');
    while (views.filter((v) => v.properties.path === '/shop/cart').length < 2)
      views = await named('page', views.length + 1);
    const paths = views.map((v) => v.properties.path);
    expect(paths).toEqual(expect.arrayContaining(['/shop/cart']));
    const cart = views.find((v) => v.properties.path === '/shop/cart' && !String(v.properties.url).includes('#'));
    expect(cart?.properties.referrer).toMatch(/\/shop\?utm_source=news/);
    expect(views.some((v) => String(v.properties.url).endsWith('#step-2'))).toBe(true);
  });

  it('reports engagement time when the page is left', async () => {
    await page.goto('about:blank');
    const [engagement] = await named('Page Engagement');
    expect(engagement?.properties.activeMs).toBeGreaterThan(0);
  });
});
