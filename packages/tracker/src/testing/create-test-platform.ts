import type { EventContext } from '@loupe/schema';
import type { Platform, TrackerStorage, TransportRequest, TransportResponse } from '../core/platform.js';
import { createFakeCollector, type FakeCollector } from './fake-collector.js';
import { createMemoryStorage } from './memory-storage.js';

/** Decides the fate of one request: answer it, or return undefined to let the fake collector answer. */
export type Responder = (request: TransportRequest, collector: FakeCollector) => TransportResponse | undefined;

export interface TestPlatformOptions {
  /** Share one storage between platforms to simulate tabs. */
  storage?: TrackerStorage;
  collector?: FakeCollector;
  start?: number;
  context?: EventContext;
}

export interface TestPlatform {
  platform: Platform;
  collector: FakeCollector;
  /** Every request sent, in order. */
  requests: TransportRequest[];
  beacons: { url: string; body: string }[];
  /** Replace to fail, delay or inspect requests (see `Responder`). */
  respond: Responder;
  context: EventContext;
  now(): number;
  /** Moves the clock forward, firing due timers in order and letting their promises settle. */
  advance(ms: number): Promise<void>;
  /** Lets pending promises settle without moving the clock. */
  settle(): Promise<void>;
  hide(): void;
  leave(): void;
  online(): void;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * An in-memory platform with a manual clock, a fake collector and lifecycle triggers: the test
 * double for code built on `@loupe/tracker`'s core.
 *
 * @example
 * const test = createTestPlatform();
 * const tracker = createCoreTracker({ writeKey: 'wk', host: 'https://c.test', platform: test.platform, consentDefaults: ['analytics'] });
 * tracker.track('Signed Up');
 * await test.advance(5000);
 * expect(test.collector.events).toHaveLength(1);
 */
export function createTestPlatform({
  storage = createMemoryStorage(),
  collector = createFakeCollector(),
  start = Date.UTC(2024, 0, 1),
  context = {
    page: { url: 'https://shop.test/', path: '/', referrer: '', title: 'Shop', search: '' },
    locale: 'en-US',
  },
}: TestPlatformOptions = {}): TestPlatform {
  let now = start;
  let ids = 0;
  let timerIds = 0;
  const timers = new Map<number, { due: number; callback: () => void }>();
  const listeners = { hide: new Set<() => void>(), leave: new Set<() => void>(), online: new Set<() => void>() };
  const on = (set: Set<() => void>) => (listener: () => void) => {
    set.add(listener);
    return () => set.delete(listener);
  };
  const fire = (set: Set<() => void>) => {
    for (const listener of [...set]) listener();
  };

  const test: TestPlatform = {
    collector,
    requests: [],
    beacons: [],
    respond: () => undefined,
    context,
    now: () => now,
    platform: {
      storage,
      now: () => now,
      randomId: () => `id-${++ids}-${start.toString(36)}`,
      context: () => structuredClone(test.context),
      transport: {
        async send(request) {
          test.requests.push(request);
          await tick();
          return test.respond(request, collector) ?? collector.handle(request);
        },
        beacon(url, body) {
          test.beacons.push({ url, body });
          collector.handle({ method: 'POST', url, body });
          return true;
        },
      },
      lifecycle: {
        onHide: on(listeners.hide),
        onLeave: on(listeners.leave),
        onOnline: on(listeners.online),
        setTimer(callback, ms) {
          const id = ++timerIds;
          timers.set(id, { due: now + Math.max(0, ms), callback });
          return () => timers.delete(id);
        },
      },
    },
    async advance(ms) {
      const target = now + ms;
      await test.settle();
      for (;;) {
        let next: [number, { due: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].due <= target && (!next || entry[1].due < next[1].due)) next = entry;
        if (!next) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].due);
        next[1].callback();
        await test.settle();
      }
      now = target;
    },
    async settle() {
      for (let i = 0; i < 10; i++) await tick();
    },
    hide: () => fire(listeners.hide),
    leave: () => fire(listeners.leave),
    online: () => fire(listeners.online),
  };
  return test;
}
