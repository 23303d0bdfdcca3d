import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { BacklogFullError } from '../../errors.js';
import { storedEvent } from '../contract.js';
import { createEventInserter, openDatabase } from './event-writer.js';
import { createLogAppender, createLogIndexer, ingestLogPath, migrateIngestLog } from './ingest-log.js';
import { createSqliteStore } from './index.js';
import { migrate } from './schema.js';
import { encodeRows, MAX_ENTRY_CHARS } from './wire.js';
import type { StoredEvent } from '../types.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-ingest-log-'));
let n = 0;
const freshPath = () => join(dir, `${++n}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rawCount = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
const logEntries = (path: string) => {
  const log = new Database(ingestLogPath(path), { readonly: true });
  try {
    return (log.prepare('SELECT count(*) AS n FROM ingest_log').get() as { n: number }).n;
  } finally {
    log.close();
  }
};
const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => storedEvent(`${prefix}-${i}`));
/** A fresh events database and its ingest log, opened and migrated as the writer and indexer threads open them. */
const openLogged = () => {
  const path = freshPath();
  const db = openDatabase(path);
  migrate(db);
  const log = openDatabase(ingestLogPath(path));
  migrateIngestLog(log, path);
  return { db, log };
};
/** Appends rows as one commit group, encoded as the writer thread receives them. */
const appendRows = (appender: ReturnType<typeof createLogAppender>, rows: readonly StoredEvent[]) => {
  const encoded = encodeRows(rows);
  return appender.append(encoded.texts, encoded.ids);
};

describe('SQLite ingest log', () => {
  it('acknowledges from the log, before the events table has the rows, and readers see every acknowledged event', async () => {
    const store = createSqliteStore({ path: freshPath(), indexerThread: false });
    const outcomes = await store.insertEvents(ids('a', 5));
    expect(outcomes).toEqual(Array(5).fill('inserted'));
    expect(rawCount(store.db)).toBe(0); // on disk in the log only
    expect(store.pendingIndexRows).toBe(5);
    expect(await store.countEvents()).toBe(5);
    expect(rawCount(store.db)).toBe(5);
    expect(store.pendingIndexRows).toBe(0);
    await store.close();
  });

  it('makes new files with 16 KiB pages, and keeps using a file made with 4 KiB pages', async () => {
    const fresh = freshPath();
    const store = createSqliteStore({ path: fresh, indexerThread: false });
    await store.insertEvents(ids('p', 3));
    expect(await store.countEvents()).toBe(3);
    expect(store.db.pragma('page_size', { simple: true })).toBe(16_384);
    await store.close();

    // A file as the builds before this one made it: SQLite's default page size, in WAL mode.
    const older = freshPath();
    const made = new Database(older);
    made.pragma('journal_mode = WAL');
    migrate(made);
    made.close();
    const reopened = createSqliteStore({ path: older, indexerThread: false });
    expect(reopened.db.pragma('page_size', { simple: true })).toBe(4096);
    await reopened.insertEvents(ids('q', 4));
    expect(await reopened.countEvents()).toBe(4);
    expect((await reopened.eventsForIds(['anon-q-2'])).map((e) => e.messageId)).toEqual(['q-2']);
    await reopened.close();
  });

  it('shows how far the indexer is behind on /metrics', async () => {
    const store = createSqliteStore({ path: freshPath(), indexerThread: false });
    const { app } = createApp({ store, logger: { log() {} } });
    const gauge = async () =>
      /^loupe_ingest_unindexed_rows (\d+)$/m.exec(await (await app.request('/metrics')).text())?.[1];
    await store.insertEvents(ids('m', 7));
    expect(await gauge()).toBe('7');
    await store.countEvents();
    expect(await gauge()).toBe('0');
    await store.close();
  });

  it('without an indexer thread, deletes the log entries a reader has indexed', async () => {
    const path = freshPath();
    const store = createSqliteStore({ path, indexerThread: false });
    await store.insertEvents(ids('n1', 5));
    await store.insertEvents(ids('n2', 5));
    expect(logEntries(path)).toBe(2);
    expect(await store.countEvents()).toBe(10);
    expect(logEntries(path)).toBe(0);
    await store.close();
  });

  it('counts its lag from the indexed progress, so entries another process indexed no longer hold ingest back', async () => {
    const path = freshPath();
    const serving = createSqliteStore({ path, indexerThread: false, maxPendingRows: 30 });
    const other = createSqliteStore({ path, indexerThread: false }); // a `loupe segment` run, say
    await serving.insertEvents(ids('o1', 30));
    expect(serving.pendingIndexRows).toBe(30);
    expect(await other.countEvents()).toBe(30);
    await expect(serving.insertEvents(ids('o2', 10))).resolves.toHaveLength(10);
    expect(serving.pendingIndexRows).toBe(10);
    await other.close();
    await serving.close();
  });

  it('answers a retry as a duplicate while it is still in the log, and stores it once', async () => {
    const store = createSqliteStore({ path: freshPath(), indexerThread: false });
    const rows = ids('b', 3);
    await store.insertEvents(rows);
    expect(await store.insertEvents([rows[1]!, storedEvent('b-new')])).toEqual(['duplicate', 'inserted']);
    expect(await store.countEvents()).toBe(4);
    await store.close();
  });

  it('catches a reader up a transaction at a time, with the event loop free in between', async () => {
    const store = createSqliteStore({ path: freshPath(), indexerThread: false });
    for (let g = 0; g < 4; g++) await store.insertEvents(ids(`k${g}`, 2500));
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    expect(await store.countEvents()).toBe(10_000);
    counting = false;
    expect(turns).toBeGreaterThanOrEqual(4); // one turn at least after each 2,000-row transaction
    await store.close();
  });

  it('indexes what a killed process left in the log when the file is opened again, each event once', async () => {
    const path = freshPath();
    const first = createSqliteStore({ path, indexerThread: false });
    await first.insertEvents(ids('c', 4));
    await first.insertEvents([storedEvent('c-1'), storedEvent('c-9')]);
    // The process dies here: nothing indexed, nothing closed. A second process opens the file.
    const second = createSqliteStore({ path, indexerThread: false });
    expect(rawCount(second.db)).toBe(5);
    const rows = second.db.prepare('SELECT message_id AS id, count(*) AS n FROM events GROUP BY message_id').all();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => (r as { n: number }).n === 1)).toBe(true);
    await second.close();
    await first.close();
  });

  it('knows the message ids of the unindexed entries a previous writer left in the log, and forgets them once indexed', () => {
    const { db, log } = openLogged();
    const append = (appender: ReturnType<typeof createLogAppender>, rows: ReturnType<typeof ids>) => [
      ...appendRows(appender, rows).outcomes,
    ];
    const rows = ids('p', 3);
    const first = createLogAppender(log, db);
    expect(append(first, rows)).toEqual([1, 1, 1]);
    expect(append(first, [rows[0]!, rows[0]!, storedEvent('p-new')])).toEqual([0, 0, 1]); // repeats within a group too
    // A new writer (a restart) on the same files, nothing indexed yet: the ids come back from the entries.
    const second = createLogAppender(log, db);
    expect(second.pendingIds()).toBe(4);
    expect(append(second, [rows[2]!, storedEvent('p-new'), storedEvent('p-other')])).toEqual([0, 0, 1]);
    // Once indexed, the events table answers for them and the writer lets them go with its next commit.
    const indexer = createLogIndexer(db, log, createEventInserter(db));
    while (indexer.step().indexed > 0);
    expect(append(second, [rows[1]!])).toEqual([0]);
    expect(second.pendingIds()).toBe(0);
    expect(rawCount(db)).toBe(5);
    db.close();
    log.close();
  });

  it('brings a log written with a message-id table up to date, keeping its entries', async () => {
    const path = freshPath();
    const db = openDatabase(path);
    migrate(db);
    db.close();
    // The log as the first version wrote it: entries with a last_id column, ids in ingest_ids.
    const old = openDatabase(ingestLogPath(path));
    old.exec(`
      CREATE TABLE ingest_ids (id INTEGER PRIMARY KEY, write_key TEXT NOT NULL, message_id TEXT NOT NULL, UNIQUE (write_key, message_id));
      CREATE TABLE ingest_log (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, outcomes BLOB NOT NULL, last_id INTEGER NOT NULL);
    `);
    const encoded = encodeRows(ids('q', 2));
    old
      .prepare('INSERT INTO ingest_ids (write_key, message_id) VALUES (?, ?), (?, ?)')
      .run(...(encoded.ids[0] as string[]));
    old
      .prepare('INSERT INTO ingest_log (body, outcomes, last_id) VALUES (?, ?, 2)')
      .run(encoded.texts[0], Buffer.from([1, 1]));
    old.close();

    const store = createSqliteStore({ path, indexerThread: false });
    expect(await store.countEvents()).toBe(2); // the old entry was indexed at open
    expect(await store.insertEvents([storedEvent('q-1'), storedEvent('q-2')])).toEqual(['duplicate', 'inserted']);
    const log = new Database(ingestLogPath(path), { readonly: true });
    expect(log.prepare("SELECT name FROM sqlite_schema WHERE name = 'ingest_ids'").get()).toBeUndefined();
    expect(log.pragma('user_version', { simple: true })).toBe(1);
    log.close();
    await store.close();
  });

  it('rolls an interrupted indexing transaction back whole, so the next run repeats none of it', () => {
    const { db, log } = openLogged();
    const appender = createLogAppender(log, db);
    const group = (prefix: string) => appendRows(appender, ids(prefix, 3));
    group('d1');
    group('d2');
    const insert = createEventInserter(db);
    let calls = 0;
    const failing = createLogIndexer(db, log, (rows, links, accepted) => {
      if (++calls === 2) throw new Error('disk full');
      return insert(rows, links, accepted);
    });
    expect(() => failing.step()).toThrow('disk full');
    expect(rawCount(db)).toBe(0);
    expect(failing.progress()).toBe(0);
    const indexer = createLogIndexer(db, log, insert);
    expect(indexer.step()).toEqual({ progress: 2, indexed: 6 });
    expect(rawCount(db)).toBe(6);
    expect(indexer.step()).toEqual({ progress: 2, indexed: 0 });
    db.close();
    log.close();
  });

  it('tells indexed ids from new ones per write key within one group, repeats and odd ids included', () => {
    const { db, log } = openLogged();
    const appender = createLogAppender(log, db);
    const append = (rows: ReturnType<typeof ids>) => [...appendRows(appender, rows).outcomes];
    const other = { writeKey: 'wk_other' };
    // Ids a JSON array must escape, a NUL, a lone surrogate, one that reads as a number.
    const odd = ['q"\\uote', 'nul\u0000id', 'half\ud800', '42'];
    expect(append([...odd.map((id) => storedEvent(id)), storedEvent('shared')])).toEqual([1, 1, 1, 1, 1]);
    const indexer = createLogIndexer(db, log, createEventInserter(db));
    while (indexer.step().indexed > 0);
    // Indexed now: only the events table answers for them.
    expect(
      append([
        ...odd.map((id) => storedEvent(id)),
        storedEvent('shared', other), // the same id under another key is another event
        storedEvent('shared'),
        storedEvent('shared'),
        storedEvent('new'),
        storedEvent('new'),
        storedEvent('42', other),
      ]),
    ).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 1]);
    while (indexer.step().indexed > 0);
    expect(rawCount(db)).toBe(8);
    db.close();
    log.close();
  });

  it('commits a large group as several entries in one transaction, each small enough to stay out of V8 large-object pages', () => {
    const { db, log } = openLogged();
    const appender = createLogAppender(log, db);
    // ~1 KB payloads: 300 of them are ~5 entries. Every 7th row links its visitor to a user.
    const big = 'x'.repeat(1000);
    const rows = Array.from({ length: 300 }, (_, i) =>
      storedEvent(`big-${i}`, i % 7 === 0 ? { userId: `user-${i}` } : {}),
    ).map((row) => ({ ...row, payload: { ...row.payload, properties: { big } } }));
    const encoded = encodeRows(rows);
    expect(encoded.texts.length).toBeGreaterThan(3);
    for (const text of encoded.texts) expect(text.length).toBeLessThanOrEqual(MAX_ENTRY_CHARS);
    expect(encoded.ids.flat()).toEqual(rows.flatMap((row) => [row.writeKey, row.messageId]));
    // A repeat of a row of the first entry, sent again in the group's last one, is a duplicate.
    const repeated = [...rows, rows[3]!, storedEvent('tail')];
    const first = appendRows(appender, repeated);
    expect([...first.outcomes]).toEqual([...Array(300).fill(1), 0, 1]);
    const entries = log.prepare('SELECT id, length(outcomes) AS n FROM ingest_log ORDER BY id').all() as {
      id: number;
      n: number;
    }[];
    expect(entries.length).toBe(encodeRows(repeated).texts.length);
    expect(entries.reduce((n, entry) => n + entry.n, 0)).toBe(302);
    expect(first.logId).toBe(entries.at(-1)!.id);
    // The same group again: every row a duplicate, and no entry added for the indexer to skip.
    expect([...appendRows(appender, repeated).outcomes]).toEqual(Array(302).fill(0));
    expect(log.prepare('SELECT count(*) FROM ingest_log').pluck().get()).toBe(entries.length);

    const indexer = createLogIndexer(db, log, createEventInserter(db));
    while (indexer.step().indexed > 0);
    expect(rawCount(db)).toBe(301);
    const stored = db.prepare("SELECT payload FROM events WHERE message_id = 'big-299'").pluck().get() as string;
    expect(JSON.parse(stored).properties.big).toBe(big);
    // Each link names its own row's ids, whichever entry the row landed in.
    const links = db.prepare('SELECT anonymous_id, user_id FROM identity_links ORDER BY user_id').all();
    const expected = rows
      .filter((row) => row.userId !== null)
      .map((row) => ({ anonymous_id: row.anonymousId, user_id: row.userId }))
      .sort((a, b) => (a.user_id! < b.user_id! ? -1 : 1));
    expect(links).toEqual(expected);
    db.close();
    log.close();
  });

  it('answers a retry of an event indexed long ago, its log entry gone, as a duplicate', async () => {
    const path = freshPath();
    const store = createSqliteStore({ path, indexerThread: false });
    const rows = ids('e', 4);
    await store.insertEvents(rows);
    expect(logEntries(path)).toBe(1);
    expect(await store.countEvents()).toBe(4); // indexed
    store.pruneIndexed();
    expect(logEntries(path)).toBe(0);
    expect(await store.insertEvents([rows[2]!, storedEvent('e-new')])).toEqual(['duplicate', 'inserted']);
    expect(await store.countEvents()).toBe(5);
    await store.close();
  });

  it('acknowledges a large group through the writer thread as several entries, and a retry of it as duplicates', async () => {
    const path = freshPath();
    const store = createSqliteStore({ path, indexerThread: false });
    const big = 'é'.repeat(600); // two-byte text: the entries are cut by UTF-16 units, not bytes
    const rows = ids('w', 300).map((row) => ({ ...row, payload: { ...row.payload, properties: { big } } }));
    expect(await store.insertEvents(rows)).toEqual(Array(300).fill('inserted'));
    expect(logEntries(path)).toBeGreaterThan(2);
    expect(store.pendingIndexRows).toBe(300);
    expect(await store.insertEvents([...rows.slice(290), storedEvent('w-new')])).toEqual([
      ...Array(10).fill('duplicate'),
      'inserted',
    ]);
    await store.close();
    const again = createSqliteStore({ path, indexerThread: false });
    expect(await again.countEvents()).toBe(301);
    const payload = again.db.prepare("SELECT payload FROM events WHERE message_id = 'w-299'").pluck().get() as string;
    expect(JSON.parse(payload).properties.big).toBe(big);
    await again.close();
  });

  it('deletes the log entries of erased events at once', async () => {
    const path = freshPath();
    const store = createSqliteStore({ path, indexerThread: false });
    await store.insertEvents([storedEvent('f-1', { anonymousId: 'leaving' }), storedEvent('f-2')]);
    expect(logEntries(path)).toBe(1);
    await store.deleteEventsForIds(['leaving']);
    expect(logEntries(path)).toBe(0);
    await store.close();
  });

  it('keeps the message ids of a database written before the log existed', async () => {
    const path = freshPath();
    const before = createSqliteStore({ path, writer: 'inline' });
    await before.insertEvents([storedEvent('g-1')]);
    await before.close();
    const after = createSqliteStore({ path, indexerThread: false });
    expect(await after.insertEvents([storedEvent('g-1'), storedEvent('g-2')])).toEqual(['duplicate', 'inserted']);
    expect(await after.countEvents()).toBe(2);
    await after.close();
  });

  it('refuses with a backlog error once more rows wait for indexing than allowed, and accepts again after', async () => {
    const store = createSqliteStore({ path: freshPath(), indexerThread: false, maxPendingRows: 30 });
    await store.insertEvents(ids('h1', 20));
    await expect(store.insertEvents(ids('h2', 20))).rejects.toBeInstanceOf(BacklogFullError);
    expect(await store.countEvents()).toBe(20); // a reader catches up
    await expect(store.insertEvents(ids('h2', 20))).resolves.toHaveLength(20);
    await store.close();
  });

  it('fills the events table from its own thread, without a reader, and prunes the log behind it', async () => {
    const path = freshPath();
    const store = createSqliteStore({ path });
    for (let i = 0; i < 5; i++) await store.insertEvents(ids(`i${i}`, 10));
    const deadline = Date.now() + 10_000;
    while (rawCount(store.db) < 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(rawCount(store.db)).toBe(50);
    // Indexed entries are deleted with the writer's next commit.
    await store.insertEvents([storedEvent('i-last')]);
    expect(logEntries(path)).toBeLessThanOrEqual(1);
    await store.close();
    expect(logEntries(path)).toBeLessThanOrEqual(1);
  });

  it.runIf(process.platform === 'linux')(
    'runs the indexer thread at a lower CPU priority than the rest of the process',
    async () => {
      const store = createSqliteStore({ path: freshPath(), indexerNice: 7 });
      await store.insertEvents(ids('j', 2));
      const nice = (task: string) =>
        Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
      // The thread lowers its own priority as it starts, which may be just after the first commit.
      const deadline = Date.now() + 5000;
      let values = readdirSync('/proc/self/task').map(nice);
      while (!values.includes(7) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        values = readdirSync('/proc/self/task').map(nice);
      }
      expect(values).toContain(7);
      expect(nice(String(process.pid))).toBe(0);
      await store.close();
    },
  );
});
