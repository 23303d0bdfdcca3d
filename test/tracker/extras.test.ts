import type { StoredEvent } from '@loupe/collector';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, until } from '../helpers/chromium.js';
import {
  anonymousIdOf,
  embed,
  loaded,
  originStorage,
  recordBatches,
  type Stack,
  startStack,
  storedFor,
} from './stack.js';

type Loupe = { loupe: { consent: { grant(c?: string[]): void }; flush(): Promise<void> } };

const CART_BUTTON =
  '<button id="add" data-loupe-cart="add" data-product-id="p-9" data-price="12.5" data-quantity="3">Add</button>';

const propertiesOf = (event?: StoredEvent) => (event?.payload as { properties?: unknown } | undefined)?.properties;

/** The URLs of the scripts the context loads. */
function scripts(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => request.resourceType() === 'script' && urls.push(request.url()));
  return urls;
}

/** Holds every request for loupe-x.js until `release()`. */
async function holdExtras(page: Page): Promise<() => void> {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/loupe-x.js', async (route: Route) => {
    await held;
    await route.continue();
  });
  return release;
}

/**
 * loupe-x.js: element views, cart markup and data-loupe-show content, which loupe.js loads from
 * beside itself only when the page has such markup (packages/tracker/src/browser/load-extras.ts).
 */
