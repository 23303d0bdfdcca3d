/** @module @loupe/collector: Segment-compatible ingest, storage adapters and the loupe CLI. */
export { createSqliteStore } from './storage/sqlite/index.js';
export type { SqliteStoreOptions } from './storage/sqlite/index.js';
export type {
  AuditEntry,
  EventStore,
  IdentityLink,
  InsertOutcome,
  KeyStore,
  NewWriteKey,
  QuarantinedPayload,
  ScanOptions,
  Store,
  StoredEvent,
  WriteKey,
} from './storage/types.js';
