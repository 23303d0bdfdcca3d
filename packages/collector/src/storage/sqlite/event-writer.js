// Plain JavaScript on purpose: this module is also a worker thread's entry, and a worker loads it
// as it is, from src/ under the tests and from dist/ in production. Types are checked through JSDoc.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createFilterAppender } from './id-filter.js';
import { createLogAppender } from './ingest-log.js';
import { decodeRows } from './wire.js';

/** @typedef {import('./wire.js').EventTuple} EventTuple */
/** @typedef {import('./wire.js').LinkTuple} LinkTuple */

/**
 * Prepares the events-table inserts on `db` and returns a function that inserts rows (inside the
 * caller's transaction) and answers 1 (inserted) or 0 (duplicate, or left out) per row. `accepted`,
 * when given, names the rows to insert (1) and those to leave out with their links (0).
 * @param {import('better-sqlite3').Database} db
 * @returns {(rows: EventTuple[], links: LinkTuple[], accepted?: Uint8Array) => Uint8Array}
 */
export function createEventInserter(db) {
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (write_key, message_id, type, anonymous_id, user_id, name, ts, received_at, session_id, ip, is_bot, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLink = db.prepare('INSERT OR IGNORE INTO identity_links (anonymous_id, user_id, at) VALUES (?, ?, ?)');
  const widenDay = db.prepare(
    `INSERT INTO events_received_days (write_key, day, min_id, max_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (write_key, day) DO UPDATE SET min_id = min(min_id, excluded.min_id), max_id = max(max_id, excluded.max_id)`,
  );
  const recordIds = createFilterAppender(db);
  return (rows, links, accepted) => {
    const outcomes = new Uint8Array(rows.length);
    /** The anonymous and user ids of the rows inserted now, and the span of row ids they took (id-filter.js). */
    const ids = new Set();
    let minId = Number.POSITIVE_INFINITY;
    let maxId = 0;
    /** The span of ids inserted now per (write key, day of receipt): nearly always one. */
    const days = new Map();
    let span = /** @type {{writeKey: string, day: string, min: number, max: number} | undefined} */ (undefined);
    for (let i = 0; i < rows.length; i++) {
      if (accepted && accepted[i] !== 1) continue;
      const row = /** @type {EventTuple} */ (rows[i]);
      const run = insertEvent.run(...row);
      if (run.changes !== 1) continue;
      outcomes[i] = 1;
      const id = Number(run.lastInsertRowid);
      if (row[3] !== null) ids.add(row[3]);
      if (row[4] !== null) ids.add(row[4]);
      if (id < minId) minId = id;
      if (id > maxId) maxId = id;
      const day = row[7].slice(0, 10);
      if (span?.writeKey !== row[0] || span.day !== day) {
        const key = JSON.stringify([row[0], day]);
        span = days.get(key);
        if (!span) days.set(key, (span = { writeKey: row[0], day, min: id, max: id }));
      }
      if (id < span.min) span.min = id;
      if (id > span.max) span.max = id;
    }
    for (const { writeKey, day, min, max } of days.values()) widenDay.run(writeKey, day, min, max);
    recordIds(minId, maxId, ids);
    for (const [row, anonymousId, userId, at] of links) {
      if (outcomes[row] === 1) insertLink.run(anonymousId, userId, at);
    }
    return outcomes;
  };
}

/**
 * `createEventInserter` in a transaction of its own: the direct path, for `:memory:` databases and
 * the inline writer, where no ingest log stands in front of the events table.
 * @param {import('better-sqlite3').Database} db
 * @returns {(rows: EventTuple[], links: LinkTuple[]) => Uint8Array}
 */
export function createEventWriter(db) {
  return db.transaction(createEventInserter(db));
}

/**
 * 16 KiB pages for new files. An event's row is ~850 bytes (its payload ~700), and a 4 KiB page
 * holds four of them with ~600 bytes left over: 16 % of the events table was empty space, and every
 * byte of it was written twice (WAL, then checkpoint) into fresh page-cache pages, which on a VM
 * are not cheap. 16 KiB pages hold nineteen rows with little left.
 */
const PAGE_SIZE = 16_384;

/**
 * Opens a file the way every Loupe connection does: WAL, fsync on commit, patient with locks.
 * @param {string} path
 * @returns {import('better-sqlite3').Database}
 */
export function openDatabase(path) {
  const db = new Database(path);
  // Before WAL mode fixes it: only a new, empty file takes the page size (an older file keeps its 4 KiB).
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

// The writer thread: appends each group to the ingest log and answers once it is committed.
if (!isMainThread && parentPort && workerData?.role === 'loupe-event-writer') {
  const port = parentPort;
  /** @type {import('node:worker_threads').MessagePort} */
  const indexer = workerData.indexer;
  const log = openDatabase(workerData.logPath);
  const events = new Database(workerData.path, { readonly: true });
  events.pragma('busy_timeout = 5000');
  events.pragma('cache_size = -16384'); // 16 MB: the top of the message-id index stays in memory
  const appender = createLogAppender(log, events);
  indexer.unref();
  port.on('message', (/** @type {{id: number, texts?: string[], ids?: string[][], close?: boolean}} */ message) => {
    if (message.close) {
      log.close();
      events.close();
      indexer.close();
      port.postMessage({ id: message.id, closed: true });
      port.close();
      return;
    }
    try {
      const texts = message.texts ?? [];
      const { outcomes, logId } = appender.append(texts, message.ids ?? []);
      if (logId > 0) indexer.postMessage({ head: logId });
      port.postMessage({ id: message.id, outcomes, logId }, [/** @type {ArrayBuffer} */ (outcomes.buffer)]);
    } catch (error) {
      port.postMessage({
        id: message.id,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  });
}
