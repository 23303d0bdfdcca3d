import type { WriteKey } from '@loupe/collector';
import type { Segmentation } from '@loupe/segmenter';
import { segmentAndSave } from '../../packages/collector/src/cli/segment.js';
import { simulateShoppers } from '../../packages/collector/src/cli/demo-data.js';
import { basicAuth, startTestCollector, type TestCollector, type TestCollectorOptions } from './harness.js';

const DAY_MS = 86_400_000;

export interface SegmentedCollector extends TestCollector {
  /** The run `loupe segment` made over the simulated shoppers. */
  run: Segmentation;
  /** Sends events for one visitor through POST /v1/batch and returns the parsed answer. */
  batch(events: Record<string, unknown>[], init?: { key?: WriteKey; origin?: string }): Promise<BatchAnswer>;
  /** GET /v1/profile for an anonymous id, with the key as Basic auth unless `query` is set. */
  profile(
    anonymousId: string,
    init?: { key?: WriteKey; origin?: string; query?: boolean; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Runs `loupe segment` again (programmatically, on its own connection to the file). */
  resegment(): Promise<Segmentation>;
}

export interface BatchAnswer {
  status: number;
  accepted: number;
  segment?: { id: string; name: string; since?: string } | null;
}

let seq = 0;
const consented = { categories: { analytics: true, personalization: true, marketing: false } };

/** A page view at `at` (ms) for `anonymousId`, with consent to analytics and personalization. */
export function pageAt(anonymousId: string, at: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'page',
    name: 'Home',
    anonymousId,
    messageId: `seg-${process.pid}-${++seq}`,
    timestamp: new Date(at).toISOString(),
    context: { consent: consented, page: { path: '/', url: 'https://shop.example/' } },
    ...extra,
  };
}

export function trackAt(
  anonymousId: string,
  at: number,
  event: string,
  properties: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return pageAt(anonymousId, at, { type: 'track', name: undefined, event, properties, ...extra });
}

/**
 * Months of daily visits with weekly orders, ending `end`: the behavior of a power user. Returned
 * oldest first, in batches that fit the request limit.
 */
export function heavyBuyer(
  anonymousId: string,
  end: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown>[][] {
  const events: Record<string, unknown>[] = [];
  for (let d = 28; d >= 1; d--) {
    const at = end - d * DAY_MS;
    for (let p = 0; p < 6; p++) events.push(pageAt(anonymousId, at + p * 30_000, extra));
    events.push(trackAt(anonymousId, at + 200_000, 'Product Viewed', { product_id: 'p1', price: 90 }, extra));
    if (d % 3 === 0) {
      events.push(trackAt(anonymousId, at + 210_000, 'Product Added', { product_id: 'p1', price: 90 }, extra));
      events.push(trackAt(anonymousId, at + 220_000, 'Checkout Started', {}, extra));
      events.push(trackAt(anonymousId, at + 230_000, 'Order Completed', { order_id: `o${d}`, revenue: 240 }, extra));
    }
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < events.length; i += 200) batches.push(events.slice(i, i + 200));
  return batches;
}

/**
 * A collector over real HTTP with simulated shoppers sent through /v1/batch and a first
 * `loupe segment` run saved: what read-back needs.
 */
export async function startSegmentedCollector(
  options: TestCollectorOptions & { users?: number; k?: number } = {},
): Promise<SegmentedCollector> {
  const collector = await startTestCollector(options);
  await simulateShoppers({
    url: collector.url,
    writeKey: collector.key.key,
    users: options.users ?? 150,
    days: 30,
    seed: 3,
  });
  await collector.server.collector.drain();
  const segment = () =>
    segmentAndSave(collector.server.store, { k: options.k ?? 4, now: options.clock?.() ?? new Date() }).then((run) => {
      collector.server.collector.segments?.invalidate();
      return run;
    });
  const run = await segment();
  return {
    ...collector,
    run,
    async batch(events, { key = collector.key, origin } = {}) {
      const response = await fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: basicAuth(key.key),
          ...(origin ? { Origin: origin } : {}),
        },
        body: JSON.stringify({ batch: events, sentAt: new Date().toISOString() }),
      });
      const body = (await response.json()) as Omit<BatchAnswer, 'status'>;
      return { status: response.status, ...body };
    },
    profile(anonymousId, { key = collector.key, origin, query = false, headers = {} } = {}) {
      const params = new URLSearchParams({ anonymousId, ...(query ? { writeKey: key.key } : {}) });
      return fetch(`${collector.url}/v1/profile?${params}`, {
        headers: {
          ...(query ? {} : { Authorization: basicAuth(key.key) }),
          ...(origin ? { Origin: origin } : {}),
          ...headers,
        },
      });
    },
    resegment: segment,
  };
}
