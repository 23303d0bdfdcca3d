import type { SegmentStore } from '@loupe/segmenter';
import type pg from 'pg';
import { createPostgresSegmentStore } from './postgres/segments.js';
import { createSqliteSegmentStore } from './sqlite/segments.js';
import type { Store } from './types.js';

const opened = new WeakMap<object, SegmentStore>();

function isSegmentStore(store: object): store is SegmentStore {
  return typeof (store as Partial<SegmentStore>).saveSegmentation === 'function';
}

/**
 * The segment tables for a store: the store itself when its adapter implements `SegmentStore`, the
 * SQLite segment tables on the same connection for the SQLite store, the PostgreSQL ones on the
 * same pool for the PostgreSQL store (migrated on first use), else null (segment read-back then
 * answers 501 and `loupe segment` refuses).
 */
export function segmentStoreOf(store: Store): SegmentStore | null {
  if (isSegmentStore(store)) return store;
  const cached = opened.get(store);
  if (cached) return cached;
  const { db, pool } = store as { db?: unknown; pool?: unknown };
  let segments: SegmentStore;
  if (store.kind === 'sqlite' && db)
    segments = createSqliteSegmentStore(db as Parameters<typeof createSqliteSegmentStore>[0]);
  else if (store.kind === 'postgres' && pool) segments = createPostgresSegmentStore(pool as pg.Pool);
  else return null;
  opened.set(store, segments);
  return segments;
}
