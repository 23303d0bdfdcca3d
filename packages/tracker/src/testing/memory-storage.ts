import { createMemoryQueue } from '../core/memory-queue.js';
import type { KeyValueStore, TrackerStorage } from '../core/platform.js';

export { createMemoryQueue };

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

type MemoryStorage = TrackerStorage & {
  kv: ReturnType<typeof createMemoryKv>;
  queue: ReturnType<typeof createMemoryQueue>;
};

/** In-memory storage; pass another one to open a second "tab" over the same data. */
export function createMemoryStorage(sameOriginAs?: MemoryStorage): MemoryStorage {
  return sameOriginAs
    ? { kv: createMemoryKv(sameOriginAs.kv.map), queue: sameOriginAs.queue }
    : { kv: createMemoryKv(), queue: createMemoryQueue() };
}