describeWithChromium('tracker in Chromium: loupe-x.js, loaded when the page uses its markup', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('is not loaded by a page without such markup', async () => {
    const context = await stack.browser.newContext();
    const loadedScripts = scripts(context);
    const page = await context.newPage();
    await page.goto(
      stack.page('/plain', embed(stack, { body: '<a href="#x">Link</a>', attributes: 'data-consent="analytics"' })),
    );
    await loaded(page);
    await storedFor(stack, await anonymousIdOf(page), 1);
    await page.waitForTimeout(300);
    expect(loadedScripts).toEqual([`${stack.collector.url}/loupe.js`]);
    await context.close();
  });

  it('is loaded when an SPA route renders a data-loupe-view element, whose view is then delivered', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 800, height: 600 } });
    const loadedScripts = scripts(context);
    const page = await context.newPage();
    await page.goto(
      stack.page('/spa', embed(stack, { body: '<main id="app">Home</main>', attributes: 'data-consent="analytics"' })),
    );
    await loaded(page);
    await page.waitForTimeout(300);
    expect(loadedScripts).not.toContain(`${stack.collector.url}/loupe-x.js`);
    await page.evaluate(() => {
      history.pushState({}, '', '/spa/offers');
      (document.getElementById('app') as HTMLElement).innerHTML =
        '<section data-loupe-view="spring-offer" style="height: 300px">Spring offer</section>';
    });
    const events = await until(async () => {
      const stored = await storedFor(stack, await anonymousIdOf(page), 2);
      return stored.some((e) => e.name === 'Element Viewed') ? stored : null;
    });
    expect(propertiesOf(events.find((e) => e.name === 'Element Viewed'))).toEqual({
      selector: '#app>section',
      name: 'spring-offer',
    });
    expect(loadedScripts).toEqual([`${stack.collector.url}/loupe.js`, `${stack.collector.url}/loupe-x.js`]);
    await context.close();
  });

  it('watches only the nodes a page adds: no document-wide query per mutation, markup deep in an added subtree found', async () => {
    const context = await stack.browser.newContext();
    const loadedScripts = scripts(context);
    // Counts document-wide queries for the markup, from before loupe.js runs.
    await context.addInitScript(() => {
      const counts = { markup: 0 };
      (window as unknown as { queries: typeof counts }).queries = counts;
      const query = Document.prototype.querySelector;
      Document.prototype.querySelector = function (this: Document, selector: string) {
        if (selector.includes('data-loupe-view')) counts.markup++;
        return query.call(this, selector);
      } as typeof query;
    });
    const page = await context.newPage();
    await page.goto(
      stack.page('/churn', embed(stack, { body: '<main id="app"></main>', attributes: 'data-consent="analytics"' })),
    );
    await loaded(page);
    // A page that re-renders: 200 separate insertions and text changes, none with markup.
    await page.evaluate(async () => {
      const app = document.getElementById('app') as HTMLElement;
      for (let i = 0; i < 200; i++) {
        app.innerHTML = `<ul><li>row ${i}</li><li><a href="#${i}">more</a></li></ul>`;
        await new Promise((resolve) => setTimeout(resolve));
      }
    });
    expect(await page.evaluate(() => (window as unknown as { queries: { markup: number } }).queries.markup)).toBe(1);
    expect(loadedScripts).not.toContain(`${stack.collector.url}/loupe-x.js`);
    // Markup three levels inside what is added is still found.
    await page.evaluate(() => {
      (document.getElementById('app') as HTMLElement).innerHTML =
        `<div><div><p>Deal</p>${'<span></span>'.repeat(3)}<button data-loupe-cart="add" data-product-id="p-1">Add</button></div></div>`;
    });
    await until(() => loadedScripts.includes(`${stack.collector.url}/loupe-x.js`) || null);
    await context.close();
  });

  it('views an element rendered deep in a later subtree, without querying the whole document on each re-render', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 800, height: 600 } });
    await context.addInitScript(() => {
      const counts = { all: 0 };
      (window as unknown as { queries: typeof counts }).queries = counts;
      const queryAll = Document.prototype.querySelectorAll;
      Document.prototype.querySelectorAll = function (this: Document, selector: string) {
        if (selector.includes('data-loupe-view')) counts.all++;
        return queryAll.call(this, selector);
      } as typeof queryAll;
    });
    const page = await context.newPage();
    const body = '<section data-loupe-view="hero" style="height: 100px">Hero</section><main id="app"></main>';
    await page.goto(stack.page('/views-later', embed(stack, { body, attributes: 'data-consent="analytics"' })));
    await loaded(page);
    const anonymousId = await anonymousIdOf(page);
    await until(async () => (await storedFor(stack, anonymousId, 2)).some((e) => e.name === 'Element Viewed') || null);
    const count = () => page.evaluate(() => (window as unknown as { queries: { all: number } }).queries.all);
    const before = await count();
    await page.evaluate(async () => {
      const app = document.getElementById('app') as HTMLElement;
      for (let i = 0; i < 100; i++) {
        app.innerHTML = `<ul><li>row ${i}</li></ul>`;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      app.innerHTML = '<div><div><p data-loupe-view="later-offer" style="height: 200px">Later</p></div></div>';
    });
    const events = await until(async () => {
      const stored = await storedFor(stack, anonymousId, 3);
      return stored.some((e) => (propertiesOf(e) as { name?: string } | undefined)?.name === 'later-offer')
        ? stored
        : null;
    });
    expect(events.filter((e) => e.name === 'Element Viewed').map((e) => propertiesOf(e))).toEqual([
      { selector: 'body>section', name: 'hero' },
      { selector: '#app>div>div>p', name: 'later-offer' },
    ]);
    expect(await count()).toBe(before);
    await context.close();
  });

  it('sends a data-loupe-cart click made before loupe-x.js arrived, once, when it has', async () => {
    const context = await stack.browser.newContext();
    const batches = recordBatches(context);
    const page = await context.newPage();
    const release = await holdExtras(page);
    // The held script holds the load event back too.
    await page.goto(
      stack.page('/early-cart', embed(stack, { body: CART_BUTTON, attributes: 'data-consent="analytics"' })),
      {
        waitUntil: 'domcontentloaded',
      },
    );
    await loaded(page);
    await page.click('#add');
    await page.evaluate(() => (window as unknown as Loupe).loupe.flush());
    const anonymousId = await anonymousIdOf(page);
    const before = await storedFor(stack, anonymousId, 2);
    expect(before.map((e) => e.name).sort()).toEqual(['Element Clicked', null]);
    release();
    const after = await until(async () => {
      const stored = await storedFor(stack, anonymousId, 3);
      return stored.some((e) => e.name === 'Product Added') ? stored : null;
    });
    await page.click('#add');
    const all = await storedFor(stack, anonymousId, 5);
    const added = all.filter((e) => e.name === 'Product Added');
    expect(after.filter((e) => e.name === 'Product Added')).toHaveLength(1);
    expect(added.map(propertiesOf)).toEqual([
      { product_id: 'p-9', price: 12.5, quantity: 3 },
      { product_id: 'p-9', price: 12.5, quantity: 3 },
    ]);
    // Every event went in one batch request or another, none twice.
    const sent = batches.flat();
    expect(new Set(sent).size).toBe(sent.length);
    await context.close();
  });

  it('sends and stores nothing from cart markup before consent, and sends it once granted', async () => {
    const context = await stack.browser.newContext();
    const batches = recordBatches(context);
    const loadedScripts = scripts(context);
    const page = await context.newPage();
    await page.goto(stack.page('/cart-consent', embed(stack, { body: CART_BUTTON })));
    await loaded(page);
    await until(() => loadedScripts.includes(`${stack.collector.url}/loupe-x.js`));
    await page.click('#add');
    await page.waitForTimeout(1500);
    expect(batches).toEqual([]);
    expect(await originStorage(page)).toEqual([]);
    await page.evaluate(() => (window as unknown as Loupe).loupe.consent.grant(['analytics']));
    const events = await until(async () => {
      const stored = await storedFor(stack, await anonymousIdOf(page), 1);
      return stored.some((e) => e.name === 'Product Added') ? stored : null;
    });
    expect(propertiesOf(events.find((e) => e.name === 'Product Added'))).toEqual({
      product_id: 'p-9',
      price: 12.5,
      quantity: 3,
    });
    await context.close();
  });

  it('comes from the same path as loupe.js under the site’s own domain', async () => {
    const context = await stack.browser.newContext();
    const loadedScripts = scripts(context);
    const page = await context.newPage();
    const html = `<!doctype html><title>Proxied</title><script src="/lp/a.js" data-write-key="${stack.writeKey}" data-consent="analytics" async></script>
<p data-loupe-show="default" id="fallback">Hello</p>`;
    await page.goto(stack.page('/proxied-extras', html));
    await loaded(page);
    await until(() => loadedScripts.length === 2);
    expect(loadedScripts).toEqual([`${stack.site}/lp/a.js`, `${stack.site}/lp/loupe-x.js`]);
    await context.close();
  });

  it('shows the default data-loupe-show content when loupe-x.js cannot be loaded', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.route('**/loupe-x.js', (route) => route.abort());
    const body =
      '<p id="power" data-loupe-show="power-users">Power</p><p id="fallback" data-loupe-show="default">Hello</p>';
    await page.goto(stack.page('/blocked', embed(stack, { body, attributes: 'data-show-timeout="60000"' })));
    await loaded(page);
    const display = (id: string) =>
      page.evaluate((el) => getComputedStyle(document.getElementById(el) as Element).display, id);
    await until(async () => (await display('fallback')) !== 'none');
    expect(await display('power')).toBe('none');
    await context.close();
  });
});
