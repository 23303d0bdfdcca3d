import type { LoupeEvent } from '@loupe/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, IdentityLink, QuarantinedPayload, ScanOptions, Store, StoredEvent } from './types.js';

/** Makes an empty store for one test; the suite closes it afterwards. */
export type StoreFactory = () => Promise<Store>;

const WK = 'wk_contract';

/** A stored track event; `overrides` win, `payload` follows the ids unless given. */
export function storedEvent(messageId: string, overrides: Partial<StoredEvent> = {}): StoredEvent {
  const base: StoredEvent = {
    writeKey: WK,
    messageId,
    type: 'track',
    anonymousId: `anon-${messageId}`,
    userId: null,
    name: 'Product Viewed',
    timestamp: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:01.000Z',
    sessionId: null,
    ip: null,
    isBot: false,
    payload: { type: 'track', messageId, event: 'Product Viewed' },
  };
  const row = { ...base, ...overrides };
  if (overrides.payload) return row;
  const payload: Record<string, unknown> = { ...row.payload, messageId, type: row.type };
  if (row.anonymousId !== null) payload.anonymousId = row.anonymousId;
  if (row.userId !== null) payload.userId = row.userId;
  return { ...row, payload: payload as unknown as LoupeEvent };
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function scanIds(store: Store, options?: ScanOptions): Promise<string[]> {
  return (await collect(store.scanEvents(options))).flat().map((e) => e.messageId);
}

/**
 * The behavior every `Store` adapter owes the collector and the segmenter. Run it once per
 * adapter with a factory that makes an empty store, e.g. in `sqlite.contract.test.ts`:
 *
 * @example
 * describeStore('SQLite store', async () => createSqliteStore({ path: join(dir, `${n++}.db`) }));
 */
export function describeStore(name: string, factory: StoreFactory): void {
  describe(name, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('insertEvents', () => {
      it('answers an empty call with no outcomes', async () => {
        expect(await store.insertEvents([])).toEqual([]);
      });

      it('stores an event once and answers its retry as a duplicate', async () => {
        expect(await store.insertEvents([storedEvent('m1')])).toEqual(['inserted']);
        expect(await store.insertEvents([storedEvent('m1', { name: 'changed on retry' })])).toEqual(['duplicate']);
        expect(await store.countEvents()).toBe(1);
        const [stored] = await store.eventsForIds(['anon-m1']);
        expect(stored?.name).toBe('Product Viewed');
      });

      it('keeps the same messageId under two write keys as two events', async () => {
        const outcomes = await store.insertEvents([storedEvent('m1'), storedEvent('m1', { writeKey: 'wk_other' })]);
        expect(outcomes).toEqual(['inserted', 'inserted']);
        expect(await store.countEvents(WK)).toBe(1);
        expect(await store.countEvents('wk_other')).toBe(1);
        expect(await store.countEvents()).toBe(2);
      });

      it('answers one outcome per row in order, the first of in-call duplicates winning', async () => {
        await store.insertEvents([storedEvent('old')]);
        const outcomes = await store.insertEvents([
          storedEvent('a', { name: 'first' }),
          storedEvent('old'),
          storedEvent('b'),
          storedEvent('a', { name: 'second' }),
          storedEvent('c'),
          storedEvent('old'),
          storedEvent('b'),
        ]);
        expect(outcomes).toEqual([
          'inserted',
          'duplicate',
          'inserted',
          'duplicate',
          'inserted',
          'duplicate',
          'duplicate',
        ]);
        expect(await store.countEvents()).toBe(4);
        const [a] = await store.eventsForIds(['anon-a']);
        expect(a?.name).toBe('first');
      });

      it('round-trips every column and the payload', async () => {
        const row = storedEvent('full', {
          type: 'page',
          anonymousId: 'anon-full',
          userId: 'user-full',
          name: 'Home',
          timestamp: '2026-02-03T04:05:06.789Z',
          receivedAt: '2026-02-03T04:05:07.000Z',
          sessionId: 's-1',
          ip: '203.0.113.0',
          isBot: true,
          payload: {
            type: 'page',
            messageId: 'full',
            anonymousId: 'anon-full',
            userId: 'user-full',
            name: 'Home',
            properties: { price: 12.5, tags: ['a', 'b'], nested: { ok: true, none: null }, quote: `'"\\`, emoji: '🧪' },
          },
        });
        await store.insertEvents([row]);
        expect(await store.eventsForIds(['anon-full'])).toEqual([row]);
      });

      it('stores payload strings that are not valid Unicode and times outside the usual range', async () => {
        // Unpaired surrogates survive JSON.stringify as escapes; year 0000 comes from skewed client clocks.
        const row = storedEvent('odd', {
          timestamp: '0000-01-01T00:00:00.000Z',
          payload: {
            type: 'track',
            messageId: 'odd',
            anonymousId: 'anon-odd',
            event: 'x',
            properties: { lone: '\ud800', pair: '\ud83e\uddea' },
          },
        });
        expect(await store.insertEvents([row])).toEqual(['inserted']);
        expect(await store.eventsForIds(['anon-odd'])).toEqual([row]);
      });

      it('commits a large call whole', async () => {
        const rows = Array.from({ length: 2500 }, (_, i) =>
          storedEvent(`bulk-${i}`, { anonymousId: `anon-${i % 10}` }),
        );
        const outcomes = await store.insertEvents(rows);
        expect(outcomes).toHaveLength(2500);
        expect(outcomes.every((o) => o === 'inserted')).toBe(true);
        expect(await store.countEvents()).toBe(2500);
      });

      it('stores each event once when concurrent calls carry the same events', async () => {
        const rows = Array.from({ length: 50 }, (_, i) => storedEvent(`race-${i}`));
        const answers = await Promise.all(Array.from({ length: 4 }, () => store.insertEvents(rows)));
        for (let i = 0; i < rows.length; i++) {
          expect(answers.filter((outcomes) => outcomes[i] === 'inserted')).toHaveLength(1);
        }
        expect(await store.countEvents()).toBe(50);
      });
    });

    describe('scanEvents', () => {
      beforeEach(async () => {
        // Inserted out of time order; m3 and m3b share a timestamp (insertion order breaks the tie).
        await store.insertEvents([
          storedEvent('m3', { timestamp: at(3) }),
          storedEvent('m1', { timestamp: at(1), receivedAt: at(10) }),
          storedEvent('m5', { timestamp: at(5), writeKey: 'wk_other' }),
          storedEvent('m3b', { timestamp: at(3) }),
          storedEvent('m2', { timestamp: at(2), isBot: true }),
          storedEvent('m4', { timestamp: at(4) }),
        ]);
      });

      it('yields every event in timestamp order, ties in insertion order', async () => {
        expect(await scanIds(store)).toEqual(['m1', 'm2', 'm3', 'm3b', 'm4', 'm5']);
      });

      it('yields pages of at most pageSize without an empty last page', async () => {
        const pages = await collect(store.scanEvents({ pageSize: 2 }));
        expect(pages.map((p) => p.map((e) => e.messageId))).toEqual([
          ['m1', 'm2'],
          ['m3', 'm3b'],
          ['m4', 'm5'],
        ]);
        const uneven = await collect(store.scanEvents({ pageSize: 4 }));
        expect(uneven.map((p) => p.length)).toEqual([4, 2]);
      });

      it('pages correctly across a tie on the page boundary', async () => {
        expect((await collect(store.scanEvents({ pageSize: 3 }))).flat().map((e) => e.messageId)).toEqual([
          'm1',
          'm2',
          'm3',
          'm3b',
          'm4',
          'm5',
        ]);
      });

      it('filters by since (inclusive), write key and bot flag', async () => {
        expect(await scanIds(store, { since: at(3) })).toEqual(['m3', 'm3b', 'm4', 'm5']);
        expect(await scanIds(store, { writeKey: 'wk_other' })).toEqual(['m5']);
        expect(await scanIds(store, { excludeBots: true })).toEqual(['m1', 'm3', 'm3b', 'm4', 'm5']);
        expect(await scanIds(store, { since: at(2), writeKey: WK, excludeBots: true, pageSize: 1 })).toEqual([
          'm3',
          'm3b',
          'm4',
        ]);
      });

      it('yields nothing for an empty store or a key with no events', async () => {
        expect(await collect(store.scanEvents({ writeKey: 'wk_none' }))).toEqual([]);
      });
    });

    describe('per-user reads and erasure', () => {
      beforeEach(async () => {
        await store.insertEvents([
          storedEvent('e2', { anonymousId: 'a1', userId: 'u1', timestamp: at(2) }),
          storedEvent('e1', { anonymousId: 'a1', timestamp: at(1) }),
          storedEvent('e3', { anonymousId: 'a2', userId: 'u1', timestamp: at(3) }),
          storedEvent('e4', { anonymousId: 'a3', timestamp: at(4) }),
        ]);
      });

      it('finds every event by anonymous or user id, once each, in time order', async () => {
        expect((await store.eventsForIds(['a1', 'u1'])).map((e) => e.messageId)).toEqual(['e1', 'e2', 'e3']);
        expect((await store.eventsForIds(['a3'])).map((e) => e.messageId)).toEqual(['e4']);
        expect(await store.eventsForIds([])).toEqual([]);
        expect(await store.eventsForIds(['nobody'])).toEqual([]);
      });

      it('deletes the events of the given ids and counts them', async () => {
        expect(await store.deleteEventsForIds(['u1'])).toBe(2);
        expect(await scanIds(store)).toEqual(['e1', 'e4']);
        expect(await store.deleteEventsForIds([])).toBe(0);
      });

      it("purges only the key's events received before the date", async () => {
        await store.insertEvents([
          storedEvent('new', { receivedAt: at(30) }),
          storedEvent('other-key', { writeKey: 'wk_other', receivedAt: at(0) }),
        ]);
        expect(await store.purgeEventsBefore(WK, at(30))).toBe(4);
        expect(await scanIds(store)).toEqual(['new', 'other-key']);
      });

      it('answers ids that cannot be stored (NUL) with nothing instead of an error', async () => {
        expect(await store.eventsForIds(['a1\u0000'])).toEqual([]);
        expect(await store.deleteEventsForIds(['a1\u0000'])).toBe(0);
        expect(await store.linkedIds('a1\u0000')).toEqual(['a1\u0000']);
        expect(await store.getKey('wk_\u0000')).toBeNull();
        expect(await store.countEvents('wk_\u0000')).toBe(0);
        expect(await collect(store.scanEvents({ writeKey: 'wk_\u0000' }))).toEqual([]);
      });
    });

    describe('identity links', () => {
      async function allLinks(): Promise<IdentityLink[]> {
        return (await collect(store.identityLinks())).flat();
      }

      it('links an anonymous id to a user id from any event carrying both, once', async () => {
        await store.insertEvents([
          storedEvent('i1', { type: 'identify', anonymousId: 'a1', userId: 'u1', name: null, timestamp: at(1) }),
          storedEvent('t1', { anonymousId: 'a1', userId: 'u1', timestamp: at(2) }),
          storedEvent('t2', { anonymousId: 'a2', timestamp: at(3) }),
        ]);
        expect(await allLinks()).toEqual([{ anonymousId: 'a1', userId: 'u1', at: at(1) }]);
      });

      it("links an alias's previous id to the new user id", async () => {
        await store.insertEvents([
          storedEvent('al', {
            type: 'alias',
            anonymousId: null,
            userId: 'u2',
            name: null,
            timestamp: at(5),
            payload: { type: 'alias', messageId: 'al', userId: 'u2', previousId: 'u1' },
          }),
        ]);
        expect(await allLinks()).toEqual([{ anonymousId: 'u1', userId: 'u2', at: at(5) }]);
      });

      it('adds no link for a duplicate event', async () => {
        await store.insertEvents([storedEvent('t1', { anonymousId: 'a1' })]);
        await store.insertEvents([storedEvent('t1', { anonymousId: 'a1', userId: 'u9' })]);
        expect(await allLinks()).toEqual([]);
      });

      it('walks links transitively in both directions, across devices and aliases', async () => {
        await store.insertEvents([
          storedEvent('1', { anonymousId: 'phone', userId: 'alice' }),
          storedEvent('2', { anonymousId: 'laptop', userId: 'alice' }),
          storedEvent('3', {
            type: 'alias',
            anonymousId: null,
            userId: 'alice@new',
            payload: { type: 'alias', messageId: '3', userId: 'alice@new', previousId: 'alice' },
          }),
          storedEvent('4', { anonymousId: 'tablet', userId: 'alice@new' }),
          storedEvent('5', { anonymousId: 'other-phone', userId: 'bob' }),
          // A cycle must not loop.
          storedEvent('6', { anonymousId: 'alice', userId: 'phone' }),
        ]);
        const alice = ['alice', 'alice@new', 'laptop', 'phone', 'tablet'];
        for (const id of alice) expect((await store.linkedIds(id)).sort()).toEqual(alice);
        expect((await store.linkedIds('bob')).sort()).toEqual(['bob', 'other-phone']);
        expect(await store.linkedIds('stranger')).toEqual(['stranger']);
        expect((await store.linkedIds('tablet'))[0]).toBe('tablet');
      });

      it('lists every link in (anonymousId, userId) order', async () => {
        const rows = Array.from({ length: 25 }, (_, i) =>
          storedEvent(`l${i}`, { anonymousId: `a${String(i).padStart(2, '0')}`, userId: `u${i % 3}` }),
        );
        await store.insertEvents(rows);
        const links = await allLinks();
        expect(links).toHaveLength(25);
        expect(links.map((l) => l.anonymousId)).toEqual(rows.map((r) => r.anonymousId));
      });

      it('deletes the links touching the given ids', async () => {
        await store.insertEvents([
          storedEvent('1', { anonymousId: 'a1', userId: 'u1' }),
          storedEvent('2', { anonymousId: 'a2', userId: 'u1' }),
          storedEvent('3', { anonymousId: 'a3', userId: 'u3' }),
        ]);
        expect(await store.deleteLinksForIds(['u1'])).toBe(2);
        expect((await allLinks()).map((l) => l.anonymousId)).toEqual(['a3']);
        expect(await store.deleteLinksForIds([])).toBe(0);
      });
    });

    describe('keys', () => {
      it('creates a random wk_ key with defaults', async () => {
        const key = await store.createKey({ origins: ['https://shop.example'] });
        expect(key.key).toMatch(/^wk_[A-Za-z0-9_-]{24}$/);
        expect(key).toMatchObject({ name: null, origins: ['https://shop.example'], requireConsent: false });
        expect(key.retentionDays).toBeGreaterThan(0);
        expect(Number.isNaN(Date.parse(key.createdAt))).toBe(false);
        expect(await store.getKey(key.key)).toEqual(key);
      });

      it('upserts a given key, keeping its creation time', async () => {
        const first = await store.createKey({ key: 'wk_demo', origins: ['*'], name: 'demo' });
        const second = await store.createKey({
          key: 'wk_demo',
          origins: ['https://a.example', 'https://b.example'],
          requireConsent: true,
          retentionDays: 30,
        });
        expect(second).toEqual({
          key: 'wk_demo',
          name: null,
          origins: ['https://a.example', 'https://b.example'],
          requireConsent: true,
          retentionDays: 30,
          createdAt: first.createdAt,
        });
        expect(await store.listKeys()).toEqual([second]);
      });

      it('answers an unknown key with null and lists keys oldest first', async () => {
        expect(await store.getKey('wk_unknown')).toBeNull();
        const a = await store.createKey({ key: 'wk_a', origins: [] });
        await new Promise((resolve) => setTimeout(resolve, 5));
        const b = await store.createKey({ key: 'wk_b', origins: ['*'] });
        expect((await store.listKeys()).map((k) => k.key)).toEqual([a.key, b.key]);
      });
    });

    describe('quarantine', () => {
      const payload = (minute: number, raw: string): QuarantinedPayload => ({
        writeKey: WK,
        reason: 'invalid: expected string',
        path: 'event',
        raw,
        receivedAt: at(minute),
      });

      it('keeps rejected payloads, counts them and purges the old ones', async () => {
        await store.quarantine([
          payload(1, '{"event":1}'),
          payload(2, 'not json'),
          { ...payload(3, '[]'), writeKey: null },
        ]);
        await store.quarantine([]);
        expect(await store.countQuarantine()).toBe(3);
        expect(await store.purgeQuarantineBefore(at(3))).toBe(2);
        expect(await store.countQuarantine()).toBe(1);
      });

      it('keeps a payload whose text holds a NUL character', async () => {
        await store.quarantine([{ ...payload(1, '{"a":"\u0000"}'), path: 'properties.\u0000' }]);
        expect(await store.countQuarantine()).toBe(1);
      });
    });

    describe('audit log', () => {
      it('lists entries newest first, with and without detail, up to a limit', async () => {
        const entries: AuditEntry[] = [
          { at: at(1), actor: 'admin', action: 'user.export', subject: 'u1', detail: { events: 3, linkedIds: 2 } },
          { at: at(2), actor: 'admin', action: 'user.erase', subject: 'u1' },
          { at: at(3), actor: 'ops', action: 'user.export', subject: 'u2', detail: { nested: { ok: true } } },
        ];
        for (const entry of entries) await store.appendAudit(entry);
        expect(await store.listAudit()).toEqual([...entries].reverse());
        expect(await store.listAudit(2)).toEqual([entries[2], entries[1]]);
      });

      it('records a subject that holds a NUL character', async () => {
        await store.appendAudit({ at: at(1), actor: 'admin', action: 'user.export', subject: 'a\u0000b' });
        const [entry] = await store.listAudit();
        expect(entry?.subject).toMatch(/^a.+b$/);
      });
    });

    it('closes more than once without error', async () => {
      await store.close();
      await store.close();
    });
  });
}
