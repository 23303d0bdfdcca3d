import type { BatchRequest, LoupeEvent, SegmentRef } from '@loupe/schema';
import type { TransportRequest, TransportResponse } from '../core/platform.js';

/** A collector in memory: stores each messageId once, as the real one does, and counts every arrival. */
export interface FakeCollector {
  /** Stored events, each messageId once, in arrival order. */
  readonly events: LoupeEvent[];
  /** How many times each messageId arrived (retries and beacons included). */
  readonly arrivals: Map<string, number>;
  /** The segment it answers with (undefined: no `segment` field). */
  segment: SegmentRef | null | undefined;
  /** Anonymous ids whose erasure was asked for (`POST /v1/erase`, the tracker's `eraseOnRevoke`). */
  readonly erased: string[];
  handle(request: TransportRequest): TransportResponse;
}

export function createFakeCollector(): FakeCollector {
  const events: LoupeEvent[] = [];
  const arrivals = new Map<string, number>();
  const erased: string[] = [];
  const collector: FakeCollector = {
    events,
    arrivals,
    erased,
    segment: undefined,
    handle(request) {
      if (request.method === 'GET') {
        return { status: 200, retryAfter: null, body: { anonymousId: '', segment: collector.segment ?? null } };
      }
      if (request.url.endsWith('/v1/erase')) {
        erased.push((JSON.parse(request.body ?? '{}') as { anonymousId: string }).anonymousId);
        return { status: 200, retryAfter: null, body: { erased: true } };
      }
      const body = JSON.parse(request.body ?? '{}') as BatchRequest;
      let duplicates = 0;
      for (const event of body.batch) {
        const seen = arrivals.get(event.messageId) ?? 0;
        arrivals.set(event.messageId, seen + 1);
        if (seen > 0) duplicates++;
        else events.push(event);
      }
      const answer: Record<string, unknown> = { accepted: body.batch.length - duplicates, duplicates, rejected: [] };
      if (collector.segment !== undefined) answer.segment = collector.segment;
      return { status: 200, retryAfter: null, body: answer };
    },
  };
  return collector;
}
