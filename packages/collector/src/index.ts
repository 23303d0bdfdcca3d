/** @module @loupe/collector: Segment-compatible ingest, storage adapters and the loupe CLI. */
export { createApp } from './app.js';
export type { AppDeps, CollectorApp } from './app.js';
export { startServer } from './server.js';
export type { RunningServer, ServerOptions } from './server.js';
export { DEFAULT_CONFIG, configFromEnv } from './config.js';
export type { CollectorConfig } from './config.js';
export type { PrivacySection } from './services/privacy.js';
export { createSqliteStore } from './storage/sqlite/index.js';
export type { SqliteStoreOptions } from './storage/sqlite/index.js';
export { createPostgresStore } from './storage/postgres/index.js';
export type { PostgresPoolSettings, PostgresStoreOptions } from './storage/postgres/index.js';
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
export { consentAllows, hasGpcHeader } from './services/privacy-signals.js';
export { createSegmentGate } from './services/segment-gate.js';
export type { SegmentGate, SegmentGateRequest } from './services/segment-gate.js';
export type { PrivacyModule } from './privacy-module.js';
export type { PrivacyStore, ConsentRecordRow } from './storage/privacy-types.js';
