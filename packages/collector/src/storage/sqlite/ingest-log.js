// Plain JavaScript on purpose: the writer and indexer worker threads load it as it is (see wire.js).
//
// The ingest log: why a 200 costs little. An acknowledgement needs two things on disk, the event
// and the fact that its (write key, messageId) was seen, so that a retry is a duplicate. It does
// not need the event's row and its five indexes in the events table: only readers need those. So
// the writer thread commits each group to a second SQLite file, `<db>-ingest`, as one log entry (the
// group's rows as one text) plus one narrow row per new message id, and answers; an indexer thread
// at a lower CPU priority moves log entries into the events table afterwards, recording how far it
// got in the same transaction (`ingest_progress`), so a crash at any point neither loses nor
// repeats an event. Readers of the events table first index what is still pending, so what they
// see includes every acknowledged event. This is the shape of Kafka in front of a store (PostHog,
// Snowplow) on one machine and two files.
//
// Duplicates are found in two places: the events table's unique (write key, messageId) index for
// what is indexed (a read), and the log's `ingest_ids` for what is not yet (an insert). The log's
// ids leave with their entry, once the indexer has passed it, so `ingest_ids` stays as small as the
// indexer's lag. That matters: inserting random ids (UUID v4, what Segment's libraries send) into
// a B-tree of millions dirties one page per id, about 20 µs each at a million ids; a small one
// stays in the cache, and a lookup in the big one writes nothing.
import { decodeRows } from './wire.js';

/** The log file beside the database file. */
export function ingestLogPath(/** @type {string} */ dbPath) {
  return `${dbPath}-ingest`;
}

/**
 * Creates the log's tables when missing. A new log's entry ids start past what the database has
 * indexed, so a replaced log file cannot hide entries behind old progress.
 * @param {import('better-sqlite3').Database} log
 * @param {string} dbPath the events database, attached to read its progress
 */
export function migrateIngestLog(log, dbPath) {
  const exists = log.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'ingest_log'").get();
  if (exists) return;
  log.exec(`ATTACH DATABASE '${dbPath.replaceAll("'", "''")}' AS main_db`);
  try {
    log.transaction(() => {
      log.exec(`
        CREATE TABLE ingest_ids (
          id INTEGER PRIMARY KEY,
          write_key TEXT NOT NULL,
          message_id TEXT NOT NULL,
          UNIQUE (write_key, message_id)
        );
        CREATE TABLE ingest_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          body TEXT NOT NULL,
          outcomes BLOB NOT NULL,
          last_id INTEGER NOT NULL
        );
      `);
      const progress = /** @type {{log_id: number} | undefined} */ (
        log.prepare('SELECT log_id FROM main_db.ingest_progress WHERE id = 1').get()
      );
      if (progress && progress.log_id > 0) {
        log.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('ingest_log', ?)").run(progress.log_id);
      }
    })();
  } finally {
    log.exec('DETACH DATABASE main_db');
  }
}

/**
 * Deletes the entries up to `upTo` (already indexed) and the message ids that came with them.
 * @param {import('better-sqlite3').Database} log
 * @returns {(upTo: number) => void}
 */
export function createLogPruner(log) {
  const lastId = log.prepare('SELECT max(last_id) FROM ingest_log WHERE id <= ?').pluck();
  const deleteIds = log.prepare('DELETE FROM ingest_ids WHERE id <= ?');
  const deleteEntries = log.prepare('DELETE FROM ingest_log WHERE id <= ?');
  return (upTo) => {
    const last = /** @type {number | null} */ (lastId.get(upTo));
    if (last !== null) deleteIds.run(last);
    deleteEntries.run(upTo);
  };
}

/**
 * The acknowledging half, for the writer thread: one transaction per group records each new message
 * id and the group's log entry; duplicates are answered 0 and left out of the entry's outcomes.
 * Entries the indexer has finished are deleted inside later commits (no extra fsync).
 * @param {import('better-sqlite3').Database} log
 * @param {import('better-sqlite3').Database} events a connection to the events database, read only here
 * @returns {{append: (text: string, ids: string[]) => {outcomes: Uint8Array, logId: number}, prune: (upTo: number) => void}}
 */
