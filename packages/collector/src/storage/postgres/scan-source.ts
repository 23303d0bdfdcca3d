import type { SourceEvent } from '@loupe/segmenter';
import type pg from 'pg';
import { createProjectionDecoder, DEPTH_EVENT, type ProjectedRow, VALUE_EVENTS } from '../source-projection.js';
import type { ScanOptions } from '../types.js';
import { escapeNul, hasNul } from './nul.js';

/**
 * `scanSourceEvents` for PostgreSQL: the payload fields the segmenter reads are extracted by the
 * server (`->`, `json_typeof`), rows come back as arrays, and no whole payload is sent or parsed.
 */
export function createPostgresSourceScan(pool: pg.Pool): (options?: ScanOptions) => AsyncIterable<SourceEvent[]> {
  return async function* scanSourceEvents(options: ScanOptions = {}) {
    const { since, writeKey, pageSize = 20_000, excludeBots = false } = options;
    const where: string[] = [];
    const params: unknown[] = [DEPTH_EVENT, [...VALUE_EVENTS]];
    if (since !== undefined) where.push(`ts >= $${params.push(escapeNul(since))}`);
    if (writeKey !== undefined) where.push(hasNul(writeKey) ? 'false' : `write_key = $${params.push(writeKey)}`);
    if (excludeBots) where.push('NOT is_bot');
    const decode = createProjectionDecoder();
    let after: ProjectedRow | undefined;
    for (;;) {
      const conditions = [...where];
      const values = [...params];
      if (after) conditions.push(`(ts, id) > ($${values.push(after[1])}, $${values.push(after[0])}::bigint)`);
      const { rows } = await pool.query<ProjectedRow>({
        text: `SELECT id, ts, type, anonymous_id, user_id, name, is_bot,
            CASE WHEN json_typeof(payload -> 'context' -> 'campaign') = 'object' THEN (payload -> 'context' -> 'campaign')::text END,
            CASE WHEN type = 'track' AND name = $1 AND json_typeof(payload -> 'properties' -> 'depth') = 'number'
              THEN (payload -> 'properties' -> 'depth')::text END,
            CASE WHEN type = 'track' AND name = ANY($2::text[]) AND json_typeof(payload -> 'properties') = 'object'
              THEN (payload -> 'properties')::text END
          FROM events ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
          ORDER BY ts, id LIMIT $${values.push(pageSize)}`,
        values,
        rowMode: 'array',
      });
      if (rows.length === 0) return;
      after = rows[rows.length - 1];
      yield decode(rows);
      if (rows.length < pageSize) return;
    }
  };
}
