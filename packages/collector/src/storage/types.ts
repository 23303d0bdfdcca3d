import type { EventType, LoupeEvent } from '@loupe/schema';
import type { SourceEvent } from '@loupe/segmenter';

/** A write key and what it allows. */
export interface WriteKey {
  key: string;
  name: string | null;
  /** Origins allowed to send from a browser (`*` allows any). Server libraries send no Origin. */
  origins: string[];
  /** Store only events whose `context.consent.categories.analytics` is true. */
  requireConsent: boolean;
  retentionDays: number;
  createdAt: string;
}

export interface NewWriteKey {
  name?: string | null;
  origins: string[];
  requireConsent?: boolean;
  retentionDays?: number;
  /** Use this key instead of a random one (the demo key). */
  key?: string;
}

/** One event as stored: the enriched payload plus the columns the readers index. */
export interface StoredEvent {
  writeKey: string;
  messageId: string;
  type: EventType;
  anonymousId: string | null;
  userId: string | null;
  /** `event` for track, `name` for page and screen. */
  name: string | null;
  /** ISO 8601, corrected for client clock skew. */
  timestamp: string;
  receivedAt: string;
  sessionId: string | null;
  /** Truncated (IPv4 /24, IPv6 /48); never the whole address. */
  ip: string | null;
  isBot: boolean;
  payload: LoupeEvent;
}

export type InsertOutcome = 'inserted' | 'duplicate';

export interface QuarantinedPayload {
  writeKey: string | null;
  reason: string;
  path: string;
  raw: string;
  receivedAt: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail?: Record<string, unknown>;
}

/** An anonymous id joined to a user id by identify, alias or an event carrying both. */
export interface IdentityLink {
  anonymousId: string;
  userId: string;
  at: string;
}

export interface ScanOptions {
  /** Only events with a timestamp at or after this ISO date. */
  since?: string;
  writeKey?: string;
  /** Rows per page; the scan never holds more than one page. */
  pageSize?: number;
  /** Leave out events flagged as bots (default false: the segmenter flags them itself). */
  excludeBots?: boolean;
}

export interface EventStore {
  /** Commits the rows in one transaction; one outcome per row, in order. Dedup on (writeKey, messageId). */
  insertEvents(rows: readonly StoredEvent[]): Promise<InsertOutcome[]>;
  /**
   * How many `insertEvents` calls may wait at once (default 1): a store that commits them in order
   * on a thread of its own takes the next group while the answer to the last one is on its way.
   */
  readonly commitsInFlight?: number;
  /** Acknowledged events not yet in the indexed events table (the SQLite ingest log's lag); absent when there is none. */
  readonly pendingIndexRows?: number;
  /** Streams events in timestamp order, one page at a time. */
  scanEvents(options?: ScanOptions): AsyncIterable<StoredEvent[]>;
  /**
   * `scanEvents` projected to what the segmenter reads (`SegmenterSource.scanSourceEvents`), decoded
   * in the database instead of parsing each payload; optional, the segmenter falls back to `scanEvents`.
   */
  scanSourceEvents?(options?: ScanOptions): AsyncIterable<SourceEvent[]>;
  countEvents(writeKey?: string): Promise<number>;
  /** Every event whose anonymousId or userId is one of `ids`. */
  eventsForIds(ids: readonly string[]): Promise<StoredEvent[]>;
  deleteEventsForIds(ids: readonly string[]): Promise<number>;
  /** Deletes events received before `before` for a key; returns the count. */
  purgeEventsBefore(writeKey: string, before: string): Promise<number>;
  identityLinks(): AsyncIterable<IdentityLink[]>;
  /** Every id joined to `id` through identity links, `id` included (transitively). */
  linkedIds(id: string): Promise<string[]>;
  deleteLinksForIds(ids: readonly string[]): Promise<number>;
}

export interface KeyStore {
  createKey(input: NewWriteKey): Promise<WriteKey>;
  getKey(key: string): Promise<WriteKey | null>;
  listKeys(): Promise<WriteKey[]>;
}

export interface QuarantineStore {
  quarantine(rows: readonly QuarantinedPayload[]): Promise<void>;
  purgeQuarantineBefore(before: string): Promise<number>;
  countQuarantine(): Promise<number>;
}

export interface AuditStore {
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(limit?: number): Promise<AuditEntry[]>;
}

/** Everything the collector keeps. Each adapter (`sqlite`, `postgres`) implements all of it. */
export interface Store extends EventStore, KeyStore, QuarantineStore, AuditStore {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}
