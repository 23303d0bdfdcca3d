import type { BatchRequest, LoupeEvent } from '@loupe/schema';
import { describe, expect, it } from 'vitest';
import { LoupeError } from '../core/errors.js';
import { createTracker } from './create-tracker.js';
import { createMemoryAsyncStorage } from './memory-async-storage.js';
import type { AppStateLike, DeviceModules } from './native-modules.js';

const device: DeviceModules = {
  Platform: { OS: 'android', Version: 34, constants: { Release: '14', Manufacturer: 'Google', Model: 'Pixel 8' } },
  Dimensions: { get: () => ({ width: 412, height: 915, scale: 2.625 }) },
};

function setup() {
  const listeners = new Set<(state: string) => void>();
  const appState: AppStateLike & { set(state: string): void } = {
    currentState: 'active',
    addEventListener: (_type, listener) => (listeners.add(listener), { remove: () => void listeners.delete(listener) }),
    set: (state) => listeners.forEach((listener) => listener(state)),
  };
  const batches: LoupeEvent[][] = [];
  const waiting: (() => void)[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    if (url.includes('/v1/profile')) {
      return Response.json({ anonymousId: 'a', segment: { id: 'seg-1', name: 'Power users', since: '2024-01-01' } });
    }
    const body = JSON.parse(String(init?.body)) as BatchRequest;
    batches.push(body.batch);
    for (const resolve of waiting.splice(0)) resolve();
    return Response.json({ accepted: body.batch.length, duplicates: 0, rejected: [] });
  };
  const tracker = createTracker({
    writeKey: 'wk_test',
    host: 'https://collector.test/',
    asyncStorage: createMemoryAsyncStorage(),
    appState,
    netInfo: null,
    device,
    app: { name: 'Shop', version: '1.2.0', build: '7' },
    fetch,
  });
  const nextBatch = () => new Promise<void>((resolve) => waiting.push(resolve));
  return { tracker, appState, batches, nextBatch };
}

describe('createTracker (React Native)', () => {
  it('sends screens, cart events and identifies with app, device and os context when the app goes to the background', async () => {
    const { tracker, appState, batches, nextBatch } = setup();
    tracker.consent.grant(['analytics']);
    await tracker.ready;
    tracker.screen('Product', { product_id: 'sku-1' });
    tracker.cart.add({ product_id: 'sku-1', price: 12.5 });
    tracker.identify('user-1', { plan: 'pro' });
    const sent = nextBatch();
    appState.set('background');
    await sent;
    const events = batches.flat();
    expect(events.map((e) => e.type)).toEqual(['screen', 'track', 'identify']);
    expect(events[0]).toMatchObject({ name: 'Product', properties: { product_id: 'sku-1' } });
    expect(events[1]).toMatchObject({
      event: 'Product Added',
      properties: { product_id: 'sku-1', price: 12.5, quantity: 1 },
    });
    expect(events[2]).toMatchObject({ userId: 'user-1', traits: { plan: 'pro' } });
    expect(events[0]?.context).toMatchObject({
      app: { name: 'Shop', version: '1.2.0', build: '7' },
      os: { name: 'Android', version: '14' },
      device: { type: 'android', manufacturer: 'Google', model: 'Pixel 8' },
      screen: { width: 412, height: 915 },
      consent: { categories: { analytics: true } },
    });
    tracker.destroy();
  });

  it('reads the segment back once personalization is granted', async () => {
    const { tracker } = setup();
    const seen = new Promise((resolve) => tracker.onSegment((segment) => segment && resolve(segment)));
    tracker.consent.grant(['analytics', 'personalization']);
    expect(await seen).toEqual({ id: 'seg-1', name: 'Power users' });
    expect(tracker.segment()).toEqual({ id: 'seg-1', name: 'Power users' });
    tracker.destroy();
  });

  it('throws a configuration error when AppState is neither passed nor loadable from react-native', () => {
    // Node cannot load react-native itself (Flow syntax), so the lazy default fails here.
    const create = () =>
      createTracker({ writeKey: 'wk', host: 'https://c.test', asyncStorage: createMemoryAsyncStorage(), device: null });
    expect(create).toThrow(LoupeError);
    expect(create).toThrow(/appState/);
  });
});
