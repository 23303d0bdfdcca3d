// Plain JavaScript on purpose: the writer and indexer worker threads load it as it is (see wire.js).
//
// The ingest log: why a 200 costs little. An acknowledgement needs two things on disk, the event
// and the fact that its (write key, messageId) was seen, so that a retry is a duplicate. It does
// not need the event's row and its indexes in the events table: only readers need those. So the
// writer thread commits each group to a second SQLite file, `<db>-ingest`, as log entries in one
// transaction (the group's rows as a text or a few, which hold their message ids too: see
// wire.js for why a large group is cut), and answers; an indexer thread
// at a lower CPU priority moves log entries into the events table afterwards, recording how far it
// got in the same transaction (`ingest_progress`), so a crash at any point neither loses nor
// repeats an event. Readers of the events table first index what is still pending, so what they
// see includes every acknowledged event. This is the shape of Kafka in front of a store (PostHog,
// Snowplow) on one machine and two files.
//
// Duplicates are found in two places: the events table's unique (write key, messageId) index for
// what is indexed (a read), and, for what is not yet, a set in the writer thread's memory of the
// message ids in the log's unindexed entries. The entries themselves are the durable record of those
// ids, so the set is rebuilt from them when the log is opened; it was a table (`ingest_ids`) once,
// and its two B-trees, an insert and a delete per event, were half of the acknowledgement's CPU.
// The set makes SQLite's ingest one collector process per database file (two would each take a
// retry sent to both for new, though the indexer still stores it once): PostgreSQL is for more.
import { decodeRows } from './wire.js';

/** The log file beside the database file. */
export function ingestLogPath(/** @type {string} */ dbPath) {
  return `${dbPath}-ingest`;
}

/**
 * Creates the log's tables when missing, or brings an older log up to date. A new log's entry ids
 * start past what the database has indexed, so a replaced log file cannot hide entries behind old progress.
 * @param {import('better-sqlite3').Database} log
 * @param {string} dbPath the events database, attached to read its progress
 */
