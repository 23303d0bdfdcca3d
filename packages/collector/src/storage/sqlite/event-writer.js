// Plain JavaScript on purpose: this module is also a worker thread's entry, and a worker loads it
// as it is, from src/ under the tests and from dist/ in production. Types are checked through JSDoc.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/**
 * A row as it crosses to the writer: the indexed columns, then the payload already serialized.
 * @typedef {[writeKey: string, messageId: string, type: string, anonymousId: string | null, userId: string | null,
 *   name: string | null, ts: string, receivedAt: string, sessionId: string | null, ip: string | null, isBot: number,
 *   payload: string]} EventTuple
 */

/**
 * Identity links an inserted row establishes, as [rowIndex, anonymousId, userId, at].
 * @typedef {[row: number, anonymousId: string, userId: string, at: string]} LinkTuple
 */

/**
 * Prepares the insert statements on `db` and returns a function that commits rows in one
 * transaction and answers 1 (inserted) or 0 (duplicate) per row.
 * @param {import('better-sqlite3').Database} db
 * @returns {(rows: EventTuple[], links: LinkTuple[]) => Uint8Array}
 */
export function createEventWriter(db) {
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (write_key, message_id, type, anonymous_id, user_id, name, ts, received_at, session_id, ip, is_bot, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLink = db.prepare('INSERT OR IGNORE INTO identity_links (anonymous_id, user_id, at) VALUES (?, ?, ?)');
  return db.transaction(
    /** @param {EventTuple[]} rows @param {LinkTuple[]} links */
    (rows, links) => {
      const outcomes = new Uint8Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        outcomes[i] = insertEvent.run(.../** @type {EventTuple} */ (rows[i])).changes === 1 ? 1 : 0;
      }
      for (const [row, anonymousId, userId, at] of links) {
        if (outcomes[row] === 1) insertLink.run(anonymousId, userId, at);
      }
      return outcomes;
    },
  );
}

/**
 * Opens the file the way every Loupe connection does: WAL, fsync on commit, patient with locks.
 * @param {string} path
 * @returns {import('better-sqlite3').Database}
 */
export function openDatabase(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

if (!isMainThread && parentPort && workerData?.role === 'loupe-event-writer') {
  const port = parentPort;
  const db = openDatabase(workerData.path);
  const write = createEventWriter(db);
  port.on('message', (/** @type {{id: number, json?: string, close?: boolean}} */ message) => {
    if (message.close) {
      db.close();
      port.postMessage({ id: message.id, closed: true });
      port.close();
      return;
    }
    try {
      // Rows arrive as one JSON text with each payload still an object: serialize those here.
      const { rows, links } = /** @type {{rows: EventTuple[], links: LinkTuple[]}} */ (JSON.parse(message.json ?? '{"rows":[],"links":[]}'));
      for (const row of rows) row[11] = JSON.stringify(row[11]);
      const outcomes = write(rows, links);
      port.postMessage({ id: message.id, outcomes }, [/** @type {ArrayBuffer} */ (outcomes.buffer)]);
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  });
}
