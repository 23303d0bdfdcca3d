import type Database from 'better-sqlite3';

/**
 * The segmenter's tables, versioned apart from the core schema (as the privacy tables are).
 * Append, never edit.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE segment_runs (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE TABLE segments (
    run_seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run_seq, id)
  ) WITHOUT ROWID;
  CREATE TABLE profiles (
    key TEXT PRIMARY KEY,
    user_id TEXT,
    segment_id TEXT,
    segment_since TEXT,
    run_id TEXT,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE TABLE profile_ids (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  ) WITHOUT ROWID;
  CREATE INDEX profile_ids_key ON profile_ids (key);
  `,
];

const COMPONENT = 'segments';

export function migrateSegments(db: Database.Database): void {
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
