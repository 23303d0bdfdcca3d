import type Database from 'better-sqlite3';
import { type ConsentRow, toConsentRecord } from '../consent-rows.js';
import type { ConsentAppendOutcome, ConsentRecordRow, CookielessCount, PrivacyStore } from '../privacy-types.js';
import { migratePrivacy } from './privacy-schema.js';

const placeholders = (n: number) => new Array(n).fill('?').join(',');

/** The privacy tables on a SQLite connection that the core store opened (same file, same WAL). */
export function createSqlitePrivacyStore(db: Database.Database): PrivacyStore {
  migratePrivacy(db);
  const tip = db.prepare('SELECT seq, hash FROM consent_records ORDER BY seq DESC LIMIT 1');
  const byId = db.prepare('SELECT * FROM consent_records WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO consent_records (seq, id, write_key, anonymous_id, subject, body, prev_hash, hash, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // IMMEDIATE takes the write lock before reading the tip, so another process cannot fork the chain.
  const append = db.transaction((row: ConsentRecordRow): ConsentAppendOutcome => {
    if (byId.get(row.id)) return 'duplicate';
    const current = tip.get() as { seq: number; hash: string } | undefined;
    if ((current?.seq ?? 0) + 1 !== row.seq || (current && current.hash !== row.prevHash)) return 'conflict';
    insert.run(
      row.seq,
      row.id,
      row.writeKey,
      row.anonymousId,
      row.subject,
      row.body,
      row.prevHash,
      row.hash,
      row.receivedAt,
    );
    return 'inserted';
  });

  return {
    async consentChainTip() {
      return (tip.get() as { seq: number; hash: string } | undefined) ?? null;
    },
    async appendConsentRecord(row) {
      return append.immediate(row);
    },
    async consentRecordById(id) {
      const row = byId.get(id) as ConsentRow | undefined;
      return row ? toConsentRecord(row) : null;
    },
    async consentRecordsForSubjects(subjects) {
      if (subjects.length === 0) return [];
      const rows = db
        .prepare(`SELECT * FROM consent_records WHERE subject IN (${placeholders(subjects.length)}) ORDER BY seq`)
        .all(...subjects) as ConsentRow[];
      return rows.map(toConsentRecord);
    },
    async latestConsentRecord(writeKey, subject) {
      const row = db
        .prepare('SELECT * FROM consent_records WHERE subject = ? AND write_key = ? ORDER BY seq DESC LIMIT 1')
        .get(subject, writeKey) as ConsentRow | undefined;
      return row ? toConsentRecord(row) : null;
    },
    async *scanConsentRecords(pageSize = 1000) {
      const page = db.prepare('SELECT * FROM consent_records WHERE seq > ? ORDER BY seq LIMIT ?');
      let after = 0;
      for (;;) {
        const rows = page.all(after, pageSize) as ConsentRow[];
        if (rows.length === 0) return;
        after = (rows[rows.length - 1] as ConsentRow).seq;
        yield rows.map(toConsentRecord);
        if (rows.length < pageSize) return;
      }
    },
    async unlinkConsentRecords(subjects) {
      if (subjects.length === 0) return 0;
      return db
        .prepare(
          `UPDATE consent_records SET anonymous_id = NULL WHERE anonymous_id IS NOT NULL AND subject IN (${placeholders(subjects.length)})`,
        )
        .run(...subjects).changes;
    },

    async addSuppressed(digests, at) {
      const add = db.prepare('INSERT OR IGNORE INTO suppressed_ids (digest, at) VALUES (?, ?)');
      return db.transaction(() => digests.reduce((n, d) => n + add.run(d, at).changes, 0))();
    },
    async listSuppressed() {
      return (db.prepare('SELECT digest FROM suppressed_ids').all() as { digest: string }[]).map((r) => r.digest);
    },

    async getKeyPrivacy(writeKey) {
      const row = db.prepare('SELECT cookieless FROM key_privacy WHERE write_key = ?').get(writeKey) as
        | { cookieless: number }
        | undefined;
      return row ? { cookieless: row.cookieless === 1 } : null;
    },
    async setKeyPrivacy(writeKey, settings) {
      db.prepare(
        'INSERT INTO key_privacy (write_key, cookieless) VALUES (?, ?) ON CONFLICT (write_key) DO UPDATE SET cookieless = excluded.cookieless',
      ).run(writeKey, settings.cookieless ? 1 : 0);
    },

    async dailySalt(day, candidate, createdAt) {
      db.prepare('INSERT OR IGNORE INTO cookieless_salts (day, salt, created_at) VALUES (?, ?, ?)').run(
        day,
        candidate,
        createdAt,
      );
      return (db.prepare('SELECT salt FROM cookieless_salts WHERE day = ?').get(day) as { salt: string }).salt;
    },
    async deleteSaltsCreatedBefore(before) {
      return db.prepare('DELETE FROM cookieless_salts WHERE created_at < ?').run(before).changes;
    },
    async saltDays() {
      return (db.prepare('SELECT day FROM cookieless_salts ORDER BY day').all() as { day: string }[]).map((r) => r.day);
    },
    async recordCookielessHit(hit) {
      db.prepare('INSERT INTO cookieless_hits (write_key, day, path, visitor_hash) VALUES (?, ?, ?, ?)').run(
        hit.writeKey,
        hit.day,
        hit.path,
        hit.visitorHash,
      );
    },
    async cookielessCounts(writeKey, fromDay, toDay) {
      return db
        .prepare(
          `SELECT day, path, count(*) AS pageviews, count(DISTINCT visitor_hash) AS visitors FROM cookieless_hits
           WHERE write_key = ? AND day >= ? AND day <= ? GROUP BY day, path ORDER BY day, path`,
        )
        .all(writeKey, fromDay, toDay) as CookielessCount[];
    },
    async purgeCookielessBefore(writeKey, beforeDay) {
      return db.prepare('DELETE FROM cookieless_hits WHERE write_key = ? AND day < ?').run(writeKey, beforeDay).changes;
    },
  };
}
