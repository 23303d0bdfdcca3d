import type { LoupeEvent } from '@loupe/schema';
import type { KeyValueStore, QueuedEvent, QueueStore, TrackerStorage } from '../core/platform.js';

/** A queue in memory. Trackers given the same instance behave like tabs sharing one IndexedDB queue. */
export function createMemoryQueue(): QueueStore & { entries(): QueuedEvent[] } {
  let entries: QueuedEvent[] = [];
  let nextKey = 1;
  let lock: Promise<unknown> = Promise.resolve();
  return {
    entries: () => [...entries],
    push: async (events: readonly LoupeEvent[]) => {
      for (const event of events) entries.push({ key: nextKey++, event: structuredClone(event) });
    },
    peek: async (limit) => entries.slice(0, limit).map((entry) => ({ ...entry, event: structuredClone(entry.event) })),
    remove: async (keys) => {
      const gone = new Set(keys);
      entries = entries.filter((entry) => !gone.has(entry.key));
    },
    count: async () => entries.length,
    clear: async () => {
      entries = [];
    },
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      const run = lock.then(task, task);
      lock = run.catch(() => {});
      return run;
    },
  };
}

type Peer = (key: string, value: string | null) => void;
const peersOf = new WeakMap<Map<string, string>, Set<Peer>>();

/** Key-value pairs in memory; handles over the same `map` hear each other's writes, as tabs hear `storage` events. */
export function createMemoryKv(map = new Map<string, string>()): KeyValueStore & { map: Map<string, string> } {
  const peers = peersOf.get(map) ?? new Set<Peer>();
  peersOf.set(map, peers);
  const listeners = new Set<Peer>();
  const hear: Peer = (key, value) => {
    for (const listener of listeners) listener(key, value);
  };
  peers.add(hear);
  const write = (key: string, value: string | null) => {
    if (value === null) map.delete(key);
    else map.set(key, value);
    for (const peer of peers) if (peer !== hear) peer(key, value);
  };
  return {
    map,
    get: async (key) => map.get(key) ?? null,
    set: async (key, value) => write(key, value),
    remove: async (key) => write(key, null),
    subscribe(key, listener) {
      const filtered: Peer = (changed, value) => changed === key && listener(value);
      listeners.add(filtered);
      return () => listeners.delete(filtered);
    },
  };
}

type MemoryStorage = TrackerStorage & { kv: ReturnType<typeof createMemoryKv>; queue: ReturnType<typeof createMemoryQueue> };

/** In-memory storage; pass another one to open a second "tab" over the same data. */
export function createMemoryStorage(sameOriginAs?: MemoryStorage): MemoryStorage {
  return sameOriginAs
    ? { kv: createMemoryKv(sameOriginAs.kv.map), queue: sameOriginAs.queue }
    : { kv: createMemoryKv(), queue: createMemoryQueue() };
}
