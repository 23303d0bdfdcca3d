import type pg from 'pg';

/**
 * The SQLite schema in PostgreSQL terms. Two choices differ from the obvious ones, on purpose:
 *
 * - Times are ISO 8601 UTC text in the "C" collation, as in SQLite, not `timestamptz`. Byte order
 *   is time order, values round-trip exactly, and an event timestamp derived from a client clock
 *   (year 0000, `+275760-…`) that `timestamptz` rejects cannot fail a group commit that carries
 *   other requests' events.
 * - `payload` is `json`, not `jsonb`. `json` keeps the exact text (SQLite's bytes, key order
 *   included), still offers `->`/`->>` for ad-hoc SQL and expression indexes, and accepts every
 *   string `JSON.stringify` writes: `jsonb` rejects `\u0000` and unpaired surrogates (`"\ud800"`),
 *   which the collector does not filter, and would turn one odd event into a failed commit.
 *   `jsonb` also costs a parse on every insert, the hot path; reads go through `scanEvents`.
 *
 * Ordered migrations; `schema_migrations` records the ones that ran. Append, never edit.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE keys (
    key text PRIMARY KEY,
    name text,
    origins text[] NOT NULL,
    require_consent boolean NOT NULL DEFAULT false,
    retention_days integer NOT NULL,
    created_at text COLLATE "C" NOT NULL
  );
  CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    write_key text NOT NULL,
    message_id text NOT NULL,
    type text NOT NULL,
    anonymous_id text,
    user_id text,
    name text,
    ts text COLLATE "C" NOT NULL,
    received_at text COLLATE "C" NOT NULL,
    session_id text,
    ip text,
    is_bot boolean NOT NULL DEFAULT false,
    payload json NOT NULL,
    UNIQUE (write_key, message_id)
  );
  CREATE INDEX events_ts_id ON events (ts, id);
  CREATE INDEX events_anonymous_id ON events (anonymous_id) WHERE anonymous_id IS NOT NULL;
  CREATE INDEX events_user_id ON events (user_id) WHERE user_id IS NOT NULL;
  CREATE INDEX events_key_received ON events (write_key, received_at);
  CREATE TABLE identity_links (
    anonymous_id text COLLATE "C" NOT NULL,
    user_id text COLLATE "C" NOT NULL,
    at text COLLATE "C" NOT NULL,
    PRIMARY KEY (anonymous_id, user_id)
  );
  CREATE INDEX identity_links_user_id ON identity_links (user_id);
  CREATE TABLE quarantine (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    write_key text,
    reason text NOT NULL,
    path text NOT NULL,
    raw text NOT NULL,
    received_at text COLLATE "C" NOT NULL
  );
  CREATE INDEX quarantine_received_at ON quarantine (received_at);
  CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at text COLLATE "C" NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    subject text NOT NULL,
    detail json
  );
  `,
  // The privacy tables (storage/privacy-types.ts): the consent chain, erased ids, key settings, cookieless counts.
  `
  CREATE TABLE consent_records (
    seq integer PRIMARY KEY,
    id text NOT NULL UNIQUE,
    write_key text NOT NULL,
    anonymous_id text,
    subject text NOT NULL,
    body text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    received_at text COLLATE "C" NOT NULL
  );
  CREATE INDEX consent_records_subject ON consent_records (subject, write_key, seq);
  CREATE TABLE suppressed_ids (
    digest text PRIMARY KEY,
    at text COLLATE "C" NOT NULL
  );
  CREATE TABLE key_privacy (
    write_key text PRIMARY KEY,
    cookieless boolean NOT NULL DEFAULT false
  );
  CREATE TABLE cookieless_salts (
    day text COLLATE "C" PRIMARY KEY,
    salt text NOT NULL,
    created_at text COLLATE "C" NOT NULL
  );
  CREATE TABLE cookieless_hits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    write_key text NOT NULL,
    day text COLLATE "C" NOT NULL,
    path text NOT NULL,
    visitor_hash text NOT NULL
  );
  CREATE INDEX cookieless_hits_key_day ON cookieless_hits (write_key, day);
  `,
];

/** Any constant works; it only has to be the same for every collector sharing the database. */
const MIGRATION_LOCK = 0x4c6f757065; // "Loupe"

/**
 * Runs the migrations not yet recorded in one transaction (PostgreSQL DDL is transactional, so a
 * failed migration leaves nothing behind). An advisory lock makes collectors that start together
 * against one database take turns instead of racing on `CREATE TABLE`.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    for (let version = rows[0]?.version ?? 0; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version] as string);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