export function migrateIngestLog(log, dbPath) {
  const exists = log.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'ingest_log'").get();
  if (exists) {
    // Version 0: message ids also kept in a table of their own, `ingest_ids` (now the writer's set).
    if (log.pragma('user_version', { simple: true }) === 0) {
      log.transaction(() => {
        log.exec(
          'DROP TABLE IF EXISTS ingest_ids; ALTER TABLE ingest_log DROP COLUMN last_id; PRAGMA user_version = 1;',
        );
      })();
    }
    return;
  }
  log.exec(`ATTACH DATABASE '${dbPath.replaceAll("'", "''")}' AS main_db`);
  try {
    log.transaction(() => {
      log.exec(`
        CREATE TABLE ingest_log (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          body TEXT NOT NULL,
          outcomes BLOB NOT NULL
        );
        PRAGMA user_version = 1;
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
 * Deletes the entries up to `upTo` (already indexed).
 * @param {import('better-sqlite3').Database} log
 * @returns {(upTo: number) => void}
 */
export function createLogPruner(log) {
  const deleteEntries = log.prepare('DELETE FROM ingest_log WHERE id <= ?');
  return (upTo) => {
    deleteEntries.run(upTo);
  };
}

/**
 * The entries past an entry id, oldest first: what the indexer moves, and what the writer's set is rebuilt from.
 * @param {import('better-sqlite3').Database} log
 */
function prepareEntriesAfter(log) {
  return /** @type {import('better-sqlite3').Statement<[number], {id: number, body: string, outcomes: Buffer}>} */ (
    log.prepare('SELECT id, body, outcomes FROM ingest_log WHERE id > ? ORDER BY id')
  );
}

/**
 * The acknowledging half, for the writer thread: one transaction per group appends the group's log
 * entries (one, or several for a large group: see encodeRows); their outcomes answer 1 for a new
 * event and 0 for a duplicate, which the indexer leaves out. `logId` is the group's last entry.
 * Entries the indexer has finished are deleted inside later commits (no extra fsync).
 * @param {import('better-sqlite3').Database} log
 * @param {import('better-sqlite3').Database} events a connection to the events database, read only here
 * @returns {{append: (texts: readonly string[], idLists: readonly string[][]) => {outcomes: Uint8Array, logId: number}, pendingIds: () => number}}
 */
export function createLogAppender(log, events) {
  /**
   * The positions in a JSON array of message ids of those the events table holds for a write key.
   * Positions, not the ids: an id with a lone surrogate is stored as its WTF-8 bytes and would come
   * back as replacement characters, no longer equal to the id looked up.
   */
  const indexed = events
    .prepare(
      'SELECT key FROM json_each(?) WHERE EXISTS (SELECT 1 FROM events WHERE write_key = ? AND message_id = value)',
    )
    .pluck();
  const readProgress = events.prepare('SELECT log_id FROM ingest_progress WHERE id = 1').pluck();
  const insertEntry = log.prepare('INSERT INTO ingest_log (body, outcomes) VALUES (?, ?)');
  const pruneUpTo = createLogPruner(log);
  /** Message ids of the unindexed entries, per write key. */
  const pending = new Map();
  /** Those entries, oldest first, with their new ids (writeKey, messageId, …) to forget once indexed. */
  const entries = /** @type {{id: number, ids: string[]}[]} */ ([]);
  let pruned = 0;

  const remember = (/** @type {number} */ id, /** @type {string[]} */ ids) => {
    for (let i = 0; i < ids.length; i += 2) {
      const writeKey = /** @type {string} */ (ids[i]);
      let set = pending.get(writeKey);
      if (!set) pending.set(writeKey, (set = new Set()));
      set.add(ids[i + 1]);
    }
    entries.push({ id, ids });
  };
  /** Forgets the ids of entries up to the indexed progress: the events table answers for them now. */
  const forget = (/** @type {number} */ progress) => {
    while (entries.length > 0 && /** @type {{id: number}} */ (entries[0]).id <= progress) {
      const { ids } = /** @type {{ids: string[]}} */ (entries.shift());
      for (let i = 0; i < ids.length; i += 2) {
        const set = pending.get(ids[i]);
        set?.delete(ids[i + 1]);
        if (set?.size === 0) pending.delete(ids[i]);
      }
    }
  };

  // The ids of what the log holds beyond the indexed progress: a crash's or a previous run's entries.
  const from = /** @type {number | undefined} */ (readProgress.get()) ?? 0;
  for (const entry of prepareEntriesAfter(log).iterate(from)) {
    const { rows } = decodeRows(entry.body);
    const ids = [];
    for (let i = 0; i < rows.length; i++) {
      const row = /** @type {import('./wire.js').EventTuple} */ (rows[i]);
      if (entry.outcomes[i] === 1) ids.push(row[0], row[1]);
    }
    remember(entry.id, ids);
  }

  const append = log.transaction(
    /**
     * @param {readonly string[]} texts the group's entries (see encodeRows)
     * @param {readonly string[][]} idLists per entry, writeKey, messageId, … per row
     */
    (texts, idLists) => {
      const progress = /** @type {number} */ (readProgress.get());
      forget(progress);
      if (progress > pruned) {
        pruneUpTo(progress);
        pruned = progress;
      }
      let count = 0;
      for (const list of idLists) count += list.length / 2;
      const outcomes = new Uint8Array(count);
      /**
       * Ids new to the log in this group, per write key (a repeat within the group is a duplicate):
       * `pending` learns them once the commit succeeded. Those the events table already holds leave
       * it after one lookup per write key, not one statement per event (bench/ingest/ack.js: 12.8 → 7.4 µs an event).
       */
      const here = new Map();
      let i = 0;
      for (const ids of idLists) {
        for (let j = 0; j < ids.length; j += 2, i++) {
          const writeKey = /** @type {string} */ (ids[j]);
          const messageId = /** @type {string} */ (ids[j + 1]);
          let seen = here.get(writeKey);
          if (seen?.has(messageId) || pending.get(writeKey)?.has(messageId)) continue;
          if (!seen) here.set(writeKey, (seen = new Set()));
          seen.add(messageId);
          outcomes[i] = 1;
        }
      }
      for (const [writeKey, seen] of here) {
        const list = [...seen];
        for (const at of /** @type {number[]} */ (indexed.all(JSON.stringify(list), writeKey))) seen.delete(list[at]);
      }
      /** The entries appended, with the ids they made new. */
      const added = /** @type {{id: number, fresh: string[]}[]} */ ([]);
      i = 0;
      for (let k = 0; k < texts.length; k++) {
        const ids = /** @type {string[]} */ (idLists[k]);
        const from = i;
        /** @type {string[]} */
        const fresh = [];
        for (let j = 0; j < ids.length; j += 2, i++) {
          if (outcomes[i] === 0) continue;
          const writeKey = /** @type {string} */ (ids[j]);
          const messageId = /** @type {string} */ (ids[j + 1]);
          if (here.get(writeKey).has(messageId)) fresh.push(writeKey, messageId);
          else outcomes[i] = 0;
        }
        if (fresh.length === 0) continue; // nothing new: no entry for the indexer to skip
        added.push({ id: Number(insertEntry.run(texts[k], outcomes.subarray(from, i)).lastInsertRowid), fresh });
      }
      return { outcomes, added };
    },
  );
  return {
    append(texts, idLists) {
      const { outcomes, added } = append(texts, idLists);
      for (const entry of added) remember(entry.id, entry.fresh);
      return { outcomes, logId: added.at(-1)?.id ?? 0 };
    },
    pendingIds: () => entries.reduce((n, entry) => n + entry.ids.length / 2, 0),
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
  const readEntries = prepareEntriesAfter(log);
  const readHead = log.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'ingest_log'").pluck();

  const step = db.transaction(
    /** @param {number} maxRows */
    (maxRows) => {
      const from = /** @type {number} */ (readProgress.get());
      let progress = from;
      let indexed = 0;
      // Entries are a commit group each (at most a few thousand rows): read on until past maxRows.
      for (const entry of readEntries.iterate(from)) {
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
