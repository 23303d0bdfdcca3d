import { isPrivacyStore, type PrivacyStore } from './privacy-types.js';
import { createSqlitePrivacyStore } from './sqlite/privacy.js';
import type { Store } from './types.js';

const opened = new WeakMap<object, PrivacyStore>();

/**
 * The privacy tables for a store: the store itself when its adapter implements `PrivacyStore`,
 * the SQLite privacy tables on the same connection for the SQLite store, else null (the privacy
 * routes then answer 501).
 */
export function privacyStoreOf(store: Store): PrivacyStore | null {
  if (isPrivacyStore(store)) return store;
  const cached = opened.get(store);
  if (cached) return cached;
  const db = (store as { db?: unknown }).db;
  if (store.kind !== 'sqlite' || !db) return null;
  const privacy = createSqlitePrivacyStore(db as Parameters<typeof createSqlitePrivacyStore>[0]);
  opened.set(store, privacy);
  return privacy;
}
