import type { LoupeEvent } from '@loupe/schema';
import { describe, expect, it } from 'vitest';
import { createAsyncStorageQueue } from './async-storage-queue.js';
import { createMemoryAsyncStorage } from './memory-async-storage.js';

const event = (n: number): LoupeEvent => ({
  type: 'track',
  event: `Event ${n}`,
  messageId: `m-${n}`,
  anonymousId: 'a',
});
const ids = (entries: { event: LoupeEvent }[]) => entries.map((entry) => entry.event.messageId);

describe('createAsyncStorageQueue', () => {
  it('gives back events oldest first, up to the limit', async () => {
    const queue = createAsyncStorageQueue(createMemoryAsyncStorage(), '@loupe/q/');
    await queue.push([event(1), event(2)]);
    await queue.push([event(3)]);
    expect(ids(await queue.peek(2))).toEqual(['m-1', 'm-2']);
    expect(await queue.count()).toBe(3);
  });

  it('keeps one item per event and removes exactly the acknowledged ones', async () => {
    const storage = createMemoryAsyncStorage();
    const queue = createAsyncStorageQueue(storage, '@loupe/q/');
    await queue.push([event(1), event(2), event(3)]);
    const [first, second] = await queue.peek(2);
    await queue.remove([first?.key ?? 0, second?.key ?? 0]);
    expect(ids(await queue.peek(10))).toEqual(['m-3']);
    expect(await storage.getAllKeys()).toEqual(['@loupe/q/3']);
  });

  it('finds the events a previous run left, and appends after them', async () => {
    const storage = createMemoryAsyncStorage();
    await createAsyncStorageQueue(storage, '@loupe/q/').push([event(1), event(2)]);
    const restarted = createAsyncStorageQueue(storage, '@loupe/q/');
    await restarted.push([event(3)]);
    expect(ids(await restarted.peek(10))).toEqual(['m-1', 'm-2', 'm-3']);
  });

  it('orders by sequence number, not by key text (10 after 9)', async () => {
    const storage = createMemoryAsyncStorage();
    await createAsyncStorageQueue(storage, '@loupe/q/').push(Array.from({ length: 11 }, (_, n) => event(n)));
    expect(ids(await createAsyncStorageQueue(storage, '@loupe/q/').peek(11)).slice(-2)).toEqual(['m-9', 'm-10']);
  });

  it('drops an unreadable item instead of blocking the queue behind it', async () => {
    const storage = createMemoryAsyncStorage();
    await createAsyncStorageQueue(storage, '@loupe/q/').push([event(1), event(2)]);
    await storage.setItem('@loupe/q/1', '{not json');
    const queue = createAsyncStorageQueue(storage, '@loupe/q/');
    expect(ids(await queue.peek(10))).toEqual(['m-2']);
    expect(await storage.getAllKeys()).toEqual(['@loupe/q/2']);
  });

  it('clears only its own items and writes nothing before the first push', async () => {
    const storage = createMemoryAsyncStorage();
    await storage.setItem('@loupe/consent', '{}');
    await storage.setItem('other-app-key', 'x');
    const queue = createAsyncStorageQueue(storage, '@loupe/q/');
    expect(await queue.count()).toBe(0);
    expect(await storage.getAllKeys()).toEqual(['@loupe/consent', 'other-app-key']);
    await queue.push([event(1)]);
    await queue.clear();
    expect(await queue.count()).toBe(0);
    expect(await storage.getAllKeys()).toEqual(['@loupe/consent', 'other-app-key']);
  });

  it('runs exclusive tasks one at a time', async () => {
    const queue = createAsyncStorageQueue(createMemoryAsyncStorage(), '@loupe/q/');
    const order: string[] = [];
    let release = () => {};
    const first = queue.exclusive(async () => {
      order.push('first start');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first end');
    });
    const second = queue.exclusive(async () => void order.push('second'));
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first start', 'first end', 'second']);
  });
});
