import {
  createMemorySegmentStore,
  createMemorySource,
  runSegmentation,
  simulate,
  type SegmentStore,
} from '@loupe/segmenter';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent, WriteKey } from '../storage/types.js';
import { createSegmentService } from './segment-service.js';

const KEY: WriteKey = {
  key: 'wk_test',
  name: null,
  origins: ['*'],
  requireConsent: false,
  retentionDays: 30,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const allowAll = { allows: async () => true };
const DAY_MS = 86_400_000;

let seq = 0;
function event(anonymousId: string, at: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  seq += 1;
  return {
    writeKey: KEY.key,
    messageId: `m${seq}`,
    type: 'page',
    anonymousId,
    userId: null,
    name: 'Home',
    timestamp: new Date(at).toISOString(),
    receivedAt: new Date(at).toISOString(),
    sessionId: null,
    ip: null,
    isBot: false,
    payload: { type: 'page', messageId: `m${seq}`, anonymousId } as StoredEvent['payload'],
    ...overrides,
  };
}

function buyer(anonymousId: string, end: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let d = 40; d >= 1; d--) {
    const at = end - d * DAY_MS;
    for (let p = 0; p < 6; p++) out.push(event(anonymousId, at + p * 30_000));
    if (d % 3 === 0) {
      out.push(event(anonymousId, at + 200_000, { type: 'track', name: 'Product Added' }));
      out.push(
        event(anonymousId, at + 210_000, {
          type: 'track',
          name: 'Order Completed',
          payload: {
            type: 'track',
            event: 'Order Completed',
            messageId: 'x',
            properties: { revenue: 250 },
          } as StoredEvent['payload'],
        }),
      );
    }
  }
  return out;
}

/** Counts what the service asks of the store. */
function counting(inner: SegmentStore) {
  const calls = { findProfile: 0, saveProfile: 0, saveProfiles: 0, profilesWritten: 0 };
  const store: SegmentStore = {
    ...inner,
    findProfile: (ids) => {
      calls.findProfile += 1;
      return inner.findProfile(ids);
    },
    saveProfile: (p) => {
      calls.saveProfile += 1;
      return inner.saveProfile(p);
    },
    saveProfiles: (list) => {
      calls.saveProfiles += 1;
      calls.profilesWritten += list.length;
      return inner.saveProfiles(list);
    },
  };
  return { store, calls };
}

