import type { LoupeEvent } from '@loupe/schema';
import { accumulate, simulate, type SegmenterSource, toSourceEvent } from '@loupe/segmenter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store, StoredEvent } from './types.js';

/** Makes an empty store for one test, and closes it afterwards. */
export type SourceScanFactory = () => Promise<{ store: Store; close(): Promise<void> }>;

function stored(event: LoupeEvent, writeKey = 'wk_scan'): StoredEvent {
  const s = toSourceEvent(event);
  return {
    writeKey,
    messageId: event.messageId,
    type: s.type,
    anonymousId: s.anonymousId,
    userId: s.userId,
    name: s.name,
    timestamp: s.timestamp,
    receivedAt: s.timestamp,
    sessionId: null,
    ip: null,
    isBot: s.isBot,
    payload: event,
  };
}

let n = 0;
/** Events whose payloads take every odd shape the segmenter's readers distinguish. */
function oddEvents(): LoupeEvent[] {
  const at = (m: number) => new Date(Date.parse('2024-01-05T00:00:00.000Z') + m * 60_000).toISOString();
  const track = (m: number, event: string, properties: unknown, context: unknown = {}) =>
    ({
      type: 'track',
      event,
      messageId: `odd-${++n}`,
      anonymousId: 'odd',
      timestamp: at(m),
      properties,
      context,
    }) as unknown as LoupeEvent;
  const page = (m: number, context: unknown) =>
    ({
      type: 'page',
      name: 'P',
      messageId: `odd-${++n}`,
      anonymousId: 'odd',
      timestamp: at(m),
      context,
    }) as unknown as LoupeEvent;
  return [
    page(0, { campaign: { source: 'google', medium: 'cpc', name: 'brand' } }),
    page(1, { campaign: 'not-an-object' }),
    page(2, { campaign: { source: 5, medium: true, name: null } }),
    page(3, { campaign: ['a', 'b'] }),
    page(4, { campaign: { source: { nested: 1 }, term: 'x' } }),
    page(5, { campaign: null }),
    track(6, 'Scroll Depth Reached', { depth: 50 }),
    track(7, 'Scroll Depth Reached', { depth: '75' }),
    track(8, 'Scroll Depth Reached', { depth: true }),
    track(9, 'Scroll Depth Reached', { depth: 1.5e2 }, { campaign: { source: 'news' } }),
    track(10, 'Scroll Depth Reached', {}),
    track(11, 'Order Completed', { revenue: '12.5', total: 40 }),
    track(
      12,
      'Order Completed',
      { products: [{ price: 10, quantity: 2 }, { price: 3 }] },
      { campaign: { source: 'news' } },
    ),
    track(13, 'Order Completed', { price: 9.5, quantity: 3 }),
    track(14, 'Order Completed', { revenue: -20 }),
    track(15, 'Order Refunded', { revenue: 10 }),
    track(16, 'Order Completed', 'not-an-object'),
    track(17, 'Product Viewed', { price: 99 }),
    track(18, 'Product Added', { price: 99, quantity: 1 }),
    {
      type: 'identify',
      messageId: `odd-${++n}`,
      anonymousId: 'odd',
      userId: 'odd-user',
      timestamp: at(19),
      traits: {},
    } as unknown as LoupeEvent,
    { ...page(20, {}), context: { userAgent: 'Googlebot/2.1' } } as unknown as LoupeEvent,
  ];
}

/** The same store seen without its projection: what the segmenter reads otherwise. */
const unprojected = (store: Store): SegmenterSource => ({
  scanEvents: (options) => store.scanEvents(options),
  identityLinks: () => store.identityLinks(),
});

const plain = (acc: Awaited<ReturnType<typeof accumulate>>) => ({
  events: acc.events,
  lastAt: acc.lastAt,
  funnel: acc.funnel,
  profiles: [...acc.profiles.values()]
    .map((p) => ({ ...p, anonymousIds: [...p.anonymousIds].sort() }))
    .sort((a, b) => (a.key < b.key ? -1 : 1)),
});

/**
 * The projected scan (`scanSourceEvents`) must feed the segmenter exactly what the full scan does;
 * run it against each adapter that implements it.
 */
export function describeSourceScan(name: string, factory: SourceScanFactory): void {
  describe(`scanSourceEvents: ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await factory());
      const sim = simulate({ users: 40, days: 20, seed: 13 });
      const rows = [...sim.events, ...oddEvents()].map((e) => stored(e));
      rows.push(...simulate({ users: 5, days: 20, seed: 14 }).events.map((e) => stored(e, 'wk_other')));
      for (let i = 0; i < rows.length; i += 1000) await store.insertEvents(rows.slice(i, i + 1000));
    });
    afterEach(async () => close());

    it('feeds the segmenter exactly what the full scan feeds it', async () => {
      expect(store.scanSourceEvents).toBeTypeOf('function');
      const full = plain(await accumulate(unprojected(store), { pageSize: 333 }));
      const projected = plain(await accumulate(store, { pageSize: 333 }));
      expect(projected.events).toBeGreaterThan(1000);
      expect(projected).toEqual(full);
    });

    it('keeps the order, the ids, the flags and the filters of scanEvents', async () => {
      for (const options of [
        {},
        { writeKey: 'wk_other' },
        { since: '2024-01-10T00:00:00.000Z' },
        { excludeBots: true },
        { pageSize: 7, writeKey: 'wk_other' },
      ]) {
        const full: unknown[] = [];
        for await (const page of store.scanEvents(options))
          for (const e of page) full.push([e.timestamp, e.type, e.anonymousId, e.userId, e.name, e.isBot]);
        const projected: unknown[] = [];
        for await (const page of store.scanSourceEvents?.(options) ?? [])
          for (const e of page) projected.push([e.timestamp, e.type, e.anonymousId, e.userId, e.name, e.isBot]);
        expect(projected).toEqual(full);
      }
    });
  });
}
