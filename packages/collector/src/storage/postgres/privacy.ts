import type pg from 'pg';
import { type ConsentRow, toConsentRecord } from '../consent-rows.js';
import type { ConsentAppendOutcome, CookielessCount, PrivacyStore } from '../privacy-types.js';
import { escapeNul, hasNul, storable } from './nul.js';

/** Serializes appends to the consent chain across every collector sharing the database. */
const CONSENT_CHAIN_LOCK = 0x4c6f75706563; // "Loupec"

/** The privacy tables (consent chain, suppression list, key settings, cookieless counts) in PostgreSQL. */
export function createPostgresPrivacyStore(pool: pg.Pool): PrivacyStore {
  const one = async <Row extends pg.QueryResultRow>(sql: string, params: unknown[]) =>
    (await pool.query<Row>(sql, params)).rows[0];

  return {
    async consentChainTip() {
      return (
        (await one<{ seq: number; hash: string }>(
          'SELECT seq, hash FROM consent_records ORDER BY seq DESC LIMIT 1',
          [],
        )) ?? null
      );
    },

    async appendConsentRecord(row): Promise<ConsentAppendOutcome> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // The lock, not the seq key, is what keeps two writers from reading the same tip: the
        // loser sees the winner's record and answers `conflict`, and its caller retries.
        await client.query('SELECT pg_advisory_xact_lock($1)', [CONSENT_CHAIN_LOCK]);
        let outcome: ConsentAppendOutcome;
        if ((await client.query('SELECT 1 FROM consent_records WHERE id = $1', [row.id])).rowCount)
          outcome = 'duplicate';
        else {
          const tip = (
            await client.query<{ seq: number; hash: string }>(
              'SELECT seq, hash FROM consent_records ORDER BY seq DESC LIMIT 1',
            )
          ).rows[0];
          if ((tip?.seq ?? 0) + 1 !== row.seq || (tip && tip.hash !== row.prevHash)) outcome = 'conflict';
          else {
            await client.query(
              `INSERT INTO consent_records (seq, id, write_key, anonymous_id, subject, body, prev_hash, hash, received_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
              [
                row.seq,
                row.id,
                escapeNul(row.writeKey),
                escapeNul(row.anonymousId),
                row.subject,
                row.body,
                row.prevHash,
                row.hash,
                row.receivedAt,
              ],
            );
            outcome = 'inserted';
          }
        }
        await client.query('COMMIT');
        return outcome;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },

    async consentRecordById(id) {
      if (hasNul(id)) return null;
      const row = await one<ConsentRow>('SELECT * FROM consent_records WHERE id = $1', [id]);
      return row ? toConsentRecord(row) : null;
    },

    async consentRecordsForSubjects(subjects) {
      const list = storable(subjects);
      if (list.length === 0) return [];
      const { rows } = await pool.query<ConsentRow>(
        'SELECT * FROM consent_records WHERE subject = ANY($1::text[]) ORDER BY seq',
        [list],
      );
      return rows.map(toConsentRecord);
    },

    async latestConsentRecord(writeKey, subject) {
      if (hasNul(writeKey) || hasNul(subject)) return null;
      const row = await one<ConsentRow>(
        'SELECT * FROM consent_records WHERE subject = $1 AND write_key = $2 ORDER BY seq DESC LIMIT 1',
        [subject, writeKey],
      );
      return row ? toConsentRecord(row) : null;
    },

    async *scanConsentRecords(pageSize = 1000) {
      let after = 0;
      for (;;) {
        const { rows } = await pool.query<ConsentRow>(
          'SELECT * FROM consent_records WHERE seq > $1 ORDER BY seq LIMIT $2',
          [after, pageSize],
        );
        if (rows.length === 0) return;
        after = (rows[rows.length - 1] as ConsentRow).seq;
        yield rows.map(toConsentRecord);
        if (rows.length < pageSize) return;
      }
    },

    async unlinkConsentRecords(subjects) {
      const list = storable(subjects);
      if (list.length === 0) return 0;
      const { rowCount } = await pool.query(
        'UPDATE consent_records SET anonymous_id = NULL WHERE anonymous_id IS NOT NULL AND subject = ANY($1::text[])',
        [list],
      );
      return rowCount ?? 0;
    },

    async addSuppressed(digests, at) {
      const list = storable(digests);
      if (list.length === 0) return 0;
      const { rowCount } = await pool.query(
        'INSERT INTO suppressed_ids (digest, at) SELECT DISTINCT d, $2 FROM unnest($1::text[]) AS d ON CONFLICT (digest) DO NOTHING',
        [list, escapeNul(at)],
      );
      return rowCount ?? 0;
    },

    async listSuppressed() {
      return (await pool.query<{ digest: string }>('SELECT digest FROM suppressed_ids')).rows.map((r) => r.digest);
    },

    async getKeyPrivacy(writeKey) {
      if (hasNul(writeKey)) return null;
      const row = await one<{ cookieless: boolean }>('SELECT cookieless FROM key_privacy WHERE write_key = $1', [
        writeKey,
      ]);
      return row ? { cookieless: row.cookieless } : null;
    },

    async setKeyPrivacy(writeKey, settings) {
      await pool.query(
        `INSERT INTO key_privacy (write_key, cookieless) VALUES ($1, $2)
         ON CONFLICT (write_key) DO UPDATE SET cookieless = excluded.cookieless`,
        [writeKey, settings.cookieless],
      );
    },

    async dailySalt(day, candidate, createdAt) {
      // Two statements, not one: a concurrent first call of the day commits between them, and only
      // a new statement's snapshot sees its salt (one statement would find neither row).
      await pool.query(
        'INSERT INTO cookieless_salts (day, salt, created_at) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING',
        [day, candidate, createdAt],
      );
      return (
        (await one<{ salt: string }>('SELECT salt FROM cookieless_salts WHERE day = $1', [day])) as { salt: string }
      ).salt;
    },

    async deleteSaltsCreatedBefore(before) {
      return (
        (await pool.query('DELETE FROM cookieless_salts WHERE created_at < $1', [escapeNul(before)])).rowCount ?? 0
      );
    },

    async saltDays() {
      return (await pool.query<{ day: string }>('SELECT day FROM cookieless_salts ORDER BY day')).rows.map(
        (r) => r.day,
      );
    },

    async recordCookielessHit(hit) {
      await pool.query('INSERT INTO cookieless_hits (write_key, day, path, visitor_hash) VALUES ($1, $2, $3, $4)', [
        hit.writeKey,
        hit.day,
        escapeNul(hit.path),
        hit.visitorHash,
      ]);
    },

    async cookielessCounts(writeKey, fromDay, toDay) {
      if (hasNul(writeKey)) return [];
      const { rows } = await pool.query<{ day: string; path: string; pageviews: string; visitors: string }>(
        `SELECT day, path, count(*) AS pageviews, count(DISTINCT visitor_hash) AS visitors FROM cookieless_hits
         WHERE write_key = $1 AND day >= $2 AND day <= $3 GROUP BY day, path ORDER BY day, path`,
        [writeKey, escapeNul(fromDay), escapeNul(toDay)],
      );
      return rows.map(
        (r): CookielessCount => ({
          day: r.day,
          path: r.path,
          pageviews: Number(r.pageviews),
          visitors: Number(r.visitors),
        }),
      );
    },

    async purgeCookielessBefore(writeKey, beforeDay) {
      if (hasNul(writeKey)) return 0;
      return (
        (
          await pool.query('DELETE FROM cookieless_hits WHERE write_key = $1 AND day < $2', [
            writeKey,
            escapeNul(beforeDay),
          ])
        ).rowCount ?? 0
      );
    },
  };
}
