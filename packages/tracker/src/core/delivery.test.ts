import type { LoupeEvent } from '@loupe/schema';
import { describe, expect, it } from 'vitest';
import { createFakeCollector, createMemoryStorage, createTestPlatform, type TestPlatform } from '../testing/index.js';
import { createDelivery, type DeliveryOptions } from './delivery.js';
import { createStats } from './stats.js';

const event = (n: number, extra: Record<string, unknown> = {}): LoupeEvent => ({
  type: 'track',
  event: `Event ${n}`,
  messageId: `msg-${n}`,
  anonymousId: 'anon',
  properties: extra,
});

function setup(test: TestPlatform = createTestPlatform(), options: Partial<DeliveryOptions> = {}) {
  const stats = createStats();
  const errors: unknown[] = [];
  const delivery = createDelivery({
    platform: test.platform,
    writeKey: 'wk_test',
    batchUrl: 'https://c.test/v1/batch',
    stats,
    onError: (error) => errors.push(error),
    onAck: () => {},
    ...options,
  });
  return { test, delivery, stats, errors };
}

const sentIds = (test: TestPlatform) =>
  test.requests.map((r) => (JSON.parse(r.body ?? '{}').batch as LoupeEvent[]).map((e) => e.messageId));

describe('delivery', () => {
  it('sends a batch once flushAt events wait, with the write key in the body', async () => {
    const { test, delivery } = setup(undefined, { flushAt: 3 });
    for (let i = 0; i < 3; i++) delivery.add(event(i));
    await test.advance(0);
    expect(test.requests).toHaveLength(1);
    expect(JSON.parse(test.requests[0]?.body ?? '')).toMatchObject({ writeKey: 'wk_test', sentAt: expect.any(String) });
    expect(test.collector.events.map((e) => e.messageId)).toEqual(['msg-0', 'msg-1', 'msg-2']);
  });

  it('sends fewer events once they are flushIntervalMs old', async () => {
    const { test, delivery } = setup(undefined, { flushIntervalMs: 2000 });
    delivery.add(event(1));
    await test.advance(1999);
    expect(test.requests).toHaveLength(0);
    await test.advance(1);
    expect(test.requests).toHaveLength(1);
  });

  it('writes events to the queue before sending them', async () => {
    const storage = createMemoryStorage();
    const { test, delivery } = setup(createTestPlatform({ storage }));
    delivery.add(event(1));
    await test.advance(0);
    expect(storage.queue.entries().map((e) => e.event.messageId)).toEqual(['msg-1']);
    await test.advance(5000);
    expect(storage.queue.entries()).toEqual([]);
  });

  it('reuses the messageId on every retry so the collector stores the event once', async () => {
    const { test, delivery, stats } = setup();
    let failures = 2;
    test.respond = () => (failures-- > 0 ? { status: 0, retryAfter: null, body: null } : undefined);
    delivery.add(event(1));
    await test.advance(120_000);
    expect(sentIds(test)).toEqual([['msg-1'], ['msg-1'], ['msg-1']]);
    expect(test.collector.events).toHaveLength(1);
    expect(stats).toMatchObject({ retries: 2, delivered: 1 });
  });

  it('delivers exactly once when responses are lost after the collector stored the batch', async () => {
    const { test, delivery } = setup(undefined, { flushAt: 5 });
    let n = 0;
    test.respond = (request, collector) => {
      if (n++ % 2 === 1) return undefined;
      collector.handle(request);
      return { status: 0, retryAfter: null, body: null };
    };
    for (let i = 0; i < 40; i++) delivery.add(event(i));
    await test.advance(600_000);
    expect(test.collector.events.map((e) => e.messageId).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `msg-${i}`).sort(),
    );
    expect([...test.collector.arrivals.values()].some((count) => count > 1)).toBe(true);
  });

  it('waits as long as Retry-After says on 429', async () => {
    const { test, delivery } = setup();
    let first = true;
    test.respond = () => (first ? ((first = false), { status: 429, retryAfter: '30', body: null }) : undefined);
    delivery.add(event(1));
    await test.advance(2000);
    expect(test.requests).toHaveLength(1);
    await test.advance(29_000);
    expect(test.requests).toHaveLength(1);
    await test.advance(1000);
    expect(test.requests).toHaveLength(2);
    expect(test.collector.events).toHaveLength(1);
  });

  it('does not hammer the collector while it asks to wait, even as events keep coming', async () => {
    const { test, delivery } = setup(undefined, { flushAt: 1 });
    test.respond = () => ({ status: 503, retryAfter: '60', body: null });
    delivery.add(event(0));
    await test.advance(0);
    for (let i = 1; i < 30; i++) delivery.add(event(i));
    await test.advance(59_000);
    expect(test.requests).toHaveLength(1);
  });

  it('drops and counts events the collector rejected one by one, and keeps the rest delivered', async () => {
    const { test, delivery, stats, errors } = setup(undefined, { flushAt: 3 });
    test.respond = (request, collector) => {
      const answer = collector.handle(request);
      return {
        ...answer,
        body: { accepted: 2, duplicates: 0, rejected: [{ index: 1, path: 'event', message: 'too long' }] },
      };
    };
    for (let i = 0; i < 3; i++) delivery.add(event(i));
    await test.advance(60_000);
    expect(test.requests).toHaveLength(1);
    expect(stats).toMatchObject({ delivered: 2, rejected: 1 });
    expect(errors).toHaveLength(1);
  });

  it("hands onAck the answer's segment (absent, null or one) and the events the collector took", async () => {
    const acks: [unknown, string[]][] = [];
    const segments = [undefined, null, { id: 'power-users', name: 'Power users', since: '2024-01-01' }];
    const { test, delivery } = setup(undefined, {
      flushAt: 2,
      onAck: (segment, events) => acks.push([segment, events.map((e) => e.messageId)]),
    });
    let n = 0;
    test.respond = (request, collector) => {
      const answer = collector.handle(request);
      const rejected = n === 0 ? [{ index: 0, path: 'event', message: 'too long' }] : [];
      return { ...answer, body: { accepted: 2 - rejected.length, duplicates: 0, rejected, segment: segments[n++] } };
    };
    for (let i = 0; i < 6; i++) {
      delivery.add(event(i));
      if (i % 2) await test.advance(0);
    }
    expect(acks).toEqual([
      [undefined, ['msg-1']],
      [null, ['msg-2', 'msg-3']],
      [segments[2], ['msg-4', 'msg-5']],
    ]);
  });

  it('waits as long as Retry-After says on 503, and backs off without it', async () => {
    const { test, delivery, stats } = setup();
    const answers = [
      { status: 503, retryAfter: '10', body: null },
      { status: 429, retryAfter: null, body: null },
    ];
    test.respond = () => answers.shift();
    delivery.add(event(1));
    await test.advance(2000);
    await test.advance(9_999);
    expect(test.requests).toHaveLength(1);
    await test.advance(1);
    expect(test.requests).toHaveLength(2);
    // The first backoff is 0.5–1 s.
    await test.advance(1000);
    expect(test.requests).toHaveLength(3);
    expect(stats).toMatchObject({ retries: 2, delivered: 1 });
  });

  it('drops a batch the collector refuses as malformed instead of retrying it forever', async () => {
    const { test, delivery, stats } = setup();
    test.respond = () => ({ status: 400, retryAfter: null, body: null });
    delivery.add(event(1));
    await test.advance(600_000);
    expect(test.requests).toHaveLength(1);
    expect(stats.droppedInvalid).toBe(1);
  });

  it('halves the batch on 413 and drops a single event that is still too large', async () => {
    const { test, delivery, stats } = setup(undefined, { flushAt: 4 });
    test.respond = (request) => {
      const batch = JSON.parse(request.body ?? '{}').batch as LoupeEvent[];
      return batch.length > 1 || batch[0]?.messageId === 'msg-3'
        ? { status: 413, retryAfter: null, body: null }
        : undefined;
    };
    for (let i = 0; i < 4; i++) delivery.add(event(i));
    await test.advance(10_000);
    expect(sentIds(test).map((ids) => ids.length)).toEqual([4, 2, 1, 1, 1, 1]);
    expect(test.collector.events.map((e) => e.messageId)).toEqual(['msg-0', 'msg-1', 'msg-2']);
    expect(stats.droppedTooLarge).toBe(1);
  });

  it('drops the oldest event when the queue is full', async () => {
    const { test, delivery, stats } = setup(undefined, { maxQueueSize: 5 });
    test.respond = () => ({ status: 0, retryAfter: null, body: null });
    for (let i = 0; i < 8; i++) delivery.add(event(i));
    await test.advance(0);
    expect(stats.droppedQueueFull).toBe(3);
    test.respond = () => undefined;
    delivery.retryNow();
    await test.advance(1000);
    expect(test.collector.events.map((e) => e.messageId)).toEqual(['msg-3', 'msg-4', 'msg-5', 'msg-6', 'msg-7']);
  });

  it('sends what a previous page left in the queue', async () => {
    const storage = createMemoryStorage();
    await storage.queue.push([event(1), event(2)]);
    const { test, delivery } = setup(createTestPlatform({ storage }));
    await delivery.flush();
    expect(test.collector.events.map((e) => e.messageId)).toEqual(['msg-1', 'msg-2']);
  });

  it('beacons events not yet acknowledged when the page is left, keeping them queued for the next page', async () => {
    const storage = createMemoryStorage();
    const { test, delivery } = setup(createTestPlatform({ storage }));
    delivery.add(event(1));
    delivery.add(event(2));
    delivery.leave();
    expect(test.beacons).toHaveLength(1);
    expect(JSON.parse(test.beacons[0]?.body ?? '{}')).toMatchObject({
      writeKey: 'wk_test',
      batch: [{ messageId: 'msg-1' }, { messageId: 'msg-2' }],
    });
    await test.settle();
    expect(storage.queue.entries()).toHaveLength(2);
  });

  it('keeps two pages sharing a queue from sending the same event twice', async () => {
    const storage = createMemoryStorage();
    const collector = createFakeCollector();
    const a = setup(createTestPlatform({ storage, collector }), { flushAt: 2 });
    const b = setup(createTestPlatform({ storage, collector }), { flushAt: 2 });
    for (let i = 0; i < 30; i++) (i % 2 ? a : b).delivery.add(event(i));
    await Promise.all([a.test.advance(10_000), b.test.advance(10_000), a.delivery.flush(), b.delivery.flush()]);
    expect(collector.events).toHaveLength(30);
    expect([...collector.arrivals.values()].every((count) => count === 1)).toBe(true);
  });

  it('resets the backoff and sends when connectivity returns', async () => {
    const { test, delivery } = setup();
    test.respond = () => ({ status: 0, retryAfter: null, body: null });
    delivery.add(event(1));
    await test.advance(5000);
    const before = test.requests.length;
    test.respond = () => undefined;
    delivery.retryNow();
    await test.settle();
    expect(test.requests.length).toBe(before + 1);
    expect(test.collector.events).toHaveLength(1);
  });

  it('purges pending and queued events', async () => {
    const storage = createMemoryStorage();
    const { test, delivery } = setup(createTestPlatform({ storage }));
    test.respond = () => ({ status: 0, retryAfter: null, body: null });
    delivery.add(event(1));
    await test.advance(3000);
    delivery.add(event(2));
    await delivery.purge();
    await test.advance(600_000);
    expect(storage.queue.entries()).toEqual([]);
    delivery.leave();
    expect(test.beacons).toEqual([]);
  });
});
