import { afterEach, describe, expect, it } from 'vitest';
import { privacyStoreOf } from '../storage/privacy-store-of.js';
import type { PrivacyStore } from '../storage/privacy-types.js';
import { createSqliteStore } from '../storage/sqlite/index.js';
import type { StoredEvent } from '../storage/types.js';
import { createRetentionJob } from './retention.js';

const stores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const DAY = 86_400_000;

function storedEvent(
  messageId: string,
  { writeKey, receivedAt }: { writeKey: string; receivedAt: string },
): StoredEvent {
  return {
    writeKey,
    messageId,
    type: 'page',
    anonymousId: 'anon-1',
    userId: null,
    name: null,
    timestamp: receivedAt,
    receivedAt,
    sessionId: null,
    ip: null,
    isBot: false,
    payload: { type: 'page', messageId, anonymousId: 'anon-1' },
  };
}

describe('retention job', () => {
  it("purges each key's raw events received before its retention, with a fake clock", async () => {
    const store = createSqliteStore({ path: ':memory:' });
    stores.push(store);
    await store.createKey({ key: 'wk_short', origins: ['*'], retentionDays: 30 });
    await store.createKey({ key: 'wk_default', origins: ['*'] });
    let now = new Date('2026-06-01T00:00:00.000Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * DAY).toISOString();
    await store.insertEvents([
      storedEvent('old-short', { writeKey: 'wk_short', receivedAt: daysAgo(31) }),
      storedEvent('new-short', { writeKey: 'wk_short', receivedAt: daysAgo(29) }),
      storedEvent('old-default', { writeKey: 'wk_default', receivedAt: daysAgo(763) }),
      storedEvent('new-default', { writeKey: 'wk_default', receivedAt: daysAgo(400) }),
    ]);
    const job = createRetentionJob({ store, clock: () => now });

    expect((await job.run()).events).toEqual({ wk_short: 1, wk_default: 1 });
    expect(await store.countEvents('wk_short')).toBe(1);
    expect(await store.countEvents('wk_default')).toBe(1);

    now = new Date(now.getTime() + 2 * DAY);
    expect((await job.run()).events).toEqual({ wk_short: 1 });
    expect(await store.countEvents()).toBe(1);
  });

  it('records a run that deleted something in the audit log, with counts only', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    stores.push(store);
    await store.createKey({ key: 'wk_1', origins: ['*'], retentionDays: 1 });
    await store.insertEvents([storedEvent('m1', { writeKey: 'wk_1', receivedAt: '2026-01-01T00:00:00.000Z' })]);
    const job = createRetentionJob({ store, clock: () => new Date('2026-02-01T00:00:00.000Z') });
    await job.run();
    await job.run();
    const audit = await store.listAudit();
    expect(audit).toEqual([
      {
        at: '2026-02-01T00:00:00.000Z',
        actor: 'system:retention',
        action: 'retention.purge',
        subject: '*',
        detail: { events: 1, keys: 1, cookielessRows: 0 },
      },
    ]);
  });

  it('purges cookieless counts by the same retention', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    stores.push(store);
    const privacy = privacyStoreOf(store) as PrivacyStore;
    await store.createKey({ key: 'wk_1', origins: ['*'], retentionDays: 10 });
    await privacy.recordCookielessHit({ writeKey: 'wk_1', day: '2026-01-01', path: '/', visitorHash: 'v' });
    await privacy.recordCookielessHit({ writeKey: 'wk_1', day: '2026-01-25', path: '/', visitorHash: 'v' });
    const job = createRetentionJob({ store, cookieless: privacy, clock: () => new Date('2026-01-30T00:00:00.000Z') });
    expect((await job.run()).cookielessRows).toBe(1);
  });
});
