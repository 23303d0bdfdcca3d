import type { SuppressionStore } from '../storage/privacy-types.js';
import { subjectDigest } from './consent-chain.js';

export interface SuppressionList {
  /** Resolves once the stored list is in memory; `has` answers from memory only. */
  readonly ready: Promise<void>;
  /** Whether any of `ids` was erased. Synchronous once ready (it sits on the ingest hot path). */
  has(ids: readonly string[]): boolean | Promise<boolean>;
  /** Adds erased ids (stored as digests only); returns how many were new. */
  add(ids: readonly string[], at: string): Promise<number>;
  /** Rereads the stored list (another collector process may have erased ids). */
  refresh(): Promise<void>;
}

/** Ids checked recently and their answer, so a busy id costs one digest, not one per event. */
const CACHE_LIMIT = 50_000;

/**
 * Erased ids whose later events must not be stored again. Only sha256 digests are kept, on disk
 * and in memory, so the list does not itself hold the ids it was asked to forget.
 */
export function createSuppressionList(store: SuppressionStore): SuppressionList {
  let digests = new Set<string>();
  const cache = new Map<string, boolean>();
  let loaded = false;

  const check = (ids: readonly string[]): boolean => {
    if (digests.size === 0) return false;
    for (const id of ids) {
      let hit = cache.get(id);
      if (hit === undefined) {
        hit = digests.has(subjectDigest(id));
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(id, hit);
      }
      if (hit) return true;
    }
    return false;
  };

  const refresh = async () => {
    digests = new Set(await store.listSuppressed());
    cache.clear();
    loaded = true;
  };
  const ready = refresh();

  return {
    ready,
    has: (ids) => (loaded ? check(ids) : ready.then(() => check(ids))),
    async add(ids, at) {
      await ready;
      const list = [...new Set(ids)].map(subjectDigest);
      const added = await store.addSuppressed(list, at);
      for (const digest of list) digests.add(digest);
      cache.clear();
      return added;
    },
    refresh,
  };
}
