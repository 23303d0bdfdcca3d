import type pg from 'pg';

/**
 * The segmenter's tables in PostgreSQL, versioned apart from the core schema (as in SQLite, where
 * they are the `segments` component), so the segment tables can evolve without touching the
 * event store's migrations. Bodies are JSON text: they are read and written whole, never queried
 * inside. Append, never edit.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE segment_runs (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    at text COLLATE "C" NOT NULL,
    body text NOT NULL
  );
  CREATE TABLE segments (
    run_seq bigint NOT NULL REFERENCES segment_runs (seq) ON DELETE CASCADE,
    id text NOT NULL,
    name text NOT NULL,
    size integer NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (run_seq, id)
  );
  CREATE TABLE profiles (
    key text COLLATE "C" PRIMARY KEY,
    user_id text,
    segment_id text,
    segment_since text COLLATE "C",
    run_id text,
    updated_at text COLLATE "C" NOT NULL,
    body text NOT NULL
  );
  CREATE INDEX profiles_segment_id ON profiles (segment_id) WHERE segment_id IS NOT NULL;
  CREATE TABLE profile_ids (
    kind text NOT NULL,
    id text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, id)
  );
  CREATE INDEX profile_ids_key ON profile_ids (key);
  CREATE INDEX profile_ids_id ON profile_ids (id);
  `,
];

/** Not the core schema's lock: the two migrate independently. */
const SEGMENTS_MIGRATION_LOCK = 0x4c6f75706573; // "Loupes"

/** Runs the segment migrations not yet recorded, in one transaction, under an advisory lock. */
export async function migrateSegments(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEGMENTS_MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS segment_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM segment_schema_migrations',
    );
    for (let version = rows[0]?.version ?? 0; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version] as string);
      await client.query('INSERT INTO segment_schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
