import {
  type CoreTrackerOptions,
  createCoreTracker,
  type Platform,
  type Tracker,
  type TransportRequest,
  type TransportResponse,
} from '@loupe/tracker';
import type { BatchRequest } from '@loupe/schema';

/** One launch of the app (one page load) on the platform under test, as its factory makes it. */
export interface PlatformLaunch {
  platform: Platform;
  /** The app goes to the background (the page is hidden). */
  background(): void;
  /** Connectivity comes back. */
  reconnect(): void;
}

/** A device (a browser profile): storage that outlives launches. */
export interface PlatformDevice {
  launch(): PlatformLaunch;
  /** Names of everything the tracker keeps on the device (storage keys, databases). */
  stored(): Promise<string[]>;
  /** The entry holding the consent decision: the one thing revocation keeps. */
  consentEntry: string;
  dispose?(): Promise<void>;
}

/**
 * What happens to one request: `offline` never leaves the device; `lose-response` reaches the
 * collector and its answer is lost; `hold` reaches it and never answers (the app dies waiting);
 * a response is answered by the harness instead of the collector.
 */
export type Fault = 'offline' | 'lose-response' | 'hold' | TransportResponse;

export interface SentRequest {
  /** The manual clock when the request was sent. */
  at: number;
  messageIds: string[];
  bytes: number;
  fault: Fault | undefined;
}

export interface App {
  tracker: Tracker;
  launch: PlatformLaunch;
  requests: SentRequest[];
  /** What the tracker reported to `onError`. */
  errors: unknown[];
  /** Decides the fate of the request numbered `n` (0-based, per app). */
  fault: (request: TransportRequest, n: number) => Fault | undefined;
  now(): number;
  /** Lets every pending storage operation and request finish without moving the clock. */
  settle(): Promise<void>;
  /** Moves the clock by `ms`, firing the timers due on the way. */
  advance(ms: number): Promise<void>;
  /** Fires timers in order, as time passes, until `done()` holds; fails after `maxSteps` timers. */
  until(done: () => boolean | Promise<boolean>, maxSteps?: number): Promise<void>;
  /** The process dies: timers never fire, answers never arrive, listeners are gone. */
  kill(): void;
}

/** Wall-clock time shared by a device's launches; timers belong to one launch. */
export interface DeviceClock {
  now: number;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const never = new Promise<never>(() => {});

/**
 * Runs a core tracker over a launched platform with a manual clock and fault injection; storage,
 * transport and lifecycle events stay the platform's own.
 */
export function startApp(
  launch: PlatformLaunch,
  clock: DeviceClock,
  options: Omit<CoreTrackerOptions, 'platform'>,
): App {
  const base = launch.platform;
  const pending = new Set<Promise<unknown>>();
  const timers = new Map<number, { due: number; callback: () => void }>();
  let timerIds = 0;
  let sent = 0;
  let dead = false;

  // Every storage call and request is watched, so `settle()` knows when the app is idle.
  const watch = <T>(promise: Promise<T>): Promise<T> => {
    if (dead) return never;
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => {});
    return promise;
  };
  const watched = <S extends object>(target: S, methods: readonly (keyof S)[]): S => {
    const copy = Object.create(target) as S;
    for (const method of methods) {
      const fn = target[method] as unknown as (...args: unknown[]) => Promise<unknown>;
      (copy as Record<keyof S, unknown>)[method] = (...args: unknown[]) => watch(fn.apply(target, args));
    }
    return copy;
  };

  const app: App = {
    launch,
    requests: [],
    errors: [],
    fault: () => undefined,
    now: () => clock.now,
    tracker: undefined as unknown as Tracker,
    async settle() {
      for (let quiet = 0; quiet < 5; ) {
        await tick();
        if (pending.size === 0) quiet++;
        else {
          quiet = 0;
          await Promise.allSettled([...pending]);
        }
      }
    },
    async advance(ms) {
      const target = clock.now + ms;
      for (;;) {
        await app.settle();
        const next = nextTimer(target);
        if (!next) break;
        fire(next);
      }
      clock.now = target;
      await app.settle();
    },
    async until(done, maxSteps = 500) {
      for (let step = 0; step < maxSteps; step++) {
        await app.settle();
        if (await done()) return;
        const next = nextTimer(Number.POSITIVE_INFINITY);
        if (!next) throw new Error('the app went idle before the condition held');
        fire(next);
      }
      throw new Error(`the condition did not hold after ${maxSteps} timers`);
    },
    kill() {
      dead = true;
      timers.clear();
      pending.clear();
      app.tracker.destroy();
    },
  };

  const nextTimer = (limit: number) => {
    let next: [number, { due: number; callback: () => void }] | undefined;
    for (const entry of timers) if (entry[1].due <= limit && (!next || entry[1].due < next[1].due)) next = entry;
    return next;
  };
  const fire = ([id, timer]: [number, { due: number; callback: () => void }]) => {
    timers.delete(id);
    clock.now = Math.max(clock.now, timer.due);
    timer.callback();
  };

  const platform: Platform = {
    ...base,
    now: () => clock.now,
    storage: {
      kv: watched(base.storage.kv, ['get', 'set', 'remove']),
      queue: watched(base.storage.queue, ['push', 'peek', 'remove', 'count', 'clear']),
    },
    lifecycle: {
      ...base.lifecycle,
      setTimer(callback, ms) {
        if (dead) return () => {};
        const id = ++timerIds;
        timers.set(id, { due: clock.now + Math.max(0, ms), callback });
        return () => timers.delete(id);
      },
    },
    transport: {
      beacon: (url, body) => base.transport.beacon(url, body),
      send(request) {
        const fault = app.fault(request, sent++);
        if (request.method === 'POST') {
          const body = JSON.parse(request.body ?? '{}') as BatchRequest;
          app.requests.push({
            at: clock.now,
            messageIds: body.batch.map((e) => e.messageId),
            bytes: Buffer.byteLength(request.body ?? ''),
            fault,
          });
        }
        if (fault === 'offline') return watch(Promise.resolve({ status: 0, retryAfter: null, body: null }));
        if (fault && typeof fault === 'object') return watch(Promise.resolve(fault));
        const answer = watch(base.transport.send(request));
        if (fault === 'hold') {
          // The request reaches the collector; the app never hears back. `settle()` waits for the
          // request, not for the answer that never comes.
          return answer.then(() => never);
        }
        if (fault === 'lose-response') return answer.then(() => ({ status: 0, retryAfter: null, body: null }));
        return answer;
      },
    },
  };

  app.tracker = createCoreTracker({ onError: (error) => app.errors.push(error), ...options, platform });
  return app;
}
