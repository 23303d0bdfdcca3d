import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, until } from '../helpers/chromium.js';
import {
  anonymousIdOf,
  embed,
  loaded,
  queuedCount,
  recordBatches,
  type Stack,
  startStack,
  storedFor,
} from './stack.js';

type Loupe = { loupe: { track(e: string, p?: object): void; stats(): { delivered: number } } };

/** Tracks `count` events numbered from `from`, with consent already given by the page's data-consent. */
const trackNumbered = (page: Page, count: number, from = 0) =>
  page.evaluate(
    ([n, start]) => {
      for (let i = start; i < start + n; i++) (window as unknown as Loupe).loupe.track('Numbered', { n: i });
    },
    [count, from] as const,
  );

/** Every numbered event arrived, and each messageId is stored once. */
async function expectExactlyOnce(stack: Stack, anonymousId: string, count: number) {
  const events = (await storedFor(stack, anonymousId, count + 1)).filter((e) => e.name === 'Numbered');
  const numbers = events
    .map((e) => (e.payload as unknown as { properties: { n: number } }).properties.n)
    .sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i));
  expect(new Set(events.map((e) => e.messageId)).size).toBe(count);
}

// A deterministic "30 %": a fixed LCG, so a failure replays the same way.
const lcg = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

describeWithChromium('tracker in Chromium: delivery', () => {
  let stack: Stack;
  const html = () => embed(stack, { attributes: 'data-consent="analytics" data-capture="page"' });
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('loses nothing across a reload with a full queue, and sends each event once', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.route('**/v1/batch', (route) => route.abort());
    await page.goto(stack.page('/reload', html()));
    await loaded(page);
    const anonymousId = await anonymousIdOf(page);
    await trackNumbered(page, 300);
    await until(async () => (await queuedCount(page)) >= 301);
    await page.reload();
    await loaded(page);
    expect(await queuedCount(page)).toBeGreaterThanOrEqual(301);
    await page.unroute('**/v1/batch');
    await page.evaluate(() => (window as unknown as { loupe: { flush(): Promise<void> } }).loupe.flush());
    await expectExactlyOnce(stack, anonymousId, 300);
    await until(async () => (await queuedCount(page)) === 0);
    await context.close();
  });

  it('delivers every event exactly once when 30 % of requests are aborted', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const fail = lcg(7);
    await page.route('**/v1/batch', (route) => (fail() < 0.3 ? route.abort() : route.continue()));
    await page.goto(stack.page('/aborts', html()));
    await loaded(page);
    const anonymousId = await anonymousIdOf(page);
    for (let i = 0; i < 6; i++) await trackNumbered(page, 25, i * 25);
    await expectExactlyOnce(stack, anonymousId, 150);
    await context.close();
  });

  it('delivers exactly once when responses are lost after the collector stored the batch', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    let lost = 0;
    await page.route('**/v1/batch', async (route) => {
      if (lost >= 3) return route.continue();
      lost++;
      await route.fetch();
      await route.abort();
    });
    await page.goto(stack.page('/lost', html()));
    await loaded(page);
    const anonymousId = await anonymousIdOf(page);
    await trackNumbered(page, 40);
    await expectExactlyOnce(stack, anonymousId, 40);
    const stored = await stack.collector.store.eventsForIds([anonymousId]);
    expect(stored).toHaveLength(41);
    await context.close();
  });

  it('keeps events through an offline spell and sends them once when back online', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page('/offline', html()));
    await loaded(page);
    const anonymousId = await anonymousIdOf(page);
    await storedFor(stack, anonymousId, 1);
    await context.setOffline(true);
    await trackNumbered(page, 30);
    await until(async () => (await queuedCount(page)) >= 30);
    await context.setOffline(false);
    await expectExactlyOnce(stack, anonymousId, 30);
    await context.close();
  });

  it('delivers what was captured just before the page was left (pagehide beacon)', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page('/leave', html()));
    await loaded(page);
    const anonymousId = await anonymousIdOf(page);
    await page.evaluate(() => {
      (window as unknown as Loupe).loupe.track('Numbered', { n: 0 });
      location.href = 'about:blank';
    });
    await page.waitForURL('about:blank');
    await expectExactlyOnce(stack, anonymousId, 1);
    await context.close();
  });

  it('lets only one of two tabs send each event', async () => {
    const context = await stack.browser.newContext();
    const batches = recordBatches(context);
    const first = await context.newPage();
    await first.goto(stack.page('/tabs', html()));
    await loaded(first);
    const second = await context.newPage();
    await second.goto(stack.page('/tabs', html()));
    await loaded(second);
    const anonymousId = await anonymousIdOf(first);
    expect(await anonymousIdOf(second)).toBe(anonymousId);
    for (let round = 0; round < 4; round++) {
      await Promise.all([trackNumbered(first, 20, round * 40), trackNumbered(second, 20, round * 40 + 20)]);
    }
    await expectExactlyOnce(stack, anonymousId, 160);
    const sent = batches.flat();
    expect(sent.length).toBe(new Set(sent).size);
    await context.close();
  });
});
