import { statSync } from 'node:fs';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, until } from '../helpers/chromium.js';
import { anonymousIdOf, embed, loaded, type Stack, startStack, storedFor, TRACKER_BUNDLE } from './stack.js';

type Loupe = { loupe: { segment(): unknown } };

const SEGMENTED = `
<p id="power" data-loupe-show="power-users">Welcome back, power user</p>
<p id="loyal" data-loupe-show="loyal window-shoppers">For loyal customers</p>
<p id="fallback" data-loupe-show="default">Hello</p>`;

const visible = (page: Page, id: string) =>
  page.evaluate((el) => getComputedStyle(document.getElementById(el) as Element).display !== 'none', id);
const shown = async (page: Page) => {
  const ids = ['power', 'loyal', 'fallback'];
  const flags = await Promise.all(ids.map((id) => visible(page, id)));
  return ids.filter((_, i) => flags[i]);
};

describeWithChromium('tracker in Chromium: the script tag', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('replays calls queued by the snippet before it loaded, in order', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const before =
      "loupe.push(['track', 'First']); loupe.push(['identify', 'user-7', {plan: 'pro'}]); loupe.push(['track', 'Second']); loupe.push(['consent.grant', ['analytics']]);";
    await page.goto(stack.page('/snippet', embed(stack, { before, attributes: 'data-capture=""' })));
    await loaded(page);
    const events = await storedFor(stack, await anonymousIdOf(page), 3);
    const byName = (type: string, name: string | null) => events.find((e) => e.type === type && e.name === name);
    // Identity applies in call order: the event before identify is anonymous, the one after is not.
    expect(byName('track', 'First')?.userId).toBeNull();
    expect(byName('identify', null)?.userId).toBe('user-7');
    expect(byName('track', 'Second')?.userId).toBe('user-7');
    await context.close();
  });

  it('loads loupe.js Brotli-compressed: what the page downloads is a fraction of the minified file', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const script = page.waitForResponse((response) => response.url() === `${stack.collector.url}/loupe.js`);
    await page.goto(stack.page('/compressed', embed(stack, { attributes: 'data-consent="analytics"' })));
    const response = await script;
    await loaded(page);
    expect(await response.headerValue('content-encoding')).toBe('br');
    const { responseBodySize } = await response.request().sizes();
    const minified = statSync(TRACKER_BUNDLE).size;
    expect(responseBodySize).toBeGreaterThan(0);
    expect(responseBodySize).toBeLessThan(minified / 2);
    // It ran: the page view went out.
    const [view] = await storedFor(stack, await anonymousIdOf(page), 1);
    expect(view?.type).toBe('page');
    await context.close();
  });

  it('works under the site’s own domain and path, from a script with another name', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const html = `<!doctype html><title>Proxied</title><script src="/lp/a.js" data-write-key="${stack.writeKey}" data-consent="analytics" async></script>`;
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    await page.goto(stack.page('/proxied', html));
    await loaded(page);
    const [view] = await storedFor(stack, await anonymousIdOf(page), 1);
    expect(view?.type).toBe('page');
    expect(requests.every((url) => url.startsWith(stack.site))).toBe(true);
    expect(requests).toContain(`${stack.site}/lp/v1/batch`);
    await context.close();
  });

  it('hides data-loupe-show content until the segment is known, then shows what names it', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    let answer: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    await page.route('**/v1/profile?*', async (route: Route) => {
      await held;
      await route.fulfill({
        status: 200,
        headers: { 'Access-Control-Allow-Origin': stack.site, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          anonymousId: 'x',
          segment: { id: 'power-users', name: 'Power users', since: '2024-01-01T00:00:00Z' },
        }),
      });
    });
    await page.goto(
      stack.page(
        '/segmented',
        embed(stack, { body: SEGMENTED, attributes: 'data-consent="granted" data-show-timeout="60000"' }),
      ),
    );
    await loaded(page);
    expect(await shown(page)).toEqual([]);
    answer();
    await until(async () => (await shown(page)).join() === 'power');
    expect(await page.getAttribute('html', 'data-loupe-segment')).toBe('power-users');
    expect(await page.evaluate(() => (window as unknown as Loupe).loupe.segment())).toEqual({
      id: 'power-users',
      name: 'Power users',
    });
    await context.close();
  });

  it('falls back to the default content when the segment is not known in time', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.route('**/v1/profile?*', () => {});
    await page.goto(
      stack.page(
        '/slow',
        embed(stack, { body: SEGMENTED, attributes: 'data-consent="granted" data-show-timeout="300"' }),
      ),
    );
    await loaded(page);
    await until(async () => (await shown(page)).join() === 'fallback');
    expect(await page.getAttribute('html', 'data-loupe-segment')).toBeNull();
    await context.close();
  });

  it('shows the default content at once to a visitor who has not consented to personalization', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(
      stack.page('/no-consent', embed(stack, { body: SEGMENTED, attributes: 'data-show-timeout="60000"' })),
    );
    await loaded(page);
    await until(async () => (await shown(page)).join() === 'fallback');
    await context.close();
  });
});
