import { LIMITS, type LoupeEvent } from '@loupe/schema';
import { backoff } from './backoff.js';
import { buildBatch, utf8Length } from './batch.js';
import { DeliveryError, StorageError } from './errors.js';
import type { Cancel, Platform } from './platform.js';
import { classifyResponse, type Outcome } from './response.js';
import type { DeliveryStats } from './stats.js';

export interface DeliveryOptions {
  platform: Platform;
  writeKey: string;
  batchUrl: string;
  stats: DeliveryStats;
  /** Send once this many events wait. */
  flushAt?: number;
  /** Send events at most this long after they were captured. */
  flushIntervalMs?: number;
  maxQueueSize?: number;
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

/** sendBeacon and keepalive fetch share a 64 KiB in-flight budget per page. */
const BEACON_BYTES = 60_000;

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
  let buffer: LoupeEvent[] = [];
  // Captured here and not yet seen acknowledged: what a beacon carries when the page goes away.
  const unacked = new Map<string, LoupeEvent>();
  let stored: Promise<void> = Promise.resolve();
  let flushing: Promise<void> | null = null;
  let again = false;
  let attempt = 0;
  let retryAt = 0;
  let timer: { cancel: Cancel; due: number } | null = null;
  let persistTimer: Cancel | null = null;

  const schedule = (ms: number) => {
    const due = platform.now() + ms;
    if (timer && timer.due <= due) return;
    timer?.cancel();
    timer = {
      due,
      cancel: platform.lifecycle.setTimer(() => {
        timer = null;
        void flush();
      }, ms),
    };
  };

  const enforceLimit = async () => {
    const excess = (await queue.count()) - maxQueueSize;
    if (excess <= 0) return;
    const oldest = await queue.peek(excess);
    await queue.remove(oldest.map((entry) => entry.key));
    for (const { event } of oldest) unacked.delete(event.messageId);
    stats.droppedQueueFull += oldest.length;
  };

  const persist = (): Promise<void> => {
    persistTimer?.();
    persistTimer = null;
    const events = buffer;
    if (events.length === 0) return stored;
    buffer = [];
    stored = stored
      .then(() => queue.push(events))
      .then(enforceLimit)
      .catch((cause: unknown) => {
        stats.droppedStorage += events.length;
        onError(new StorageError('could not store events', { cause }));
      });
    return stored;
  };

  const forget = (keys: readonly number[], events: Map<number, LoupeEvent>) => {
    for (const key of keys) {
      const event = events.get(key);
      if (event) unacked.delete(event.messageId);
    }
    return queue.remove(keys);
  };

  const drain = async (keepalive: boolean) => {
    let limit = maxBatchEvents;
    for (;;) {
      const wait = retryAt - platform.now();
      if (wait > 0) return schedule(wait);
      const entries = await queue.peek(limit);
      if (entries.length === 0) return;
      const byKey = new Map(entries.map((entry) => [entry.key, entry.event]));
      const sentAt = new Date(platform.now()).toISOString();
      const batch = buildBatch(entries, { sentAt, writeKey }, {
        maxEventBytes: LIMITS.maxEventBytes,
        maxBodyBytes: keepalive ? BEACON_BYTES : LIMITS.maxRequestBytes - 1024,
      });
      if (batch.oversize.length > 0) {
        stats.droppedTooLarge += batch.oversize.length;
        await forget(batch.oversize, byKey);
      }
      if (batch.keys.length === 0) continue;
      const response = await platform.transport.send({ method: 'POST', url: batchUrl, body: batch.body, keepalive });
      const outcome = classifyResponse(response, platform.now());
      if (outcome.kind === 'retry') {
        const delay = outcome.delayMs ?? backoff({ attempt });
        attempt++;
        stats.retries++;
        retryAt = platform.now() + delay;
        if (response.status !== 0) onError(new DeliveryError(`collector answered ${response.status}`, response.status));
        return schedule(delay);
      }
      attempt = 0;
      if (outcome.kind === 'split' && batch.keys.length > 1) {
        limit = Math.ceil(batch.keys.length / 2);
        continue;
      }
      await forget(batch.keys, byKey);
      if (outcome.kind === 'ack') {
        stats.delivered += batch.keys.length - outcome.rejected.length;
        stats.duplicates += outcome.duplicates;
        stats.rejected += outcome.rejected.length;
        if (outcome.rejected.length > 0) onError(new DeliveryError('collector rejected events', 200, outcome.rejected));
        const refused = new Set(outcome.rejected.map((r) => r.index));
        onAck(outcome, batch.keys.flatMap((key, i) => (refused.has(i) ? [] : (byKey.get(key) ?? []))));
      } else {
        if (outcome.kind === 'split') stats.droppedTooLarge += batch.keys.length;
        else stats.droppedInvalid += batch.keys.length;
        onError(new DeliveryError(`collector refused a batch with ${response.status}`, response.status));
      }
    }
  };

  const flush = (keepalive = false): Promise<void> => {
    if (flushing) {
      again = true;
      return flushing;
    }
    flushing = (async () => {
      do {
        again = false;
        await persist();
        await queue.exclusive(() => drain(keepalive)).catch(onError);
      } while (again && retryAt <= platform.now());
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  return {
    add(event) {
      buffer.push(event);
      unacked.set(event.messageId, event);
      // Writing in a later task keeps serialization and storage off the capturing call.
      persistTimer ??= platform.lifecycle.setTimer(() => void persist(), 0);
      schedule(buffer.length >= flushAt ? 0 : flushIntervalMs);
    },
    flush,
    leave() {
      void persist();
      let parts: string[] = [];
      let bytes = 0;
      let accepted = true;
      const send = () => {
        if (parts.length === 0 || !accepted) return;
        const envelope = JSON.stringify({ sentAt: new Date(platform.now()).toISOString(), writeKey }).slice(1);
        accepted = platform.transport.beacon(batchUrl, `{"batch":[${parts.join(',')}],${envelope}`);
        parts = [];
        bytes = 0;
      };
      for (const event of unacked.values()) {
        const json = JSON.stringify(event);
        const size = utf8Length(json) + 1;
        if (size > BEACON_BYTES - 200) continue;
        if (bytes + size > BEACON_BYTES - 200) send();
        parts.push(json);
        bytes += size;
      }
      send();
    },
    retryNow() {
      retryAt = 0;
      attempt = 0;
      void flush();
    },
    async purge() {
      buffer = [];
      unacked.clear();
      timer?.cancel();
      timer = null;
      await stored;
      await queue.clear();
    },
  };
}
