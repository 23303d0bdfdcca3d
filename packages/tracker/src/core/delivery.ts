import { type BatchResponse, LIMITS, type LoupeEvent, type SegmentRef } from '@loupe/schema';
import { backoff, parseRetryAfter } from './backoff.js';
import { buildBatch } from './batch.js';
import { LoupeError } from './errors.js';
import type { Cancel, Platform, QueuedEvent } from './platform.js';
import { isRetried } from './response.js';
import type { DeliveryStats } from './stats.js';

export interface DeliveryOptions {
  platform: Platform;
  writeKey: string;
  batchUrl: string;
  stats: DeliveryStats;
  /** Send once this many events wait (default 20). */
  flushAt?: number | undefined;
  /** Send events at most this long after they were captured (default 2 s). */
  flushIntervalMs?: number | undefined;
  /** Default 1000; beyond it the oldest events are dropped and counted. */
  maxQueueSize?: number | undefined;
  /** Events per request (the byte limit applies too). */
  maxBatchEvents?: number;
  /** After each acknowledged batch: the answer's segment, and the events the collector took (stored now or before). */
  onAck: (segment: SegmentRef | null | undefined, delivered: LoupeEvent[]) => void;
  onError: (error: unknown) => void;
}

export interface Delivery {
  add(event: LoupeEvent): void;
  /** Stores pending events, then sends the queue until it is empty or the collector says wait. */
  flush(keepalive?: boolean): Promise<void>;
  /** The page is being unloaded: store what is pending and beacon what this page has not seen acknowledged. */
  leave(): void;
  /** Connectivity came back: forget the backoff and send. */
  retryNow(): void;
  /** Deletes every pending and queued event (consent withdrawn). */
  purge(): Promise<void>;
}

/** sendBeacon and keepalive fetch share a 64 KiB in-flight budget per page; 3 bytes per UTF-16 unit at most. */
const BEACON_CHARS = 20_000;
const REQUEST_CHARS = (LIMITS.maxRequestBytes - 1024) / 3;

/**
 * Delivery with at-least-once semantics from a durable queue: an event leaves the queue only after
 * the collector acknowledged it, every retry reuses its `messageId`, and the collector's dedup
 * turns that into exactly once.
 */
export function createDelivery({
  platform: {
    storage: { queue },
    transport,
    lifecycle,
    now,
  },
  writeKey,
  batchUrl,
  stats,
  flushAt = 20,
  flushIntervalMs = 2000,
  maxQueueSize = 1000,
  maxBatchEvents = 100,
  onAck,
  onError,
}: DeliveryOptions): Delivery {
  let buffer: LoupeEvent[] = [];
  // Captured here and not yet seen acknowledged: what a beacon carries when the page goes away.
  const unacked = new Map<string, LoupeEvent>();
  let stored: Promise<unknown> = Promise.resolve();
  let flushing = stored;
  let attempt = 0;
  let retryAt = 0;
  let due = Infinity;
  let cancelTimer: Cancel = () => {};
  let persistTimer: Cancel | undefined;

  const batch = (events: readonly LoupeEvent[], maxChars: number) =>
    buildBatch(events, { sentAt: new Date(now()).toISOString(), writeKey }, maxChars);

  const schedule = (ms: number) => {
    if (now() + ms < due) {
      cancelTimer();
      due = now() + ms;
      cancelTimer = lifecycle.setTimer(() => {
        due = Infinity;
        void flush();
      }, ms);
    }
  };

  const forget = (entries: readonly QueuedEvent[]) => {
    for (const { event } of entries) unacked.delete(event.messageId);
    return queue.remove(entries.map((entry) => entry.key));
  };

  const persist = () => {
    persistTimer?.();
    persistTimer = undefined;
    const events = buffer;
    buffer = [];
    if (events[0])
      stored = stored
        .then(async () => {
          await queue.push(events);
          const excess = (await queue.count()) - maxQueueSize;
          if (excess > 0) {
            stats.droppedQueueFull += excess;
            await forget(await queue.peek(excess));
          }
        })
        .catch((cause: unknown) => {
          stats.droppedStorage += events.length;
          onError(new LoupeError('storage', undefined, undefined, cause));
        });
    return stored;
  };

  const drain = async (keepalive: boolean) => {
    for (let limit = maxBatchEvents; ; ) {
      const wait = retryAt - now();
      if (wait > 0) return schedule(wait);
      const entries = await queue.peek(limit);
      if (!entries[0]) return;
      const [body, count] = batch(
        entries.map((entry) => entry.event),
        keepalive ? BEACON_CHARS : REQUEST_CHARS,
      );
      const sent = entries.slice(0, count);
      const {
        status,
        retryAfter,
        body: answer,
      } = await transport.send({ method: 'POST', url: batchUrl, body, keepalive });
      if (isRetried(status)) {
        // Retry-After where the collector (429, 503) or a proxy in front of it sent one, else the backoff.
        const delay = parseRetryAfter(retryAfter, now()) ?? backoff(attempt++);
        stats.retries++;
        retryAt = now() + delay;
        if (status) onError(new LoupeError('delivery', undefined, status));
        return schedule(delay);
      }
      attempt = 0;
      if (status === 413 && count > 1) {
        limit = Math.ceil(count / 2);
        continue;
      }
      await forget(sent);
      if (status > 199 && status < 300) {
        const { rejected = [], duplicates = 0, segment } = (answer ?? {}) as Partial<BatchResponse>;
        stats.delivered += count - rejected.length;
        stats.duplicates += duplicates;
        stats.rejected += rejected.length;
        if (rejected[0]) onError(new LoupeError('rejected', undefined, rejected));
        onAck(
          segment,
          sent.filter((_, i) => !rejected.some((r) => r.index === i)).map((entry) => entry.event),
        );
      } else {
        stats[status === 413 ? 'droppedTooLarge' : 'droppedInvalid'] += count;
        onError(new LoupeError('delivery', undefined, status));
      }
    }
  };

  // Flushes run one after another; one that finds the queue empty costs a read.
  const flush = (keepalive = false): Promise<void> =>
    (flushing = flushing
      .then(persist)
      .then(() => queue.exclusive(() => drain(keepalive)))
      .catch(onError));

  return {
    add(event) {
      buffer.push(event);
      unacked.set(event.messageId, event);
      // Writing in a later task keeps serialization and storage off the capturing call.
      persistTimer ??= lifecycle.setTimer(persist, 0);
      schedule(buffer.length < flushAt ? flushIntervalMs : 0);
    },
    flush,
    leave() {
      void persist();
      let events = [...unacked.values()];
      while (events[0]) {
        const [body, count] = batch(events, BEACON_CHARS);
        if (!transport.beacon(batchUrl, body)) return;
        events = events.slice(count);
      }
    },
    retryNow() {
      retryAt = attempt = 0;
      void flush();
    },
    purge() {
      buffer = [];
      unacked.clear();
      cancelTimer();
      due = Infinity;
      return stored.then(() => queue.clear());
    },
  };
}
