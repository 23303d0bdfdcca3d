import type { SourceEvent } from '@loupe/segmenter';
import type Database from 'better-sqlite3';
import { createProjectionDecoder, DEPTH_EVENT, type ProjectedRow, VALUE_EVENTS } from '../source-projection.js';
import type { ScanOptions } from '../types.js';

const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * `scanSourceEvents` for SQLite: the few payload fields the segmenter reads are extracted by
 * SQLite's JSON functions inside the query (which parse each payload once per row, in C), so no
 * payload text crosses into JavaScript and rows come back as arrays, not objects.
 */
export function createSqliteSourceScan(db: Database.Database): (options?: ScanOptions) => AsyncIterable<SourceEvent[]> {
  const page = db
    .prepare(
      `SELECT id, ts, type, anonymous_id, user_id, name, is_bot,
         CASE WHEN json_type(payload, '$.context.campaign') = 'object' THEN json_extract(payload, '$.context.campaign') END,
         CASE WHEN type = 'track' AND name = ${quoted(DEPTH_EVENT)} AND json_type(payload, '$.properties.depth') IN ('integer', 'real')
           THEN json_extract(payload, '$.properties.depth') END,
         CASE WHEN type = 'track' AND name IN (${VALUE_EVENTS.map(quoted).join(', ')}) AND json_type(payload, '$.properties') = 'object'
           THEN json_extract(payload, '$.properties') END
       FROM events WHERE (ts, id) > (?, ?) AND ts >= ? AND (? IS NULL OR write_key = ?) AND (? = 0 OR is_bot = 0)
       ORDER BY ts, id LIMIT ?`,
    )
    .raw(true);
  return async function* scanSourceEvents(options: ScanOptions = {}) {
    const pageSize = options.pageSize ?? 20_000;
    const key = options.writeKey ?? null;
    const decode = createProjectionDecoder();
    let lastTs = '';
    let lastId = 0;
    for (;;) {
      const rows = page.all(
        lastTs,
        lastId,
        options.since ?? '',
        key,
        key,
        options.excludeBots ? 1 : 0,
        pageSize,
      ) as ProjectedRow[];
      if (rows.length === 0) return;
      const last = rows[rows.length - 1] as ProjectedRow;
      lastTs = last[1];
      lastId = last[0] as number;
      yield decode(rows);
      if (rows.length < pageSize) return;
    }
  };
}
