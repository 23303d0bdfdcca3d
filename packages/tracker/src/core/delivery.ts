import { LIMITS, type LoupeEvent } from '@loupe/schema';
import { backoff } from './backoff.js';
import { buildBatch } from './batch.js';
import { LoupeError } from './errors.js';
import type { Platform, QueuedEvent } from './platform.js';
import { classifyResponse, type Outcome } from './response.js';
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
  /** After each acknowledged batch, with the events the collector took (stored now or before). */
  onAck?: (outcome: Extract<Outcome, { kind: 'ack' }>, delivered: LoupeEvent[]) => void;
  onError?: (error: unknown) => void;
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
  platform,
  writeKey,
  batchUrl,
  stats,
  flushAt = 20,
  flushIntervalMs = 2000,
  maxQueueSize = 1000,
  maxBatchEvents = 100,
  onAck = () => {},
  onError = () => {},
}: DeliveryOptions): Delivery {
  const { queue } = platform.storage;
  const { now, lifecycle } = platform;
  let buffer: LoupeEvent[] = [];
  // Captured here and not yet seen acknowledged: what a beacon carries when the page goes away.
  const unacked = new Map<string, LoupeEvent>();
  let stored: Promise<unknown> = Promise.resolve();
  let flushing: Promise<void> = Promise.resolve();
  let attempt = 0;
  let retryAt = 0;
  let due = Number.POSITIVE_INFINITY;
  let cancelTimer = () => {};
  let persistTimer: (() => void) | null = null;

  const schedule = (ms: number) => {
    if (now() + ms >= due) return;
    cancelTimer();
    due = now() + ms;
    cancelTimer = lifecycle.setTimer(() => {
      due = Number.POSITIVE_INFINITY;
      void flush();
    }, ms);
  };

  const forget = (entries: readonly QueuedEvent[]) => {
    for (const { event } of entries) unacked.delete(event.messageId);
    return queue.remove(entries.map((entry) => entry.key));
  };

  const persist = () => {
    persistTimer?.();
    persistTimer = null;
    const events = buffer;
    buffer = [];
    if (events.length > 0) {
      stored = stored
        .then(() => queue.push(events))
        .then(async () => {
          const excess = (await queue.count()) - maxQueueSize;
          if (excess <= 0) return;
          stats.droppedQueueFull += excess;
          await forget(await queue.peek(excess));
        })
        .catch((cause: unknown) => {
          stats.droppedStorage += events.length;
          onError(new LoupeError('storage', 'loupe: store failed', undefined, cause));
        });
    }
    return stored;
  };

  const drain = async (keepalive: boolean) => {
    let limit = maxBatchEvents;
    for (;;) {
      const wait = retryAt - now();
      if (wait > 0) return schedule(wait);
      const entries = await queue.peek(limit);
      if (entries.length === 0) return;
      const { sent, body } = buildBatch(
        entries,
        { sentAt: new Date(now()).toISOString(), writeKey },
        keepalive ? BEACON_CHARS : REQUEST_CHARS,
      );
      const response = await platform.transport.send({ method: 'POST', url: batchUrl, body, keepalive });
      const outcome = classifyResponse(response, now());
      const { status } = response;
      if (outcome.kind === 'retry') {
        const delay = outcome.delayMs ?? backoff({ attempt: attempt++ });
        stats.retries++;
        retryAt = now() + delay;
        if (status) onError(new LoupeError('delivery', `loupe: ${status}`, status));
        return schedule(delay);
      }
      attempt = 0;
      if (outcome.kind === 'split' && sent.length > 1) {
        limit = Math.ceil(sent.length / 2);
        continue;
      }
      await forget(sent);
      if (outcome.kind === 'ack') {
        const rejected = outcome.rejected.length;
        stats.delivered += sent.length - rejected;
        stats.duplicates += outcome.duplicates;
        stats.rejected += rejected;
        if (rejected) onError(new LoupeError('rejected', 'loupe: rejected', outcome.rejected));
        const refused = new Set(outcome.rejected.map((r) => r.index));
        onAck(
          outcome,
          sent.filter((_, i) => !refused.has(i)).map((entry) => entry.event),
        );
      } else {
        if (outcome.kind === 'split') stats.droppedTooLarge += sent.length;
        else stats.droppedInvalid += sent.length;
        onError(new LoupeError('delivery', `loupe: dropped, ${status}`, status));
      }
    }
  };

  // Flushes run one after another; one that finds the queue empty costs a read.
  const flush = (keepalive = false): Promise<void> =>
    (flushing = flushing
      .then(async () => {
        await persist();
        await queue.exclusive(() => drain(keepalive));
      })
      .catch(onError));

  return {
    add(event) {
      buffer.push(event);
      unacked.set(event.messageId, event);
      // Writing in a later task keeps serialization and storage off the capturing call.
      persistTimer ??= lifecycle.setTimer(persist, 0);
      schedule(buffer.length >= flushAt ? 0 : flushIntervalMs);
    },
    flush,
    leave() {
      void persist();
      let entries = [...unacked.values()].map((event, key): QueuedEvent => ({ key, event }));
      while (entries.length > 0) {
        const { sent, body } = buildBatch(entries, { sentAt: new Date(now()).toISOString(), writeKey }, BEACON_CHARS);
        if (!platform.transport.beacon(batchUrl, body)) return;
        entries = entries.slice(sent.length);
      }
    },
    retryNow() {
      retryAt = attempt = 0;
      void flush();
    },
    async purge() {
      buffer = [];
      unacked.clear();
      cancelTimer();
      due = Number.POSITIVE_INFINITY;
      await stored;
      await queue.clear();
    },
  };
}
