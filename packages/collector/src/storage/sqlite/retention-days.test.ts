import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { storedEvent } from '../contract.js';
import { createSqliteStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-retention-days-'));
let n = 0;
const freshPath = () => join(dir, `${++n}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const day = (d: number, hour = 12) => new Date(Date.UTC(2026, 10, d, hour)).toISOString();
const left = (db: Database.Database) =>
  (db.prepare('SELECT message_id FROM events ORDER BY message_id').pluck().all() as string[]).join(' ');
const spans = (db: Database.Database) =>
  db.prepare('SELECT write_key, day, min_id, max_id FROM events_received_days ORDER BY write_key, day').all();

/**
 * The events table has no index on (write_key, received_at): retention finds a key's old events
 * through the span of row ids each day of receipt occupies (schema.ts, migration 3).
 */
describe('SQLite retention by days of receipt', () => {
  it('purges exactly what was received before the date, whatever order the events came in', async () => {
    const store = createSqliteStore({ path: freshPath(), indexerThread: false });
    // Out of receipt order, two keys interleaved, a day boundary inside one group.
    await store.insertEvents([
      storedEvent('d5-a', { receivedAt: day(5) }),
      storedEvent('d1-a', { receivedAt: day(1) }),
      storedEvent('other-d1', { writeKey: 'wk_other', receivedAt: day(1) }),
      storedEvent('d3-early', { receivedAt: day(3, 1) }),
    ]);
    await store.insertEvents([
      storedEvent('d3-late', { receivedAt: day(3, 23) }),
      storedEvent('d1-b', { receivedAt: day(1) }),
      storedEvent('d5-b', { receivedAt: day(5) }),
    ]);
    // Mid-day 3: day 1 and the early part of day 3 go; the other key's day 1 stays.
    expect(await store.purgeEventsBefore('wk_contract', day(3, 12))).toBe(3);
    expect(left(store.db)).toBe('d3-late d5-a d5-b other-d1');
    // The days wholly before the date are forgotten with their events; the date's own day stays.
    expect(spans(store.db)).toEqual([
      { write_key: 'wk_contract', day: '2026-11-03', min_id: 4, max_id: 5 },
      { write_key: 'wk_contract', day: '2026-11-05', min_id: 1, max_id: 7 },
      { write_key: 'wk_other', day: '2026-11-01', min_id: 3, max_id: 3 },
    ]);
    expect(await store.purgeEventsBefore('wk_contract', day(3, 12))).toBe(0);
    expect(await store.purgeEventsBefore('wk_contract', day(6))).toBe(3);
    expect(left(store.db)).toBe('other-d1');
    await store.close();
  });

  it('keeps the spans through an erasure and a retried duplicate', async () => {
    const store = createSqliteStore({ path: freshPath(), writer: 'inline' });
    await store.insertEvents([
      storedEvent('a', { anonymousId: 'erased', receivedAt: day(1) }),
      storedEvent('b', { receivedAt: day(1) }),
    ]);
    await store.deleteEventsForIds(['erased']);
    expect(await store.insertEvents([storedEvent('b', { receivedAt: day(9) })])).toEqual(['duplicate']);
    await store.insertEvents([storedEvent('c', { receivedAt: day(2) })]);
    expect(await store.purgeEventsBefore('wk_contract', day(2))).toBe(1);
    expect(left(store.db)).toBe('c');
    expect(spans(store.db)).toEqual([{ write_key: 'wk_contract', day: '2026-11-02', min_id: 3, max_id: 3 }]);
    await store.close();
  });

  it('migrates a database from before the spans: they are built from its events and the old index goes', async () => {
    const path = freshPath();
    const before = createSqliteStore({ path, writer: 'inline' });
    await before.insertEvents([storedEvent('old', { receivedAt: day(1) }), storedEvent('new', { receivedAt: day(4) })]);
    await before.close();
    // Back to schema version 2, as a database written before migration 3 (and 4) is.
    const db = new Database(path);
    db.exec(`DROP TABLE events_id_filters;
      CREATE INDEX events_anonymous_id ON events (anonymous_id) WHERE anonymous_id IS NOT NULL;
      CREATE INDEX events_user_id ON events (user_id) WHERE user_id IS NOT NULL;
      DROP TABLE events_received_days;
      CREATE INDEX events_key_received ON events (write_key, received_at);
      PRAGMA user_version = 2;`);
    db.close();

    const store = createSqliteStore({ path, writer: 'inline' });
    expect(spans(store.db)).toEqual([
      { write_key: 'wk_contract', day: '2026-11-01', min_id: 1, max_id: 1 },
      { write_key: 'wk_contract', day: '2026-11-04', min_id: 2, max_id: 2 },
    ]);
    expect(store.db.prepare("SELECT name FROM sqlite_schema WHERE name = 'events_key_received'").get()).toBeUndefined();
    expect(await store.purgeEventsBefore('wk_contract', day(2))).toBe(1);
    expect(left(store.db)).toBe('new');
    await store.close();
  });
});
