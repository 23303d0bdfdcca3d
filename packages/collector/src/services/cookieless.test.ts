import { afterEach, describe, expect, it } from 'vitest';
import { privacyStoreOf } from '../storage/privacy-store-of.js';
import type { PrivacyStore } from '../storage/privacy-types.js';
import { createSqliteStore } from '../storage/sqlite/index.js';
import { cleanPath, createCookielessCounter } from './cookieless.js';

const stores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function setup(start: string) {
  const store = createSqliteStore({ path: ':memory:' });
  stores.push(store);
  const privacy = privacyStoreOf(store) as PrivacyStore;
  const clock = { now: new Date(start) };
  const counter = createCookielessCounter({ store: privacy, clock: () => clock.now });
  const visit = (path: string, ip = '198.51.100.7', userAgent = 'Mozilla/5.0 Firefox/133') =>
    counter.count({ writeKey: 'wk_1', path, ip, userAgent });
  const hashes = () =>
    store.db.prepare('SELECT day, visitor_hash AS hash FROM cookieless_hits ORDER BY id').all() as {
      day: string;
      hash: string;
    }[];
  return { store, privacy, clock, counter, visit, hashes };
}

const HOUR = 3_600_000;

describe('cookieless counter', () => {
  it('counts one visitor once a day and stores no IP, user agent or query string', async () => {
    const { visit, privacy, store } = setup('2026-03-01T09:00:00.000Z');
    await visit('/shoes?email=a@b.example#top');
    await visit('/shoes');
    await visit('/shoes', '198.51.100.8');
    expect(await privacy.cookielessCounts('wk_1', '2026-03-01', '2026-03-01')).toEqual([
      { day: '2026-03-01', path: '/shoes', pageviews: 3, visitors: 2 },
    ]);
    const dump = JSON.stringify(store.db.prepare('SELECT * FROM cookieless_hits').all());
    expect(dump).not.toMatch(/198\.51|Firefox|email/);
  });

  it('rotates the salt daily, so the same visitor hashes differently the next day', async () => {
    const { visit, clock, hashes, privacy } = setup('2026-03-01T23:00:00.000Z');
    await visit('/');
    clock.now = new Date('2026-03-02T01:00:00.000Z');
    await visit('/');
    const [day1, day2] = hashes();
    expect(day1?.day).toBe('2026-03-01');
    expect(day2?.day).toBe('2026-03-02');
    expect(day1?.hash).not.toBe(day2?.hash);
    expect(await privacy.saltDays()).toEqual(['2026-03-01', '2026-03-02']);
  });

  it('deletes a salt 48 hours after it was made, and not before', async () => {
    const { visit, clock, counter, privacy } = setup('2026-03-01T10:00:00.000Z');
    await visit('/');
    clock.now = new Date(Date.parse('2026-03-01T10:00:00.000Z') + 47 * HOUR);
    await visit('/');
    expect(await counter.rotate()).toBe(0);
    clock.now = new Date(Date.parse('2026-03-01T10:00:00.000Z') + 48 * HOUR + 1);
    expect(await counter.rotate()).toBe(1);
    expect(await privacy.saltDays()).toEqual(['2026-03-03']);
  });

  it('makes a new salt for a day whose salt was deleted, so old hashes cannot be matched again', async () => {
    const { visit, clock, counter, hashes, store } = setup('2026-03-01T10:00:00.000Z');
    await visit('/');
    clock.now = new Date('2026-03-04T10:00:00.000Z');
    await counter.rotate();
    store.db.prepare(`UPDATE cookieless_hits SET day = '2026-03-04'`).run();
    await visit('/');
    const [before, after] = hashes();
    expect(before?.hash).not.toBe(after?.hash);
  });
});

describe('cleanPath', () => {
  it('keeps the path only', () => {
    expect(cleanPath('/a/b?x=1#y')).toBe('/a/b');
    expect(cleanPath('https://shop.example/a')).toBe('/');
    expect(cleanPath(`/${'x'.repeat(600)}`)).toHaveLength(512);
  });
});