export function createLogAppender(log, events) {
  const indexed = events.prepare('SELECT 1 FROM events WHERE write_key = ? AND message_id = ?').pluck();
  const insertId = log.prepare('INSERT OR IGNORE INTO ingest_ids (write_key, message_id) VALUES (?, ?)');
  const insertEntry = log.prepare('INSERT INTO ingest_log (body, outcomes, last_id) VALUES (?, ?, ?)');
  const pruneUpTo = createLogPruner(log);
  let pruneTo = 0;
  let pruned = 0;
  const append = log.transaction(
    /** @param {string} text @param {string[]} ids writeKey, messageId, … per row */
    (text, ids) => {
      if (pruneTo > pruned) {
        pruneUpTo(pruneTo);
        pruned = pruneTo;
      }
      const outcomes = new Uint8Array(ids.length / 2);
      let inserted = 0;
      let lastId = 0;
      for (let i = 0; i < outcomes.length; i++) {
        const writeKey = ids[2 * i];
        const messageId = ids[2 * i + 1];
        // An id leaves ingest_ids only after its entry is indexed (pruneTo is the indexer's
        // committed progress), so every id is always in one of the two places, or both.
        if (indexed.get(writeKey, messageId) !== undefined) continue;
        const run = insertId.run(writeKey, messageId);
        if (run.changes === 1) {
          outcomes[i] = 1;
          inserted++;
          lastId = Number(run.lastInsertRowid);
        }
      }
      const logId = inserted > 0 ? Number(insertEntry.run(text, outcomes, lastId).lastInsertRowid) : 0;
      return { outcomes, logId };
    },
  );
  return {
    append,
    prune(upTo) {
      pruneTo = Math.max(pruneTo, upTo);
    },
  };
}

/**
 * The indexing half: moves up to `maxRows` rows of pending log entries into the events table in one
 * transaction on `db` (BEGIN IMMEDIATE, so two indexers, a thread and a reader catching up, take
 * turns and neither repeats the other's work). Returns the progress reached and the rows indexed.
 * @param {import('better-sqlite3').Database} db the events database, with `ingest_progress`
 * @param {import('better-sqlite3').Database} log the log file, read only here
 * @param {(rows: import('./wire.js').EventTuple[], links: import('./wire.js').LinkTuple[], accepted: Uint8Array) => unknown} write
 *   the events-table insert (`createEventInserter`), run inside this transaction; the entry's
 *   outcomes leave out what the writer answered as a duplicate
 */
export function createLogIndexer(db, log, write) {
  const readProgress = db.prepare('SELECT log_id FROM ingest_progress WHERE id = 1').pluck();
  const setProgress = db.prepare('UPDATE ingest_progress SET log_id = ? WHERE id = 1');
  const readEntries = log.prepare('SELECT id, body, outcomes FROM ingest_log WHERE id > ? ORDER BY id');
  const readHead = log.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'ingest_log'").pluck();

  const step = db.transaction(
    /** @param {number} maxRows */
    (maxRows) => {
      const from = /** @type {number} */ (readProgress.get());
      let progress = from;
      let indexed = 0;
      // Entries are a commit group each (at most a few thousand rows): read on until past maxRows.
      for (const entry of /** @type {IterableIterator<{id: number, body: string, outcomes: Buffer}>} */ (
        readEntries.iterate(from)
      )) {
        const { rows, links } = decodeRows(entry.body);
        write(rows, links, entry.outcomes);
        for (const outcome of entry.outcomes) indexed += outcome;
        progress = entry.id;
        if (indexed >= maxRows) break;
      }
      if (progress !== from) setProgress.run(progress);
      return { progress, indexed };
    },
  );

  return {
    /** Indexes one transaction's worth; `{indexed: 0}` when nothing is pending. */
    step: (maxRows = 4000) => step.immediate(maxRows),
    /** The newest entry id ever appended (0 for none), read from the log's own committed state. */
    head: () => /** @type {number | undefined} */ (readHead.get()) ?? 0,
    progress: () => /** @type {number} */ (readProgress.get()),
  };
}
