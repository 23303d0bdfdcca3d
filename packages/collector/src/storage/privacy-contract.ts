import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentRecordRow, PrivacyStore } from './privacy-types.js';

/** Makes an empty privacy store for one test, and closes it afterwards. */
export type PrivacyStoreFactory = () => Promise<{ store: PrivacyStore; close(): Promise<void> }>;

function row(seq: number, prevHash: string, overrides: Partial<ConsentRecordRow> = {}): ConsentRecordRow {
  return {
    seq,
    id: `rec-${seq}`,
    writeKey: 'wk_contract',
    anonymousId: `anon-${seq}`,
    subject: `subject-${seq}`,
    body: `{"seq":${seq}}`,
    prevHash,
    hash: `hash-${seq}`,
    receivedAt: `2026-01-01T00:00:0${seq}.000Z`,
    ...overrides,
  };
}

/**
 * What every `PrivacyStore` adapter must do; run it against each one (SQLite, PostgreSQL).
 *
 * @example
 * describePrivacyStore('sqlite', async () => { const s = createSqliteStore({ path: ':memory:' }); … });
 */
export function describePrivacyStore(name: string, factory: PrivacyStoreFactory): void {
  describe(`PrivacyStore contract: ${name}`, () => {
    let store: PrivacyStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await factory());
    });
    afterEach(async () => close());

    it('appends consent records only at the tip of the chain', async () => {
      expect(await store.consentChainTip()).toBeNull();
      expect(await store.appendConsentRecord(row(1, '0'))).toBe('inserted');
      expect(await store.appendConsentRecord(row(3, 'hash-1'))).toBe('conflict');
      expect(await store.appendConsentRecord(row(2, 'not-the-tip'))).toBe('conflict');
      expect(await store.appendConsentRecord(row(2, 'hash-1'))).toBe('inserted');
      expect(await store.consentChainTip()).toEqual({ seq: 2, hash: 'hash-2' });
    });

    it('refuses a second record with the same id as a duplicate', async () => {
      await store.appendConsentRecord(row(1, '0'));
      expect(await store.appendConsentRecord(row(2, 'hash-1', { id: 'rec-1' }))).toBe('duplicate');
      expect((await store.consentRecordById('rec-1'))?.seq).toBe(1);
    });

    it('finds records by subject and the latest per key', async () => {
      await store.appendConsentRecord(row(1, '0', { subject: 's' }));
      await store.appendConsentRecord(row(2, 'hash-1', { subject: 'other' }));
      await store.appendConsentRecord(row(3, 'hash-2', { subject: 's' }));
      expect((await store.consentRecordsForSubjects(['s'])).map((r) => r.seq)).toEqual([1, 3]);
      expect((await store.latestConsentRecord('wk_contract', 's'))?.seq).toBe(3);
      expect(await store.latestConsentRecord('wk_other', 's')).toBeNull();
    });

    it('scans the chain in seq order across pages', async () => {
      for (let seq = 1; seq <= 5; seq++) await store.appendConsentRecord(row(seq, seq === 1 ? '0' : `hash-${seq - 1}`));
      const seen: number[] = [];
      for await (const page of store.scanConsentRecords(2)) seen.push(...page.map((r) => r.seq));
      expect(seen).toEqual([1, 2, 3, 4, 5]);
    });

    it('unlinks the clear-text id and keeps the record', async () => {
      await store.appendConsentRecord(row(1, '0', { subject: 's' }));
      expect(await store.unlinkConsentRecords(['s'])).toBe(1);
      const kept = await store.consentRecordById('rec-1');
      expect(kept?.anonymousId).toBeNull();
      expect(kept?.body).toBe('{"seq":1}');
    });

    it('keeps suppressed digests once', async () => {
      expect(await store.addSuppressed(['a', 'b'], '2026-01-01T00:00:00.000Z')).toBe(2);
      expect(await store.addSuppressed(['b', 'c'], '2026-01-02T00:00:00.000Z')).toBe(1);
      expect((await store.listSuppressed()).sort()).toEqual(['a', 'b', 'c']);
    });

    it('keeps per-key privacy settings', async () => {
      expect(await store.getKeyPrivacy('wk_1')).toBeNull();
      await store.setKeyPrivacy('wk_1', { cookieless: true });
      expect(await store.getKeyPrivacy('wk_1')).toEqual({ cookieless: true });
      await store.setKeyPrivacy('wk_1', { cookieless: false });
      expect(await store.getKeyPrivacy('wk_1')).toEqual({ cookieless: false });
    });

    it('keeps the first salt made for a day and deletes salts by age', async () => {
      expect(await store.dailySalt('2026-01-01', 'first', '2026-01-01T00:00:00.000Z')).toBe('first');
      expect(await store.dailySalt('2026-01-01', 'second', '2026-01-01T01:00:00.000Z')).toBe('first');
      await store.dailySalt('2026-01-02', 'next', '2026-01-02T00:00:00.000Z');
      expect(await store.deleteSaltsCreatedBefore('2026-01-01T12:00:00.000Z')).toBe(1);
      expect(await store.saltDays()).toEqual(['2026-01-02']);
    });

    it('counts cookieless page views and distinct visitors per day and path, and purges old days', async () => {
      const hit = (day: string, path: string, visitorHash: string) =>
        store.recordCookielessHit({ writeKey: 'wk_1', day, path, visitorHash });
      await hit('2026-01-01', '/', 'v1');
      await hit('2026-01-01', '/', 'v1');
      await hit('2026-01-01', '/', 'v2');
      await hit('2026-01-02', '/a', 'v1');
      expect(await store.cookielessCounts('wk_1', '2026-01-01', '2026-01-02')).toEqual([
        { day: '2026-01-01', path: '/', pageviews: 3, visitors: 2 },
        { day: '2026-01-02', path: '/a', pageviews: 1, visitors: 1 },
      ]);
      expect(await store.purgeCookielessBefore('wk_1', '2026-01-02')).toBe(3);
      expect(await store.cookielessCounts('wk_1', '2026-01-01', '2026-01-02')).toHaveLength(1);
    });
  });
}
