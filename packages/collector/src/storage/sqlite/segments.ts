import type { ProfileRecord, RunRecord, SegmentRecord, SegmentStore, StoredProfile } from '@loupe/segmenter';
import { segmentSince } from '@loupe/segmenter';
import type Database from 'better-sqlite3';
import { type ProfileRow, profileBodyOf, toProfile } from '../profile-rows.js';
import { migrateSegments } from './segments-schema.js';

/** Runs, segments and profiles on a SQLite connection the core store opened (same file, same WAL). */
export function createSqliteSegmentStore(db: Database.Database): SegmentStore {
  migrateSegments(db);
  const lastRun = db.prepare('SELECT seq, body FROM segment_runs ORDER BY seq DESC LIMIT 1');
  const runs = db.prepare('SELECT body FROM segment_runs ORDER BY seq DESC LIMIT ?');
  const segmentsOf = db.prepare('SELECT body FROM segments WHERE run_seq = ? ORDER BY size DESC, id');
  const insertRun = db.prepare('INSERT INTO segment_runs (id, at, body) VALUES (?, ?, ?)');
  const insertSegment = db.prepare('INSERT INTO segments (run_seq, id, name, size, body) VALUES (?, ?, ?, ?, ?)');
  const profileByKey = db.prepare('SELECT * FROM profiles WHERE key = ?');
  const keyOf = db.prepare('SELECT key FROM profile_ids WHERE kind = ? AND id = ?');
  const upsertProfile = db.prepare(
    `INSERT INTO profiles (key, user_id, segment_id, segment_since, run_id, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET user_id = excluded.user_id, segment_id = excluded.segment_id,
       segment_since = excluded.segment_since, run_id = coalesce(excluded.run_id, profiles.run_id),
       updated_at = excluded.updated_at, body = excluded.body`,
  );
  const upsertId = db.prepare(
    'INSERT INTO profile_ids (kind, id, key) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET key = excluded.key',
  );
  // Profiles this run did not produce are gone (re-keyed by stitching, or erased), unless updated live meanwhile.
  const dropStale = db.prepare('DELETE FROM profiles WHERE (run_id IS NULL OR run_id != ?) AND updated_at <= ?');
  const dropOrphanIds = db.prepare('DELETE FROM profile_ids WHERE key NOT IN (SELECT key FROM profiles)');
  const deleteProfile = db.prepare('DELETE FROM profiles WHERE key = ?');
  const deleteIdsOf = db.prepare('DELETE FROM profile_ids WHERE key = ?');
  const bySegment = db.prepare(
    'SELECT segment_id, count(*) AS n FROM profiles WHERE segment_id IS NOT NULL GROUP BY segment_id',
  );

  /** The profile keys any of `ids` leads to, as an anonymous id or as a user id. */
  const keysFor = (ids: readonly string[]): string[] => {
    const keys = new Set<string>();
    for (const id of ids) {
      for (const kind of ['a', 'u']) {
        const hit = keyOf.get(kind, id) as { key: string } | undefined;
        if (hit) keys.add(hit.key);
      }
    }
    return [...keys];
  };

  const previousOf = (key: string) => {
    const row = profileByKey.get(key) as ProfileRow | undefined;
    return row ? { segmentId: row.segment_id, segmentSince: row.segment_since } : null;
  };

  const writeProfile = (p: ProfileRecord, runId: string | null): StoredProfile => {
    const since = segmentSince(previousOf(p.key) as StoredProfile | null, p);
    upsertProfile.run(p.key, p.userId, p.segmentId, since, runId, p.updatedAt, profileBodyOf(p));
    if (p.userId) upsertId.run('u', p.userId, p.key);
    for (const a of p.anonymousIds) upsertId.run('a', a, p.key);
    return { ...p, segmentSince: since };
  };

  return {
    async latestRun() {
      const row = lastRun.get() as { seq: number; body: string } | undefined;
      if (!row) return null;
      const segments = (segmentsOf.all(row.seq) as { body: string }[]).map((s) => JSON.parse(s.body) as SegmentRecord);
      return { run: JSON.parse(row.body) as RunRecord, segments };
    },
    async saveSegmentation({ run, segments, profiles }) {
      db.transaction(() => {
        const { lastInsertRowid } = insertRun.run(run.id, run.at, JSON.stringify(run));
        for (const s of segments) insertSegment.run(lastInsertRowid, s.id, s.name, s.size, JSON.stringify(s));
        for (const p of profiles) writeProfile(p, run.id);
        dropStale.run(run.id, run.at);
        dropOrphanIds.run();
      }).immediate();
    },
    async findProfile({ anonymousId, userId }) {
      const hit = ((userId ? keyOf.get('u', userId) : undefined) ??
        (anonymousId ? keyOf.get('a', anonymousId) : undefined)) as { key: string } | undefined;
      if (!hit) return null;
      const row = profileByKey.get(hit.key) as ProfileRow | undefined;
      return row ? toProfile(row) : null;
    },
    async saveProfile(profile) {
      return db.transaction(() => writeProfile(profile, null)).immediate();
    },
    async saveProfiles(profiles) {
      if (profiles.length === 0) return [];
      return db.transaction(() => profiles.map((p) => writeProfile(p, null))).immediate();
    },
    async profilesForIds(ids) {
      return keysFor(ids).flatMap((key) => {
        const row = profileByKey.get(key) as ProfileRow | undefined;
        return row ? [toProfile(row)] : [];
      });
    },
    async deleteProfilesForIds(ids) {
      return db
        .transaction(() => {
          let n = 0;
          for (const key of keysFor(ids)) {
            n += deleteProfile.run(key).changes;
            deleteIdsOf.run(key);
          }
          return n;
        })
        .immediate();
    },
    async countBySegment() {
      const rows = bySegment.all() as { segment_id: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.segment_id, r.n]));
    },
    async listRuns(limit = 20) {
      return (runs.all(limit) as { body: string }[]).map((r) => JSON.parse(r.body) as RunRecord);
    },
  };
}
