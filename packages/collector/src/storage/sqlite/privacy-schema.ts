import type Database from 'better-sqlite3';

/**
 * The privacy tables' own migrations, versioned apart from the core schema (whose `user_version`
 * belongs to schema.ts) so both can grow without ordering against each other. Append, never edit.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE consent_records (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    write_key TEXT NOT NULL,
    anonymous_id TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE INDEX consent_records_subject ON consent_records (subject, write_key, seq);
  CREATE TABLE suppressed_ids (
    digest TEXT PRIMARY KEY,
    at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE key_privacy (
    write_key TEXT PRIMARY KEY,
    cookieless INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE TABLE cookieless_salts (
    day TEXT PRIMARY KEY,
    salt TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE cookieless_hits (
    id INTEGER PRIMARY KEY,
    write_key TEXT NOT NULL,
    day TEXT NOT NULL,
    path TEXT NOT NULL,
    visitor_hash TEXT NOT NULL
  );
  CREATE INDEX cookieless_hits_key_day ON cookieless_hits (write_key, day);
  `,
];

const COMPONENT = 'privacy';

export function migratePrivacy(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS loupe_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  // Read and run under one write lock, so two processes opening the same file migrate once.
  db.transaction(() => {
    const row = db.prepare('SELECT version FROM loupe_migrations WHERE component = ?').get(COMPONENT) as
      | { version: number }
      | undefined;
    for (let version = row?.version ?? 0; version < MIGRATIONS.length; version++)
      db.exec(MIGRATIONS[version] as string);
    db.prepare(
      'INSERT INTO loupe_migrations (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
    ).run(COMPONENT, MIGRATIONS.length);
  }).immediate();
}
