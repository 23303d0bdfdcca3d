import type { KeyStore, WriteKey } from '../storage/types.js';

export interface KeyResolver {
  get(key: string): Promise<WriteKey | null>;
  /** Whether any key accepts this origin (answers CORS preflights, which carry no key). */
  anyKeyAllows(origin: string): Promise<boolean>;
}

export function originAllowed(key: WriteKey, origin: string | undefined | null): boolean {
  if (!origin) return true; // server libraries and same-origin navigations send none
  return key.origins.includes('*') || key.origins.includes(origin);
}

/**
 * Keys are read on every request, and created by the CLI in another process: cache them
 * briefly (and unknown keys more briefly) so a new key works within seconds without a restart.
 */
export function createKeyResolver(
  store: KeyStore,
  { ttlMs = 5000, missTtlMs = 1000, now = () => Date.now() } = {},
): KeyResolver {
  const cache = new Map<string, { key: WriteKey | null; until: number }>();
  let origins: { set: Set<string>; until: number } | null = null;
  return {
    async get(key) {
      const t = now();
      const hit = cache.get(key);
      if (hit && hit.until > t) return hit.key;
      const found = await store.getKey(key);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { key: found, until: t + (found ? ttlMs : missTtlMs) });
      return found;
    },
    async anyKeyAllows(origin) {
      const t = now();
      if (!origins || origins.until <= t) {
        const set = new Set((await store.listKeys()).flatMap((k) => k.origins));
        origins = { set, until: t + ttlMs };
      }
      return origins.set.has('*') || origins.set.has(origin);
    },
  };
}
