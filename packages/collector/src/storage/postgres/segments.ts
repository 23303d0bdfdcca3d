import type { ProfileRecord, RunRecord, SegmentRecord, SegmentStore, StoredProfile } from '@loupe/segmenter';
import type pg from 'pg';
import { hasNul, storable } from './nul.js';
import { type ProfileRow, profileBodyOf, toProfile } from '../profile-rows.js';
import { migrateSegments } from './segments-schema.js';

/** Profiles per statement: a few MB of parameters at most. */
const CHUNK = 2000;

/**
 * Upserts profiles in one statement; `segment_since` follows `segmentSince()` (kept while the
 * segment id stays the same) computed by the server against the stored row, so concurrent writers
 * cannot interleave a read and a write.
 */
async function upsertProfiles(
  client: pg.Pool | pg.PoolClient,
  profiles: readonly ProfileRecord[],
  runId: string | null,
): Promise<Map<string, string | null>> {
  const since = new Map<string, string | null>();
  // One row per key and per id in a statement (ON CONFLICT cannot touch a row twice): the last wins.
  const unique = [...new Map(profiles.map((p) => [p.key, p])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const { rows } = await client.query<{ key: string; segment_since: string | null }>(
      `INSERT INTO profiles AS p (key, user_id, segment_id, segment_since, run_id, updated_at, body)
       SELECT k, u, s, CASE WHEN s IS NULL THEN NULL ELSE t END, $5::text, t, b
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::text[]) AS x (k, u, s, t, b)
       ON CONFLICT (key) DO UPDATE SET
         user_id = excluded.user_id,
         segment_id = excluded.segment_id,
         segment_since = CASE
           WHEN excluded.segment_id IS NULL THEN NULL
           WHEN p.segment_id = excluded.segment_id AND p.segment_since IS NOT NULL THEN p.segment_since
           ELSE excluded.updated_at END,
         run_id = coalesce(excluded.run_id, p.run_id),
         updated_at = excluded.updated_at,
         body = excluded.body
       RETURNING key, segment_since`,
      [
        chunk.map((p) => p.key),
        chunk.map((p) => p.userId),
        chunk.map((p) => p.segmentId),
        chunk.map((p) => p.updatedAt),
        runId,
        chunk.map(profileBodyOf),
      ],
    );
    for (const r of rows) since.set(r.key, r.segment_since);
    const ids = new Map<string, [string, string, string]>();
    for (const p of chunk) {
      if (p.userId) ids.set(`u:${p.userId}`, ['u', p.userId, p.key]);
      for (const a of p.anonymousIds) ids.set(`a:${a}`, ['a', a, p.key]);
    }
    const list = [...ids.values()];
    if (list.length > 0) {
      await client.query(
        `INSERT INTO profile_ids (kind, id, key) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (kind, id) DO UPDATE SET key = excluded.key`,
        [list.map((r) => r[0]), list.map((r) => r[1]), list.map((r) => r[2])],
      );
    }
  }
  return since;
}

/**
 * Runs, segments and profiles in PostgreSQL, on the store's pool: the same contract as the SQLite
 * segment tables (`describeSegmentStore`). The tables are migrated on first use.
 */
export function createPostgresSegmentStore(pool: pg.Pool): SegmentStore {
  const ready = migrateSegments(pool);
  // A failed migration fails every call; without this it would also be an unhandled rejection.
  ready.catch(() => undefined);

  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    await ready;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  const saveProfiles = async (profiles: readonly ProfileRecord[]): Promise<StoredProfile[]> => {
    if (profiles.length === 0) return [];
    const since = await transaction((client) => upsertProfiles(client, profiles, null));
    return profiles.map((p) => ({ ...p, segmentSince: since.get(p.key) ?? null }));
  };

  return {
    async latestRun() {
      await ready;
      const { rows } = await pool.query<{ seq: string; body: string }>(
        'SELECT seq, body FROM segment_runs ORDER BY seq DESC LIMIT 1',
      );
      const row = rows[0];
      if (!row) return null;
      const segments = await pool.query<{ body: string }>(
        'SELECT body FROM segments WHERE run_seq = $1 ORDER BY size DESC, id',
        [row.seq],
      );
      return {
        run: JSON.parse(row.body) as RunRecord,
        segments: segments.rows.map((s) => JSON.parse(s.body) as SegmentRecord),
      };
    },

    async saveSegmentation({ run, segments, profiles }) {
      await transaction(async (client) => {
        const { rows } = await client.query<{ seq: string }>(
          'INSERT INTO segment_runs (id, at, body) VALUES ($1, $2, $3) RETURNING seq',
          [run.id, run.at, JSON.stringify(run)],
        );
        const seq = rows[0]?.seq;
        if (segments.length > 0) {
          await client.query(
            `INSERT INTO segments (run_seq, id, name, size, body) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[])`,
            [
              seq,
              segments.map((s) => s.id),
              segments.map((s) => s.name),
              segments.map((s) => s.size),
              segments.map((s) => JSON.stringify(s)),
            ],
          );
        }
        await upsertProfiles(client, profiles, run.id);
        // Profiles this run did not produce are gone (re-keyed by stitching, or erased), unless updated live meanwhile.
        await client.query('DELETE FROM profiles WHERE (run_id IS NULL OR run_id <> $1) AND updated_at <= $2', [
          run.id,
          run.at,
        ]);
        await client.query('DELETE FROM profile_ids i WHERE NOT EXISTS (SELECT 1 FROM profiles p WHERE p.key = i.key)');
      });
    },

    async findProfile({ anonymousId, userId }) {
      await ready;
      const u = userId && !hasNul(userId) ? userId : null;
      const a = anonymousId && !hasNul(anonymousId) ? anonymousId : null;
      if (u === null && a === null) return null;
      // The user id wins over the anonymous id: 'u' sorts after 'a'.
      const { rows } = await pool.query<ProfileRow>(
        `SELECT p.key, p.user_id, p.segment_id, p.segment_since, p.updated_at, p.body
           FROM profile_ids i JOIN profiles p ON p.key = i.key
          WHERE (i.kind = 'u' AND i.id = $1) OR (i.kind = 'a' AND i.id = $2)
          ORDER BY i.kind DESC LIMIT 1`,
        [u, a],
      );
      return rows[0] ? toProfile(rows[0]) : null;
    },

    async saveProfile(profile) {
      return (await saveProfiles([profile]))[0] as StoredProfile;
    },

    saveProfiles,

    async profilesForIds(ids) {
      await ready;
      const list = storable(ids);
      if (list.length === 0) return [];
      const { rows } = await pool.query<ProfileRow>(
        `SELECT p.key, p.user_id, p.segment_id, p.segment_since, p.updated_at, p.body FROM profiles p
          WHERE p.key IN (SELECT key FROM profile_ids WHERE id = ANY($1::text[])) ORDER BY p.key`,
        [list],
      );
      return rows.map(toProfile);
    },

    async deleteProfilesForIds(ids) {
      const list = storable(ids);
      if (list.length === 0) return 0;
      return transaction(async (client) => {
        const { rows } = await client.query<{ key: string }>(
          'SELECT DISTINCT key FROM profile_ids WHERE id = ANY($1::text[])',
          [list],
        );
        const keys = rows.map((r) => r.key);
        if (keys.length === 0) return 0;
        await client.query('DELETE FROM profile_ids WHERE key = ANY($1::text[])', [keys]);
        return (await client.query('DELETE FROM profiles WHERE key = ANY($1::text[])', [keys])).rowCount ?? 0;
      });
    },

    async countBySegment() {
      await ready;
      const { rows } = await pool.query<{ segment_id: string; n: string }>(
        'SELECT segment_id, count(*) AS n FROM profiles WHERE segment_id IS NOT NULL GROUP BY segment_id',
      );
      return Object.fromEntries(rows.map((r) => [r.segment_id, Number(r.n)]));
    },

    async listRuns(limit = 20) {
      await ready;
      const { rows } = await pool.query<{ body: string }>('SELECT body FROM segment_runs ORDER BY seq DESC LIMIT $1', [
        limit,
      ]);
      return rows.map((r) => JSON.parse(r.body) as RunRecord);
    },
  };
}
