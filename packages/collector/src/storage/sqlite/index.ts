import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { DEFAULT_RETENTION_DAYS, MAX_LINKED_IDS, newWriteKey } from '../ids.js';
import type {
  AuditEntry,
  IdentityLink,
  NewWriteKey,
  QuarantinedPayload,
  ScanOptions,
  StoredEvent,
  Store,
  WriteKey,
} from '../types.js';
import {
  type AuditRow,
  EVENT_COLUMNS,
  type EventRow,
  type KeyRow,
  toAuditEntry,
  toStoredEvent,
  toWriteKey,
} from './rows.js';
import { createInlineWriter, createLoggedWriter, type EventWriter } from './event-writer-client.js';
import { openDatabase } from './event-writer.js';
import { candidateRanges, rebuildFilters } from './id-filter.js';
import { ingestLogPath, migrateIngestLog } from './ingest-log.js';
import { migrate } from './schema.js';
import { createSqliteSourceScan } from './scan-source.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:` for tests that need no durability. */
  path: string;
  /**
   * Where inserts run: `worker` (default for files) acknowledges through the ingest log, with
   * SQLite's CPU and fsyncs off the main thread; `inline` inserts into the events table in this thread.
   */
  writer?: 'worker' | 'inline';
  /** The indexer thread's nice value on Linux (default 10; 0 runs it at the process's priority). */
  indexerNice?: number;
  /** Acknowledged events waiting for the indexer past which ingest answers 503 (default 1,000,000). */
  maxPendingRows?: number;
  /** Run the indexer thread (default true); without it reads fill the events table (see `createLoggedWriter`). */
  indexerThread?: boolean;
}

/**
 * The default store: one SQLite file in WAL mode with `synchronous = FULL`, so a committed
 * transaction survives a process kill and a power cut. Methods are async to match the PostgreSQL adapter.
 */
