import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { storedEvent } from '../contract.js';
import { BLOCK_KEYS, candidateRanges, hashId } from './id-filter.js';
import { createSqliteStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-id-filter-'));
let n = 0;
const freshPath = () => join(dir, `${++n}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * What the lookup must answer: the query the two indexes served, over every row. In SQL, not in
 * JavaScript: SQLite compares the stored bytes, and an id that is not valid Unicode reads back changed.
 */
function byScan(db: Database.Database, ids: readonly string[]): string[] {
  const list = ids.map(() => '?').join(',');
  return db
    .prepare(
      `SELECT message_id FROM events NOT INDEXED WHERE anonymous_id IN (${list}) OR user_id IN (${list}) ORDER BY ts, id`,
    )
    .pluck()
    .all(...ids, ...ids) as string[];
}

const blocks = (db: Database.Database) => db.prepare('SELECT count(*) FROM events_id_filters').pluck().get() as number;
const dd = (day: number) => String(day + 1).padStart(2, '0');
const at = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();

/**
 * The events table keeps no B-tree on anonymous_id or user_id: a person's events are found through
 * Bloom filters over spans of row ids (id-filter.js, schema.ts migration 4). A miss would leave an
 * event out of an export or, worse, an erasure, so every test compares against a full scan.
 */
describe('SQLite per-person lookups through id filters', () => {
  it('finds every event of an id across many filter blocks, and none of others', async () => {
    const store = createSqliteStore({ path: freshPath(), writer: 'inline' });
    // Three blocks' worth of distinct visitors, and a few people seen throughout.
    const rows = Array.from({ length: 3 * BLOCK_KEYS }, (_, i) =>
      storedEvent(`m${i}`, {
        anonymousId: i % 1000 === 7 ? 'regular' : `visitor-${i}`,
        userId: i % 1500 === 3 ? 'user-42' : null,
        timestamp: at(3 * BLOCK_KEYS - i), // stored in the reverse of time order
      }),
    );
    for (let i = 0; i < rows.length; i += 500) await store.insertEvents(rows.slice(i, i + 500));
    expect(blocks(store.db)).toBeGreaterThanOrEqual(3);

    for (const ids of [
      ['regular'],
      ['user-42'],
      ['regular', 'user-42'],
      ['visitor-5'],
      ['visitor-12000'],
      ['nobody'],
    ]) {
      expect((await store.eventsForIds(ids)).map((e) => e.messageId)).toEqual(byScan(store.db, ids));
    }
    expect((await store.eventsForIds(['regular'])).length).toBe(13);
    expect(candidateRanges(store.db, ['nobody'])).toEqual([]);
    await store.close();
  });

  it('exports and erases an id with more events than a function call takes arguments', async () => {
    const store = createSqliteStore({ path: freshPath(), writer: 'inline' });
    const count = 150_000; // one server-side id, all in one span: past V8's ~120,000 spread arguments
    for (let i = 0; i < count; i += 1000) {
      await store.insertEvents(
        Array.from({ length: 1000 }, (_, k) => storedEvent(`busy-${i + k}`, { anonymousId: 'backend-job' })),
      );
    }
    expect((await store.eventsForIds(['backend-job'])).length).toBe(count);
    expect(await store.deleteEventsForIds(['backend-job'])).toBe(count);
    expect(candidateRanges(store.db, ['backend-job'])).toEqual([]);
    await store.close();
  }, 60_000);

  it('after an erasure no filter still answers for the erased ids', async () => {
    const store = createSqliteStore({ path: freshPath(), writer: 'inline' });
    await store.insertEvents([
      storedEvent('a', { anonymousId: 'erase-me', userId: 'erase-me-too' }),
      storedEvent('b', { anonymousId: 'keep-me' }),
      storedEvent('c', { anonymousId: 'erase-me' }),
    ]);
    expect(candidateRanges(store.db, ['erase-me'])).toHaveLength(1);
    expect(await store.deleteEventsForIds(['erase-me', 'erase-me-too'])).toBe(2);
    expect(candidateRanges(store.db, ['erase-me'])).toEqual([]);
    expect(candidateRanges(store.db, ['erase-me-too'])).toEqual([]);
    expect((await store.eventsForIds(['keep-me'])).map((e) => e.messageId)).toEqual(['b']);
    // Erasing the last events of a span drops its filter.
    await store.deleteEventsForIds(['keep-me']);
    expect(blocks(store.db)).toBe(0);
    await store.close();
  });

  it('retention takes the purged ids out of the filters', async () => {
    const store = createSqliteStore({ path: freshPath(), writer: 'inline' });
    await store.insertEvents([
      storedEvent('old', { anonymousId: 'gone', receivedAt: '2026-11-01T00:00:00.000Z' }),
      storedEvent('new', { anonymousId: 'stays', receivedAt: '2026-11-20T00:00:00.000Z' }),
    ]);
    expect(await store.purgeEventsBefore('wk_contract', '2026-11-10T00:00:00.000Z')).toBe(1);
    expect(candidateRanges(store.db, ['gone'])).toEqual([]);
    expect((await store.eventsForIds(['stays'])).map((e) => e.messageId)).toEqual(['new']);
    await store.close();
  });

  it('an id that is not valid Unicode is found as sent, also from filters rebuilt out of stored rows', async () => {
    const store = createSqliteStore({ path: freshPath(), writer: 'inline' });
    const odd = 'odd-\ud800-id';
    await store.insertEvents([
      storedEvent('x', { anonymousId: odd }),
      storedEvent('y', { anonymousId: odd }),
      storedEvent('z', { anonymousId: 'neighbour' }),
    ]);
    expect((await store.eventsForIds([odd])).map((e) => e.messageId)).toEqual(['x', 'y']);
    // The erasure of the neighbour rebuilds the span's filter from what SQLite hands back.
    await store.deleteEventsForIds(['neighbour']);
    expect((await store.eventsForIds([odd])).map((e) => e.messageId)).toEqual(['x', 'y']);
    expect(await store.deleteEventsForIds([odd])).toBe(2);
    await store.close();
  });

  it('hashes any id alike as sent and as SQLite hands it back (property)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE ids (id TEXT)');
    const insert = db.prepare('INSERT INTO ids VALUES (?)');
    const back = db.prepare('SELECT id, json_group_array(id) FROM ids WHERE rowid = ?').raw();
    // Any code point, and lone surrogates, U+FFFD and NUL often.
    const character = fc.oneof(
      fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ufffd', '\u0000'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit: character }), (id) => {
        const rowid = insert.run(id).lastInsertRowid;
        const [read, asJson] = back.get(rowid) as [string, string];
        // Read back as a value (exports) and through JSON (filter rebuilds): the same bits either way.
        expect(hashId(read)).toEqual(hashId(id));
        expect(hashId((JSON.parse(asJson) as string[])[0] as string)).toEqual(hashId(id));
      }),
      { numRuns: 500 },
    );
    db.close();
  });

  it('migrates a database that had the two indexes: filters are built from its events', async () => {
    const path = freshPath();
    const before = createSqliteStore({ path, writer: 'inline' });
    const rows = Array.from({ length: BLOCK_KEYS + 10 }, (_, i) =>
      storedEvent(`m${i}`, { anonymousId: `v${i}`, userId: i % 97 === 0 ? `u${i % 5}` : null }),
    );
    await before.insertEvents(rows.slice(0, 2000));
    await before.insertEvents(rows.slice(2000));
    await before.close();
    // Back to schema version 3, as a database written before migration 4 is.
    const db = new Database(path);
    db.exec(`DROP TABLE events_id_filters;
      CREATE INDEX events_anonymous_id ON events (anonymous_id) WHERE anonymous_id IS NOT NULL;
      CREATE INDEX events_user_id ON events (user_id) WHERE user_id IS NOT NULL;
      PRAGMA user_version = 3;`);
    db.close();

    const store = createSqliteStore({ path, writer: 'inline' });
    const indexes = store.db
      .prepare("SELECT name FROM sqlite_schema WHERE name IN ('events_anonymous_id', 'events_user_id')")
      .all();
    expect(indexes).toEqual([]);
    expect(blocks(store.db)).toBe(2);
    for (const ids of [['v7'], ['u0'], ['u3', 'v4100'], ['v0']]) {
      expect((await store.eventsForIds(ids)).map((e) => e.messageId)).toEqual(byScan(store.db, ids));
    }
    const expected = byScan(store.db, ['u0']).length;
    expect(expected).toBeGreaterThan(0);
    expect(await store.deleteEventsForIds(['u0'])).toBe(expected);
    expect(byScan(store.db, ['u0'])).toEqual([]);
    await store.close();
  });

  it('agrees with a full scan through any mix of inserts, erasures and purges (property)', async () => {
    const people = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', '\udc00p6', 'p7'];
    const person = fc.constantFrom(...people);
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('insert' as const),
        events: fc.array(fc.record({ anonymousId: fc.option(person), userId: fc.option(person), day: fc.nat(9) }), {
          minLength: 1,
          maxLength: 30,
        }),
      }),
      fc.record({ kind: fc.constant('erase' as const), ids: fc.array(person, { minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('purge' as const), day: fc.nat(9) }),
    );
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.subarray(people, { minLength: 1 }),
        async (steps, asked) => {
          const store = createSqliteStore({ path: freshPath(), indexerThread: false });
          try {
            for (const s of steps) {
              if (s.kind === 'insert') {
                await store.insertEvents(
                  s.events.map((e) =>
                    storedEvent(`e${++seq}`, {
                      anonymousId: e.anonymousId,
                      userId: e.userId,
                      receivedAt: `2026-11-${dd(e.day)}T12:00:00.000Z`,
                    }),
                  ),
                );
              } else if (s.kind === 'erase') {
                store.catchUp();
                const expected = byScan(store.db, s.ids).length;
                expect(await store.deleteEventsForIds(s.ids)).toBe(expected);
              } else {
                await store.purgeEventsBefore('wk_contract', `2026-11-${dd(s.day)}T00:00:00.000Z`);
              }
            }
            const found = (await store.eventsForIds(asked)).map((e) => e.messageId);
            expect(found).toEqual(byScan(store.db, asked));
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
