import type Database from 'better-sqlite3';

/** Ordered migrations; `user_version` records how many have run. Append, never edit. */
const MIGRATIONS: readonly string[] = [
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
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