describe('live segment assignment on the ingest path', () => {
  const sim = simulate({ users: 300, days: 60, seed: 5 });
  const end = Date.parse(sim.end);
  const clock = () => new Date(end);
  let base: SegmentStore;

  beforeAll(async () => {
    base = createMemorySegmentStore();
    await base.saveSegmentation(await runSegmentation(createMemorySource(sim.events), { k: 4, asOf: sim.end }));
  });

  it('reads a profile from the store once and writes nothing per batch; one write holds every change', async () => {
    const { store, calls } = counting(base);
    const service = createSegmentService({ segments: store, gate: allowAll, clock, flushEveryMs: 0 });
    const ids = { anonymousId: 'v1', userId: null };
    for (let i = 0; i < 20; i++) await service.afterCommit(KEY, [event('v1', end - (20 - i) * 60_000)], ids);
    await service.afterCommit(KEY, [event('v2', end - 1000)], { anonymousId: 'v2', userId: null });
    expect(calls.findProfile).toBe(2);
    expect(calls.saveProfile).toBe(0);
    expect(calls.saveProfiles).toBe(0);
    expect(service.stats().dirty).toBe(2);

    await service.flush();
    expect(calls.saveProfiles).toBe(1);
    expect(calls.profilesWritten).toBe(2);
    expect((await base.findProfile({ anonymousId: 'v1' }))?.state.events).toBe(20);
    await service.flush();
    expect(calls.saveProfiles).toBe(1);
  });

  it('answers the new segment at once when behavior changes, and the store has it after the write', async () => {
    const service = createSegmentService({ segments: base, gate: allowAll, clock, flushEveryMs: 0 });
    const ids = { anonymousId: 'mover', userId: null };
    const first = await service.afterCommit(KEY, [event('mover', end - 1000)], ids);
    const moved = await service.afterCommit(KEY, buyer('mover', end), ids);
    expect(first?.id).toBeDefined();
    expect(moved?.id).not.toBe(first?.id);
    expect((await service.profile(KEY, 'mover', false)).segment?.id).toBe(moved?.id);
    expect(service.stats().moves).toBe(1);
    await service.flush();
    expect((await base.findProfile({ anonymousId: 'mover' }))?.segmentId).toBe(moved?.id);
  });

  it('answers without a segment, and logs without personal data, when the store fails', async () => {
    const logged: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    const failing: SegmentStore = { ...base, findProfile: async () => Promise.reject(new Error('disk I/O error')) };
    const service = createSegmentService({
      segments: failing,
      gate: allowAll,
      clock,
      flushEveryMs: 0,
      logger: { log: (level, msg, fields) => logged.push({ level, msg, ...(fields ? { fields } : {}) }) },
    });
    expect(
      await service.afterCommit(KEY, [event('secret-visitor', end)], { anonymousId: 'secret-visitor', userId: null }),
    ).toBeUndefined();
    expect(service.stats().failures).toBe(1);
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain('secret-visitor');
  });

  it('answers without a segment when the store does not answer within the budget', async () => {
    const hanging: SegmentStore = { ...base, findProfile: () => new Promise(() => {}) };
    const service = createSegmentService({
      segments: hanging,
      gate: allowAll,
      clock,
      flushEveryMs: 0,
      answerBudgetMs: 5,
    });
    expect(await service.afterCommit(KEY, [event('slow', end)], { anonymousId: 'slow', userId: null })).toBeUndefined();
    expect(service.stats().overBudget).toBe(1);
  });

  it('keeps changes whose write failed for the next write', async () => {
    let fail = true;
    const flaky: SegmentStore = {
      ...base,
      saveProfiles: (list) => (fail ? Promise.reject(new Error('busy')) : base.saveProfiles(list)),
    };
    const service = createSegmentService({ segments: flaky, gate: allowAll, clock, flushEveryMs: 0 });
    await service.afterCommit(KEY, [event('retry', end)], { anonymousId: 'retry', userId: null });
    await service.flush();
    expect(service.stats().dirty).toBe(1);
    fail = false;
    await service.flush();
    expect(service.stats().dirty).toBe(0);
    expect(await base.findProfile({ anonymousId: 'retry' })).not.toBeNull();
  });

  it('erases a profile from memory before a pending write can bring it back', async () => {
    const service = createSegmentService({ segments: base, gate: allowAll, clock, flushEveryMs: 0 });
    await service.afterCommit(KEY, [event('gone', end)], { anonymousId: 'gone', userId: null });
    expect(await service.erase(['gone'])).toBe(0);
    await service.flush();
    expect(await base.findProfile({ anonymousId: 'gone' })).toBeNull();
    // It reads back as a visitor never seen.
    expect((await service.profile(KEY, 'gone', false)).segment).toEqual(
      (await service.profile(KEY, 'never-seen', false)).segment,
    );
    expect((await service.profile(KEY, 'gone', false)).segment).not.toHaveProperty('since');
  });

  it('bounds the profiles kept in memory', async () => {
    const service = createSegmentService({ segments: base, gate: allowAll, clock, flushEveryMs: 0, cacheSize: 10 });
    for (let i = 0; i < 30; i++) {
      await service.afterCommit(KEY, [event(`many-${i}`, end)], { anonymousId: `many-${i}`, userId: null });
      if (i % 5 === 4) await service.flush();
    }
    await service.flush();
    expect(service.stats().cached).toBeLessThanOrEqual(10 + 5);
    await service.afterCommit(KEY, [event('many-0', end)], { anonymousId: 'many-0', userId: null });
    await service.flush();
    expect((await base.findProfile({ anonymousId: 'many-0' }))?.state.events).toBe(2);
  });
});
