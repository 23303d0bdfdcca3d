import pg from 'pg';
import { StorageError } from '../../errors.js';
import { DEFAULT_RETENTION_DAYS, MAX_LINKED_IDS, newWriteKey } from '../ids.js';
import type { PrivacyStore } from '../privacy-types.js';
import type { IdentityLink, NewWriteKey, ScanOptions, Store, WriteKey } from '../types.js';
import { insertEvents } from './insert-events.js';
import { escapeNul, hasNul, storable } from './nul.js';
import { createPostgresPrivacyStore } from './privacy.js';
import {
  type AuditRow,
  EVENT_COLUMNS,
  type EventRow,
  type KeyRow,
  toAuditEntry,
  toStoredEvent,
  toWriteKey,
} from './rows.js';
import { migrate } from './schema.js';
import { createPostgresSourceScan } from './scan-source.js';

/** `pg.Pool` settings other than the connection string: `max`, timeouts, `ssl`… */
export type PostgresPoolSettings = Omit<pg.PoolConfig, 'connectionString'>;

export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:5432/db`; libpq parameters such as `sslmode` or `options` pass through. */
  connectionString: string;
  pool?: PostgresPoolSettings;
  /**
   * Errors of idle pooled connections (a server restart, a network cut). The pool drops the
   * connection and opens a new one on the next query; without a listener they would crash the process.
   */
  onIdleError?: (error: Error) => void;
}

/**
 * The scale-out store: the same data as the SQLite store, in PostgreSQL, privacy tables included
 * (it is a `PrivacyStore`, so consent records and erasure suppression work on it). Every event write is one
 * statement (one transaction) and is durable when it resolves, under the default
 * `synchronous_commit = on`. Migrations run before the promise resolves.
 *
 * @example
 * const store = await createPostgresStore({ connectionString: process.env.LOUPE_DATABASE_URL! });
 * const server = await startServer({ store, port: 3000 });
 */
export async function createPostgresStore({
  connectionString,
  pool: settings = {},
  onIdleError = () => {},
}: PostgresStoreOptions): Promise<Store & PrivacyStore & { readonly pool: pg.Pool }> {
  // A server that never answers fails the call after 10 s instead of hanging it.
  const pool = new pg.Pool({ connectionTimeoutMillis: 10_000, ...settings, connectionString });
  pool.on('error', onIdleError);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw new StorageError(
      `cannot open the PostgreSQL store at ${redact(connectionString)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let closing: Promise<void> | undefined;

  async function* pages<Row extends object, Out>(
    query: (after: Row | undefined) => Promise<Row[]>,
    pageSize: number,
    map: (row: Row) => Out,
  ): AsyncIterable<Out[]> {
    let after: Row | undefined;
    for (;;) {
      const rows = await query(after);
      if (rows.length === 0) return;
      after = rows[rows.length - 1];
      yield rows.map(map);
      if (rows.length < pageSize) return;
    }
  }

  return {
    kind: 'postgres',
    pool,
    ...createPostgresPrivacyStore(pool),

    insertEvents: (rows) => insertEvents(pool, rows),

    scanEvents(options: ScanOptions = {}) {
      const { since, writeKey, pageSize = 5000, excludeBots = false } = options;
      const where: string[] = [];
      const params: unknown[] = [];
      if (since !== undefined) where.push(`ts >= $${params.push(escapeNul(since))}`);
      if (writeKey !== undefined) where.push(hasNul(writeKey) ? 'false' : `write_key = $${params.push(writeKey)}`);
      if (excludeBots) where.push('NOT is_bot');
      return pages<EventRow, ReturnType<typeof toStoredEvent>>(
        async (after) => {
          const conditions = [...where];
          const values = [...params];
          if (after) conditions.push(`(ts, id) > ($${values.push(after.ts)}, $${values.push(after.id)}::bigint)`);
          const sql = `SELECT ${EVENT_COLUMNS} FROM events ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
            ORDER BY ts, id LIMIT $${values.push(pageSize)}`;
          return (await pool.query<EventRow>(sql, values)).rows;
        },
        pageSize,
        toStoredEvent,
      );
    },

    scanSourceEvents: createPostgresSourceScan(pool),

    async countEvents(writeKey) {
      if (writeKey !== undefined && hasNul(writeKey)) return 0;
      const { rows } = writeKey
        ? await pool.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE write_key = $1', [writeKey])
        : await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
      return Number(rows[0]?.n ?? 0);
    },

    async eventsForIds(ids) {
      const list = storable(ids);
      if (list.length === 0) return [];
      const { rows } = await pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE anonymous_id = ANY($1::text[]) OR user_id = ANY($1::text[]) ORDER BY ts, id`,
        [list],
      );
      return rows.map(toStoredEvent);
    },

    async deleteEventsForIds(ids) {
      const list = storable(ids);
      if (list.length === 0) return 0;
      const { rowCount } = await pool.query(
        'DELETE FROM events WHERE anonymous_id = ANY($1::text[]) OR user_id = ANY($1::text[])',
        [list],
      );
      return rowCount ?? 0;
    },

    async purgeEventsBefore(writeKey, before) {
      if (hasNul(writeKey)) return 0;
      const { rowCount } = await pool.query('DELETE FROM events WHERE write_key = $1 AND received_at < $2', [
        writeKey,
        escapeNul(before),
      ]);
      return rowCount ?? 0;
    },

    identityLinks() {
      type LinkRow = { anonymous_id: string; user_id: string; at: string };
      const pageSize = 10_000;
      return pages<LinkRow, IdentityLink>(
        async (after) =>
          (
            await (after
              ? pool.query<LinkRow>(
                  `SELECT anonymous_id, user_id, at FROM identity_links WHERE (anonymous_id, user_id) > ($1, $2)
                   ORDER BY anonymous_id, user_id LIMIT $3`,
                  [after.anonymous_id, after.user_id, pageSize],
                )
              : pool.query<LinkRow>(
                  'SELECT anonymous_id, user_id, at FROM identity_links ORDER BY anonymous_id, user_id LIMIT $1',
                  [pageSize],
                ))
          ).rows,
        pageSize,
        (r) => ({ anonymousId: r.anonymous_id, userId: r.user_id, at: r.at }),
      );
    },

    async linkedIds(id) {
      if (hasNul(id)) return [id];
      // Breadth first over links in both directions; UNION (not UNION ALL) stops at ids already
      // reached, so cycles end, and LIMIT stops the walk itself, not just the answer.
      const { rows } = await pool.query<{ id: string }>(
        `WITH RECURSIVE walk (id) AS (
           SELECT $1::text COLLATE "C"
           UNION
           SELECT next.id FROM walk CROSS JOIN LATERAL (
             SELECT user_id FROM identity_links WHERE anonymous_id = walk.id
             UNION ALL
             SELECT anonymous_id FROM identity_links WHERE user_id = walk.id
           ) AS next (id)
         )
         SELECT id FROM walk LIMIT $2`,
        [id, MAX_LINKED_IDS],
      );
      return rows.map((r) => r.id);
    },

    async deleteLinksForIds(ids) {
      const list = storable(ids);
      if (list.length === 0) return 0;
      const { rowCount } = await pool.query(
        'DELETE FROM identity_links WHERE anonymous_id = ANY($1::text[]) OR user_id = ANY($1::text[])',
        [list],
      );
      return rowCount ?? 0;
    },

    async createKey(input: NewWriteKey): Promise<WriteKey> {
      const { rows } = await pool.query<KeyRow>(
        `INSERT INTO keys (key, name, origins, require_consent, retention_days, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, origins = excluded.origins,
           require_consent = excluded.require_consent, retention_days = excluded.retention_days
         RETURNING *`,
        [
          input.key ?? newWriteKey(),
          input.name ?? null,
          input.origins,
          input.requireConsent ?? false,
          input.retentionDays ?? DEFAULT_RETENTION_DAYS,
          new Date().toISOString(),
        ],
      );
      return toWriteKey(rows[0] as KeyRow);
    },

    async getKey(key) {
      if (hasNul(key)) return null;
      const { rows } = await pool.query<KeyRow>('SELECT * FROM keys WHERE key = $1', [key]);
      return rows[0] ? toWriteKey(rows[0]) : null;
    },

    async listKeys() {
      return (await pool.query<KeyRow>('SELECT * FROM keys ORDER BY created_at, key')).rows.map(toWriteKey);
    },

    async quarantine(rows) {
      if (rows.length === 0) return;
      await pool.query(
        `INSERT INTO quarantine (write_key, reason, path, raw, received_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
        [
          rows.map((r) => escapeNul(r.writeKey)),
          rows.map((r) => escapeNul(r.reason)),
          rows.map((r) => escapeNul(r.path)),
          rows.map((r) => escapeNul(r.raw)),
          rows.map((r) => escapeNul(r.receivedAt)),
        ],
      );
    },

    async purgeQuarantineBefore(before) {
      return (await pool.query('DELETE FROM quarantine WHERE received_at < $1', [escapeNul(before)])).rowCount ?? 0;
    },

    async countQuarantine() {
      return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM quarantine')).rows[0]?.n ?? 0);
    },

    async appendAudit(entry) {
      await pool.query('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)', [
        escapeNul(entry.at),
        escapeNul(entry.actor),
        escapeNul(entry.action),
        escapeNul(entry.subject),
        entry.detail ? JSON.stringify(entry.detail) : null,
      ]);
    },

    async listAudit(limit = 1000) {
      const { rows } = await pool.query<AuditRow>(
        'SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT $1',
        [limit],
      );
      return rows.map(toAuditEntry);
    },

    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}

/** The URL without its password, for messages. */
function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the given connection string';
  }
}
