import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, until } from '../helpers/chromium.js';
import {
  anonymousIdOf,
  embed,
  loaded,
  originStorage,
  queuedCount,
  recordBatches,
  type Stack,
  startStack,
  storedFor,
} from './stack.js';

type Loupe = {
  loupe: { track(e: string): void; consent: { grant(c?: string[]): void; revoke(): void }; flush(): Promise<void> };
};

describeWithChromium('tracker in Chromium: the consent gate', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('sends nothing and writes no cookie, storage or database before analytics consent', async () => {
    const context = await stack.browser.newContext();
    const batches = recordBatches(context);
    const requests: string[] = [];
    context.on('request', (request) => request.url().startsWith(stack.collector.url) && requests.push(request.url()));
    const page = await context.newPage();
    await page.goto(
      stack.page('/before', embed(stack, { body: '<button id="buy">Buy</button><div style="height:3000px"></div>' })),
    );
    await loaded(page);
    await page.click('#buy');
    await page.mouse.wheel(0, 2500);
    await page.evaluate(() => (window as unknown as Loupe).loupe.track('Tried'));
    await page.evaluate(() => (window as unknown as Loupe).loupe.flush());
    await page.goto('about:blank');
    expect(batches).toEqual([]);
    expect(requests.filter((url) => !url.endsWith('/loupe.js'))).toEqual([]);
    expect(await stack.collector.store.countEvents()).toBe(0);
    await page.goto(stack.page('/empty', '<!doctype html><title>x</title>'));
    expect(await originStorage(page)).toEqual([]);
    await context.close();
  });

  it('sends what was captured before the decision once analytics is granted', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page('/grant', embed(stack, { before: "loupe.push(['track', 'Queued By Snippet']);" })));
    await loaded(page);
    await page.evaluate(() => (window as unknown as Loupe).loupe.track('Before Decision'));
    await page.evaluate(() => (window as unknown as Loupe).loupe.consent.grant(['analytics']));
    const events = await storedFor(stack, await anonymousIdOf(page), 3);
    expect(events.map((e) => e.name).sort()).toEqual(['Before Decision', 'Queued By Snippet', null].sort() as string[]);
    expect(
      events.every((e) => (e.payload.context?.consent?.categories as { analytics?: boolean }).analytics === true),
    ).toBe(true);
    await context.close();
  });

  it('purges the queue and every identifier on revocation, and sends nothing after', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page('/revoke', embed(stack, { attributes: 'data-capture=""' })));
    await loaded(page);
    await page.evaluate(() => (window as unknown as Loupe).loupe.consent.grant());
    const anonymousId = await anonymousIdOf(page);
    await page.route('**/v1/batch', (route) => route.abort());
    await page.evaluate(() => {
      for (let i = 0; i < 5; i++) (window as unknown as Loupe).loupe.track('Unsent');
    });
    await until(async () => (await queuedCount(page)) === 5);
    expect(await originStorage(page)).toEqual(expect.arrayContaining(['localStorage:loupe_user', 'indexedDB:loupe']));
    await page.evaluate(() => (window as unknown as Loupe).loupe.consent.revoke());
    await until(async () => (await originStorage(page)).join() === 'localStorage:loupe_consent');
    await page.unroute('**/v1/batch');
    await page.evaluate(() => (window as unknown as Loupe).loupe.track('After Revoke'));
    await page.evaluate(() => (window as unknown as Loupe).loupe.flush());
    await page.goto('about:blank');
    expect(await stack.collector.store.eventsForIds([anonymousId])).toEqual([]);
    await context.close();
  });
});
