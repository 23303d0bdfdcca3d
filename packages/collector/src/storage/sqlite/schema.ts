import type Database from 'better-sqlite3';
import { backfillFilters } from './id-filter.js';

/**
 * Ordered migrations; `user_version` records how many have run. Append, never edit. A function
 * runs in the same transaction, for what SQL alone cannot compute.
 */
const MIGRATIONS: readonly (string | ((db: Database.Database) => void))[] = [
  `
  CREATE TABLE keys (
    key TEXT PRIMARY KEY,
    name TEXT,
    origins TEXT NOT NULL,
    require_consent INTEGER NOT NULL DEFAULT 0,
    retention_days INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    write_key TEXT NOT NULL,
    message_id TEXT NOT NULL,
    type TEXT NOT NULL,
    anonymous_id TEXT,
    user_id TEXT,
    name TEXT,
    ts TEXT NOT NULL,
    received_at TEXT NOT NULL,
    session_id TEXT,
    ip TEXT,
    is_bot INTEGER NOT NULL DEFAULT 0,
    payload TEXT NOT NULL,
    UNIQUE (write_key, message_id)
  );
  CREATE INDEX events_ts ON events (ts);
  CREATE INDEX events_anonymous_id ON events (anonymous_id) WHERE anonymous_id IS NOT NULL;
  CREATE INDEX events_user_id ON events (user_id) WHERE user_id IS NOT NULL;
  CREATE INDEX events_key_received ON events (write_key, received_at);
  CREATE TABLE identity_links (
    anonymous_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (anonymous_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX identity_links_user_id ON identity_links (user_id);
  CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    write_key TEXT,
    reason TEXT NOT NULL,
    path TEXT NOT NULL,
    raw TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE INDEX quarantine_received_at ON quarantine (received_at);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT
  );
  `,
  // How far the ingest log has been moved into the events table (see ingest-log.js).
  `
  CREATE TABLE ingest_progress (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    log_id INTEGER NOT NULL
  );
  INSERT INTO ingest_progress (id, log_id) VALUES (1, 0);
  `,
  // Retention by day ranges instead of an index: a sixth B-tree on (write_key, received_at) cost
  // every insert ~1.5 µs (8 % of indexing) to serve one daily DELETE. Each (key, day of
  // received_at) keeps the span of row ids that holds its events; the inserter widens it once per
  // group, and the purge deletes within the spans of the days it reaches (see purgeEventsBefore).
  `
  CREATE TABLE events_received_days (
    write_key TEXT NOT NULL,
    day TEXT NOT NULL,
    min_id INTEGER NOT NULL,
    max_id INTEGER NOT NULL,
    PRIMARY KEY (write_key, day)
  ) WITHOUT ROWID;
  INSERT INTO events_received_days (write_key, day, min_id, max_id)
    SELECT write_key, substr(received_at, 1, 10), min(id), max(id) FROM events GROUP BY 1, 2;
  DROP INDEX events_key_received;
  `,
  // A person's events are found through Bloom filters over spans of row ids instead of B-trees on
  // anonymous_id and user_id: on random visitor ids those two cost ~20 µs of every insert's ~32
  // (see id-filter.js). The filters of what is already stored are computed here.
  (db) => {
    db.exec(`
      CREATE TABLE events_id_filters (
        id INTEGER PRIMARY KEY,
        min_id INTEGER NOT NULL,
        max_id INTEGER NOT NULL,
        keys INTEGER NOT NULL,
        bits BLOB NOT NULL
      );
      DROP INDEX events_anonymous_id;
      DROP INDEX events_user_id;
    `);
    backfillFilters(db);
  },
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      const migration = MIGRATIONS[version] as string | ((db: Database.Database) => void);
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
