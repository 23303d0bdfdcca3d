import type pg from 'pg';
import { StorageError } from '../../errors.js';
import type { InsertOutcome, StoredEvent } from '../types.js';
import { hasNul } from './nul.js';

/**
 * One statement, hence one transaction: unnest the column arrays, insert what is new, and
 * record the identity links of the rows actually inserted. `RETURNING` names the new rows; the
 * rest were already stored. In-call duplicates never reach the server (the first one wins), so
 * `ON CONFLICT` only meets rows committed before, or by a concurrent call, which it waits for.
 */
const INSERT_EVENTS = `
WITH input AS (
  SELECT * FROM unnest(
    $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::boolean[], $12::json[], $13::text[]
  ) WITH ORDINALITY AS t (write_key, message_id, type, anonymous_id, user_id, name, ts,
                          received_at, session_id, ip, is_bot, payload, previous_id, ord)
),
inserted AS (
  INSERT INTO events (write_key, message_id, type, anonymous_id, user_id, name, ts, received_at, session_id, ip, is_bot, payload)
  SELECT write_key, message_id, type, anonymous_id, user_id, name, ts, received_at, session_id, ip, is_bot, payload
  FROM input ORDER BY ord
  ON CONFLICT (write_key, message_id) DO NOTHING
  RETURNING write_key, message_id
),
linked AS (
  INSERT INTO identity_links (anonymous_id, user_id, at)
  SELECT DISTINCT ON (l.anonymous_id, l.user_id) l.anonymous_id, l.user_id, l.at
  FROM inserted JOIN input USING (write_key, message_id)
  CROSS JOIN LATERAL (VALUES (input.anonymous_id, input.user_id, input.ts, 0), (input.previous_id, input.user_id, input.ts, 1))
    AS l (anonymous_id, user_id, at, n)
  WHERE l.anonymous_id IS NOT NULL AND l.user_id IS NOT NULL
  ORDER BY l.anonymous_id, l.user_id, input.ord, l.n
  ON CONFLICT (anonymous_id, user_id) DO NOTHING
)
SELECT write_key, message_id FROM inserted`;

/** The text columns PostgreSQL would refuse with a NUL; the payload is JSON, where NUL is escaped. */
const TEXT_FIELDS = [
  'writeKey',
  'messageId',
  'type',
  'anonymousId',
  'userId',
  'name',
  'timestamp',
  'receivedAt',
  'sessionId',
  'ip',
] as const;

const rowKey = (writeKey: string, messageId: string) => `${writeKey}\u0000${messageId}`;

export async function insertEvents(pool: pg.Pool, rows: readonly StoredEvent[]): Promise<InsertOutcome[]> {
  if (rows.length === 0) return [];
  const firstAt = new Map<string, number>();
  const unique: StoredEvent[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as StoredEvent;
    const key = rowKey(row.writeKey, row.messageId);
    if (firstAt.has(key)) continue;
    firstAt.set(key, i);
    unique.push(row);
  }

  const columns: unknown[][] = Array.from({ length: 13 }, () => new Array(unique.length));
  for (let i = 0; i < unique.length; i++) {
    const e = unique[i] as StoredEvent;
    for (const field of TEXT_FIELDS) {
      const value = e[field];
      // The collector rejects NUL at the edge; failing here names the field instead of a server error.
      if (typeof value === 'string' && hasNul(value))
        throw new StorageError(`PostgreSQL cannot store a NUL character (${field})`);
    }
    const values = [
      e.writeKey,
      e.messageId,
      e.type,
      e.anonymousId,
      e.userId,
      e.name,
      e.timestamp,
      e.receivedAt,
      e.sessionId,
      e.ip,
      e.isBot,
      JSON.stringify(e.payload),
      previousIdOf(e),
    ];
    for (let c = 0; c < values.length; c++) (columns[c] as unknown[])[i] = values[c];
  }

  // Named, so each connection plans the statement once: planning it costs more than a small group's insert.
  const { rows: inserted } = await pool.query<{ write_key: string; message_id: string }>({
    name: 'loupe_insert_events',
    text: INSERT_EVENTS,
    values: columns,
  });
  const fresh = new Set(inserted.map((r) => rowKey(r.write_key, r.message_id)));
  return rows.map((row, i): InsertOutcome => {
    const key = rowKey(row.writeKey, row.messageId);
    return firstAt.get(key) === i && fresh.has(key) ? 'inserted' : 'duplicate';
  });
}

/** An alias joins its previous id to the user id, as in the SQLite adapter. */
function previousIdOf(e: StoredEvent): string | null {
  if (e.type !== 'alias' || !e.userId || !('previousId' in e.payload) || !e.payload.previousId) return null;
  const previous = String(e.payload.previousId);
  if (previous === e.userId) return null;
  if (hasNul(previous)) throw new StorageError('PostgreSQL cannot store a NUL character (previousId)');
  return previous;
}
