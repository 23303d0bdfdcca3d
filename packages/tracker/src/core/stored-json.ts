import type { KeyValueStore } from './platform.js';

/** A value kept as JSON: null when absent, unreadable (storage blocked) or corrupt. Never rejects. */
export const readJson = (kv: KeyValueStore, key: string): Promise<unknown> =>
  kv
    .get(key)
    .then((raw) => JSON.parse(raw as string) as unknown)
    .catch(() => null);
