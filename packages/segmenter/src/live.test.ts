import { describe, expect, it } from 'vitest';
import { assignLive } from './live.js';
import { runSegmentation } from './pipeline.js';
import { simulate } from './simulate/simulate.js';
import { createMemorySource } from './testing/memory-source.js';
import { makeEvent, makeTrack } from './testing/events.js';
import { createMemorySegmentStore } from './testing/memory-segment-store.js';

describe('live assignment', () => {
  it('moves a visitor who starts buying heavily into the power users at once', async () => {
    const sim = simulate({ users: 500, days: 90, seed: 11 });
    const store = createMemorySegmentStore();
    await store.saveSegmentation(await runSegmentation(createMemorySource(sim.events), { k: 7, asOf: sim.end }));
    const latest = await store.latestRun();
    const end = Date.parse(sim.end);

    // A first-time visitor: a couple of pages.
    const first = assignLive(null, [makeEvent({ at: end - 60_000, anonymousId: 'fresh' })], latest, sim.end);
    expect(first).not.toBeNull();
    const saved = await store.saveProfile(first as NonNullable<typeof first>);
    const newcomer = latest?.segments.find((s) => s.id === saved.segmentId)?.name;
    expect(newcomer).toBe('New visitors');

    // Then months of daily visits and weekly orders arrive.
    const history = [];
    for (let d = 80; d >= 1; d--) {
      const at = end - d * 86_400_000;
      history.push(makeEvent({ at, anonymousId: 'fresh', userId: 'vip' }));
      for (let p = 1; p < 6; p++) history.push(makeEvent({ at: at + p * 30_000, anonymousId: 'fresh', userId: 'vip' }));
      history.push(makeTrack('Product Viewed', at + 200_000, {}, { anonymousId: 'fresh', userId: 'vip' }));
      if (d % 4 === 0) {
        history.push(makeTrack('Product Added', at + 210_000, {}, { anonymousId: 'fresh', userId: 'vip' }));
        history.push(makeTrack('Checkout Started', at + 220_000, {}, { anonymousId: 'fresh', userId: 'vip' }));
        history.push(
          makeTrack('Order Completed', at + 230_000, { revenue: 180 }, { anonymousId: 'fresh', userId: 'vip' }),
        );
      }
    }
    const again = assignLive(await store.findProfile({ anonymousId: 'fresh' }), history, latest, sim.end);
    const moved = await store.saveProfile(again as NonNullable<typeof again>);
    expect(latest?.segments.find((s) => s.id === moved.segmentId)?.name).toBe('Power users');
    expect(moved.segmentSince).toBe(sim.end);
  });

  it('moves a first-time visitor who fills a cart and leaves it from New visitors to Cart abandoners', async () => {
    // A month of shoppers ending now, as `loupe demo` simulates them.
    const sim = simulate({ users: 600, days: 30, seed: 7 });
    const store = createMemorySegmentStore();
    await store.saveSegmentation(await runSegmentation(createMemorySource(sim.events), { asOf: sim.end }));
    const latest = await store.latestRun();
    const end = Date.parse(sim.end);
    const nameOf = (profile: ReturnType<typeof assignLive>) =>
      latest?.segments.find((s) => s.id === profile?.segmentId)?.name;
    const visitor = { anonymousId: 'one-visit' };

    const landing = [makeEvent({ at: end - 60_000, ...visitor })];
    expect(nameOf(assignLive(null, landing, latest, sim.end))).toBe('New visitors');

    // Two categories, two products, both into the cart, a look at the cart, and gone: quickly and
    // without a scroll event, as the browser journey test does it.
    const visit = [
      ...landing,
      makeEvent({ at: end - 59_000, ...visitor }),
      makeEvent({ at: end - 58_000, ...visitor }),
      makeTrack('Product Viewed', end - 57_900, { product_id: 'linen-cushion' }, visitor),
      makeTrack('Product Added', end - 57_500, { product_id: 'linen-cushion', quantity: 1 }, visitor),
      makeEvent({ at: end - 57_000, ...visitor }),
      makeEvent({ at: end - 56_000, ...visitor }),
      makeTrack('Product Viewed', end - 55_900, { product_id: 'potted-monstera' }, visitor),
      makeTrack('Product Added', end - 55_500, { product_id: 'potted-monstera', quantity: 2 }, visitor),
      makeEvent({ at: end - 55_000, ...visitor }),
      makeTrack('Cart Viewed', end - 54_900, {}, visitor),
    ];
    expect(nameOf(assignLive(null, visit, latest, sim.end))).toBe('Cart abandoners');
  });

  it('keeps no segment for a profile whose events say bot', () => {
    const bot = assignLive(
      null,
      [makeEvent({ at: 0, anonymousId: 'b', isBot: true })],
      null,
      new Date(1000).toISOString(),
    );
    expect(bot?.anomaly?.reason).toBe('bot-user-agent');
    expect(bot?.segmentId).toBeNull();
  });
});
