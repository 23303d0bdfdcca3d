import type { SegmentStore } from '@loupe/segmenter';
import { createSqliteSegmentStore } from './sqlite/segments.js';
import type { Store } from './types.js';

const opened = new WeakMap<object, SegmentStore>();

function isSegmentStore(store: object): store is SegmentStore {
  return typeof (store as Partial<SegmentStore>).saveSegmentation === 'function';
}

/**
 * The segment tables for a store: the store itself when its adapter implements `SegmentStore`, the
 * SQLite segment tables on the same connection for the SQLite store, else null (segment read-back
 * then answers 501 and `loupe segment` refuses).
 */
export function segmentStoreOf(store: Store): SegmentStore | null {
  if (isSegmentStore(store)) return store;
  const cached = opened.get(store);
  if (cached) return cached;
  const db = (store as { db?: unknown }).db;
  if (store.kind !== 'sqlite' || !db) return null;
  const segments = createSqliteSegmentStore(db as Parameters<typeof createSqliteSegmentStore>[0]);
  opened.set(store, segments);
  return segments;
}