export function createSqliteStore({
  path,
  writer: writerMode = 'worker',
  indexerNice,
  maxPendingRows,
  indexerThread,
}: SqliteStoreOptions): Store & {
  readonly db: Database.Database;
  readonly pendingIndexRows: number;
  catchUp(): void;
  pruneIndexed(): void;
} {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path);
  migrate(db);

  // Retention without an index on received_at (schema.ts, migration 3): a string that sorts before
  // `before` has a first ten characters that sort no later than `before`'s, so the days up to
  // `before`'s own hold every event to delete, and the days before it hold nothing else.
  const purgeBefore = db.transaction((writeKey: string, before: string) => {
    const day = before.slice(0, 10);
    const spans = db
      .prepare('SELECT min_id, max_id FROM events_received_days WHERE write_key = ? AND day <= ? ORDER BY min_id')
      .all(writeKey, day) as { min_id: number; max_id: number }[];
    const remove = db.prepare('DELETE FROM events WHERE id BETWEEN ? AND ? AND write_key = ? AND received_at < ?');
    const overlapping = db.prepare('SELECT id FROM events_id_filters WHERE min_id <= ? AND max_id >= ?').pluck();
    const touched = new Set<number>();
    let deleted = 0;
    let from = 0;
    let to = -1;
    for (const span of [...spans, { min_id: Number.POSITIVE_INFINITY, max_id: 0 }]) {
      if (span.min_id <= to + 1) {
        to = Math.max(to, span.max_id); // overlapping or adjacent spans are one range scan
        continue;
      }
      if (to >= from) {
        const changes = remove.run(from, to, writeKey, before).changes;
        if (changes > 0) for (const block of overlapping.all(to, from) as number[]) touched.add(block);
        deleted += changes;
      }
      from = span.min_id;
      to = span.max_id;
    }
    db.prepare('DELETE FROM events_received_days WHERE write_key = ? AND day < ?').run(writeKey, day);
    rebuildFilters(db, touched); // the purged ids leave the filters; emptied spans lose theirs
    return deleted;
  });

  let writer: EventWriter;
  if (path === ':memory:' || writerMode === 'inline') {
    writer = createInlineWriter(db);
  } else {
    const logPath = ingestLogPath(path);
    const log = openDatabase(logPath);
    try {
      migrateIngestLog(log, path);
    } finally {
      log.close();
    }
    writer = createLoggedWriter({
      db,
      path,
      logPath,
      ...(indexerNice !== undefined ? { indexerNice } : {}),
      ...(maxPendingRows !== undefined ? { maxPendingRows } : {}),
      ...(indexerThread !== undefined ? { indexerThread } : {}),
    });
  }
  /** Every read of events or links sees every acknowledged event: what the indexer has not reached is indexed here first. */
  const caughtUp = () => writer.catchUpAsync();
  const scanSource = createSqliteSourceScan(db);

  const selectPage = db.prepare(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE (ts, id) > (?, ?) AND ts >= ? AND (? IS NULL OR write_key = ?)
       AND (? = 0 OR is_bot = 0) ORDER BY ts, id LIMIT ?`,
  );
  const selectKey = db.prepare('SELECT * FROM keys WHERE key = ?');

  function idsPlaceholders(ids: readonly string[]): string {
    return ids.map(() => '?').join(',');
  }

  /** A person's events within a span of row ids (bound: from, to, then the ids twice); `verb` selects or deletes them. */
  function personInRange(ids: readonly string[], verb: string): Database.Statement {
    const list = idsPlaceholders(ids);
    return db.prepare(
      `${verb} FROM events WHERE id BETWEEN ? AND ? AND (anonymous_id IN (${list}) OR user_id IN (${list}))`,
    );
  }

  function linkedIdsSync(id: string): string[] {
    const seen = new Set<string>([id]);
    let frontier = [id];
    const byAnonymous = db.prepare('SELECT user_id AS other FROM identity_links WHERE anonymous_id = ?');
    const byUser = db.prepare('SELECT anonymous_id AS other FROM identity_links WHERE user_id = ?');
    while (frontier.length > 0 && seen.size < MAX_LINKED_IDS) {
      const next: string[] = [];
      for (const current of frontier) {
        for (const stmt of [byAnonymous, byUser]) {
          for (const row of stmt.all(current) as { other: string }[]) {
            if (!seen.has(row.other)) {
              seen.add(row.other);
              next.push(row.other);
            }
          }
        }
      }
      frontier = next;
    }
    return [...seen];
  }

  return {
    kind: 'sqlite',
    db,
    // The writer thread commits groups in the order they come; four queued keep it busy while
    // the main thread is late reading an answer (the commit time measured from here fell from ~20 ms).
    commitsInFlight: writer.pipelined ? 4 : 1,
    get pendingIndexRows() {
      return writer.pendingRows;
    },
    catchUp: () => writer.catchUp(),
    pruneIndexed: () => writer.pruneIndexed(),

    async insertEvents(rows) {
      return rows.length === 0 ? [] : writer.write(rows);
    },

    async *scanEvents(options: ScanOptions = {}) {
      await caughtUp();
      const pageSize = options.pageSize ?? 5000;
      const key = options.writeKey ?? null;
      let lastTs = '';
      let lastId = 0;
      for (;;) {
        const rows = selectPage.all(
          lastTs,
          lastId,
          options.since ?? '',
          key,
          key,
          options.excludeBots ? 1 : 0,
          pageSize,
        ) as EventRow[];
        if (rows.length === 0) return;
        const last = rows[rows.length - 1] as EventRow;
        lastTs = last.ts;
        lastId = last.id;
        yield rows.map(toStoredEvent);
        if (rows.length < pageSize) return;
      }
    },

    async *scanSourceEvents(options?: ScanOptions) {
      await caughtUp();
      yield* scanSource(options);
    },

    async countEvents(writeKey) {
      await caughtUp();
      const row = (
        writeKey
          ? db.prepare('SELECT count(*) AS n FROM events WHERE write_key = ?').get(writeKey)
          : db.prepare('SELECT count(*) AS n FROM events').get()
      ) as { n: number };
      return row.n;
    },

    async eventsForIds(ids) {
      await caughtUp();
      if (ids.length === 0) return [];
      const rows: EventRow[] = [];
      const select = personInRange(ids, `SELECT ${EVENT_COLUMNS}`);
      for (const { from, to } of candidateRanges(db, ids)) {
        // One at a time, not spread: a busy id's range can hold more rows than a call takes arguments.
        for (const row of select.iterate(from, to, ...ids, ...ids) as IterableIterator<EventRow>) rows.push(row);
      }
      rows.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id - b.id));
      return rows.map(toStoredEvent);
    },

    async deleteEventsForIds(ids) {
      await caughtUp();
      if (ids.length === 0) return 0;
      const deleted = db.transaction(() => {
        let count = 0;
        const touched: number[] = [];
        const remove = personInRange(ids, 'DELETE');
        for (const { from, to, blocks } of candidateRanges(db, ids)) {
          const changes = remove.run(from, to, ...ids, ...ids).changes;
          if (changes > 0) for (const block of blocks) touched.push(block);
          count += changes;
        }
        rebuildFilters(db, touched); // no filter bit remembers an erased id
        return count;
      })();
      writer.pruneIndexed(); // the log entries the erased events came in go now, not with a later commit
      return deleted;
    },

    async purgeEventsBefore(writeKey, before) {
      await caughtUp();
      return purgeBefore(writeKey, before);
    },

    async *identityLinks() {
      await caughtUp();
      const pageSize = 10_000;
      let lastAnonymous = '';
      let lastUser = '';
      for (;;) {
        const rows = db
          .prepare(
            'SELECT anonymous_id, user_id, at FROM identity_links WHERE (anonymous_id, user_id) > (?, ?) ORDER BY anonymous_id, user_id LIMIT ?',
          )
          .all(lastAnonymous, lastUser, pageSize) as { anonymous_id: string; user_id: string; at: string }[];
        if (rows.length === 0) return;
        const last = rows[rows.length - 1] as { anonymous_id: string; user_id: string };
        lastAnonymous = last.anonymous_id;
        lastUser = last.user_id;
        yield rows.map((r): IdentityLink => ({ anonymousId: r.anonymous_id, userId: r.user_id, at: r.at }));
        if (rows.length < pageSize) return;
      }
    },

    async linkedIds(id) {
      await caughtUp();
      return linkedIdsSync(id);
    },

    async deleteLinksForIds(ids) {
      await caughtUp();
      if (ids.length === 0) return 0;
      const list = idsPlaceholders(ids);
      return db
        .prepare(`DELETE FROM identity_links WHERE anonymous_id IN (${list}) OR user_id IN (${list})`)
        .run(...ids, ...ids).changes;
    },

    async createKey(input: NewWriteKey): Promise<WriteKey> {
      const key = input.key ?? newWriteKey();
      db.prepare(
        `INSERT INTO keys (key, name, origins, require_consent, retention_days, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, origins = excluded.origins,
           require_consent = excluded.require_consent, retention_days = excluded.retention_days`,
      ).run(
        key,
        input.name ?? null,
        JSON.stringify(input.origins),
        input.requireConsent ? 1 : 0,
        input.retentionDays ?? DEFAULT_RETENTION_DAYS,
        new Date().toISOString(),
      );
      return toWriteKey(selectKey.get(key) as KeyRow);
    },

    async getKey(key) {
      const row = selectKey.get(key) as KeyRow | undefined;
      return row ? toWriteKey(row) : null;
    },

    async listKeys() {
      return (db.prepare('SELECT * FROM keys ORDER BY created_at').all() as KeyRow[]).map(toWriteKey);
    },

    async quarantine(rows: readonly QuarantinedPayload[]) {
      const insert = db.prepare(
        'INSERT INTO quarantine (write_key, reason, path, raw, received_at) VALUES (?, ?, ?, ?, ?)',
      );
      db.transaction(() => {
        for (const r of rows) insert.run(r.writeKey, r.reason, r.path, r.raw, r.receivedAt);
      })();
    },

    async purgeQuarantineBefore(before) {
      return db.prepare('DELETE FROM quarantine WHERE received_at < ?').run(before).changes;
    },

    async countQuarantine() {
      return (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
    },

    async appendAudit(entry: AuditEntry) {
      db.prepare('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)').run(
        entry.at,
        entry.actor,
        entry.action,
        entry.subject,
        entry.detail ? JSON.stringify(entry.detail) : null,
      );
    },

    async listAudit(limit = 1000) {
      return (
        db
          .prepare('SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?')
          .all(limit) as AuditRow[]
      ).map(toAuditEntry);
    },

    async close() {
      await writer.close();
      if (db.open) db.close();
    },
  };
}
