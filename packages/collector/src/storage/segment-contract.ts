import {
  computeFeatures,
  createProfileState,
  type ProfileRecord,
  type RunRecord,
  type SegmentRecord,
  type SegmentStore,
} from '@loupe/segmenter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Makes an empty segment store for one test, and closes it afterwards. */
export type SegmentStoreFactory = () => Promise<{ store: SegmentStore; close(): Promise<void> }>;

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function run(id: string, at: string): RunRecord {
  return {
    id,
    at,
    asOf: at,
    k: 2,
    kSource: 'given',
    criteria: [],
    reason: 'k=2 given',
    seed: 42,
    events: 10,
    profiles: 3,
    anomalies: 0,
    model: { features: [], center: [], scale: [], log: [] } as unknown as RunRecord['model'],
    histograms: {},
    drift: null,
    funnel: { states: [], counts: [], probabilities: [], steps: [] },
  };
}

function segment(id: string, size: number): SegmentRecord {
  const center = computeFeatures(createProfileState(T0), T0);
  return {
    id,
    name: id === 'power-users' ? 'Power users' : 'New visitors',
    centroid: [size / 10, -1.5],
    center: center as SegmentRecord['center'],
    size,
    figures: { conversionRate: 0.5, averageOrderValue: 42.5, revenueShare: 0.25, retention30: 0.1 },
  };
}

function profile(key: string, overrides: Partial<ProfileRecord> = {}): ProfileRecord {
  const state = createProfileState(T0);
  state.events = 3;
  return {
    key,
    userId: key.startsWith('u:') ? key.slice(2) : null,
    anonymousIds: key.startsWith('a:') ? [key.slice(2)] : [],
    features: computeFeatures(state, T0 + 86_400_000),
    segmentId: 'new-visitors',
    rfm: null,
    anomaly: null,
    state,
    updatedAt: iso(0),
    ...overrides,
  };
}

/**
 * What every `SegmentStore` adapter must do; run it against each one (SQLite, PostgreSQL).
 *
 * @example
 * describeSegmentStore('sqlite', async () => { const s = createSqliteStore({ path: ':memory:' }); … });
 */
export function describeSegmentStore(name: string, factory: SegmentStoreFactory): void {
  describe(`SegmentStore contract: ${name}`, () => {
    let store: SegmentStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await factory());
    });
    afterEach(async () => close());

    it('has no run before the first one, then the latest with its segments, largest first', async () => {
      expect(await store.latestRun()).toBeNull();
      expect(await store.listRuns()).toEqual([]);
      await store.saveSegmentation({
        run: run('run-1', iso(0)),
        segments: [segment('new-visitors', 5), segment('power-users', 9)],
        profiles: [],
      });
      await store.saveSegmentation({
        run: run('run-2', iso(10)),
        segments: [segment('new-visitors', 7)],
        profiles: [],
      });
      const latest = await store.latestRun();
      expect(latest?.run.id).toBe('run-2');
      expect(latest?.segments.map((s) => s.id)).toEqual(['new-visitors']);
      expect(latest?.segments[0]).toEqual(segment('new-visitors', 7));
      expect((await store.listRuns()).map((r) => r.id)).toEqual(['run-2', 'run-1']);
      expect((await store.listRuns(1)).map((r) => r.id)).toEqual(['run-2']);
      expect(await store.listRuns(1)).toEqual([run('run-2', iso(10))]);
      await store.saveSegmentation({
        run: run('run-3', iso(20)),
        segments: [segment('new-visitors', 1), segment('power-users', 9)],
        profiles: [],
      });
      expect((await store.latestRun())?.segments.map((s) => s.id)).toEqual(['power-users', 'new-visitors']);
    });

    it('finds a profile by any of its anonymous ids or its user id, the user id first', async () => {
      const person = profile('u:ada', { anonymousIds: ['phone', 'laptop'], rfm: { r: 5, f: 4, m: 3, label: 'Loyal' } });
      await store.saveSegmentation({
        run: run('run-1', iso(0)),
        segments: [segment('new-visitors', 2)],
        profiles: [person, profile('a:other')],
      });
      const byPhone = await store.findProfile({ anonymousId: 'phone' });
      expect(byPhone).toEqual({ ...person, segmentSince: iso(0) });
      expect((await store.findProfile({ anonymousId: 'laptop' }))?.key).toBe('u:ada');
      expect((await store.findProfile({ userId: 'ada' }))?.key).toBe('u:ada');
      expect((await store.findProfile({ anonymousId: 'other', userId: 'ada' }))?.key).toBe('u:ada');
      expect((await store.findProfile({ anonymousId: 'other', userId: 'nobody' }))?.key).toBe('a:other');
      expect(await store.findProfile({ anonymousId: 'nobody' })).toBeNull();
      expect(await store.findProfile({})).toBeNull();
      expect(await store.findProfile({ anonymousId: 'bad\u0000id', userId: 'bad\u0000id' })).toBeNull();
    });

    it('keeps segmentSince while the segment id stays, across runs and live saves, and resets it on a change', async () => {
      await store.saveSegmentation({
        run: run('run-1', iso(0)),
        segments: [],
        profiles: [profile('a:v', { updatedAt: iso(0) })],
      });
      expect((await store.saveProfile(profile('a:v', { updatedAt: iso(5) }))).segmentSince).toBe(iso(0));
      await store.saveSegmentation({
        run: run('run-2', iso(10)),
        segments: [],
        profiles: [profile('a:v', { updatedAt: iso(10) })],
      });
      expect((await store.findProfile({ anonymousId: 'v' }))?.segmentSince).toBe(iso(0));
      const moved = await store.saveProfile(profile('a:v', { segmentId: 'power-users', updatedAt: iso(15) }));
      expect(moved.segmentSince).toBe(iso(15));
      expect((await store.findProfile({ anonymousId: 'v' }))?.segmentSince).toBe(iso(15));
      const none = await store.saveProfile(profile('a:v', { segmentId: null, updatedAt: iso(20) }));
      expect(none.segmentSince).toBeNull();
      expect((await store.findProfile({ anonymousId: 'v' }))?.segmentId).toBeNull();
    });

    it('drops profiles a run did not produce, unless they were updated live after the run began', async () => {
      await store.saveSegmentation({
        run: run('run-1', iso(0)),
        segments: [],
        profiles: [profile('a:stays'), profile('a:rekeyed'), profile('a:gone')],
      });
      await store.saveProfile(profile('a:live', { updatedAt: iso(30) }));
      await store.saveSegmentation({
        run: run('run-2', iso(20)),
        segments: [],
        profiles: [
          profile('a:stays', { updatedAt: iso(20) }),
          profile('u:rekeyed', { anonymousIds: ['rekeyed'], updatedAt: iso(20) }),
        ],
      });
      expect((await store.findProfile({ anonymousId: 'stays' }))?.key).toBe('a:stays');
      expect((await store.findProfile({ anonymousId: 'rekeyed' }))?.key).toBe('u:rekeyed');
      expect(await store.findProfile({ anonymousId: 'gone' })).toBeNull();
      expect((await store.findProfile({ anonymousId: 'live' }))?.key).toBe('a:live');
      expect(await store.profilesForIds(['gone'])).toEqual([]);
    });

    it('saves many profiles at once and moves an anonymous id to the profile that claims it last', async () => {
      const saved = await store.saveProfiles([
        profile('a:x', { updatedAt: iso(1) }),
        profile('u:bob', { anonymousIds: ['y'], segmentId: 'power-users', updatedAt: iso(2) }),
        profile('a:z', { segmentId: null, updatedAt: iso(3) }),
      ]);
      expect(saved.map((p) => [p.key, p.segmentSince])).toEqual([
        ['a:x', iso(1)],
        ['u:bob', iso(2)],
        ['a:z', null],
      ]);
      expect(await store.saveProfiles([])).toEqual([]);
      await store.saveProfiles([
        profile('u:bob', { anonymousIds: ['y', 'x'], segmentId: 'power-users', updatedAt: iso(4) }),
      ]);
      expect((await store.findProfile({ anonymousId: 'x' }))?.key).toBe('u:bob');
      expect((await store.findProfile({ userId: 'bob' }))?.segmentSince).toBe(iso(2));
    });

    it('exports and deletes the profiles any id leads to, with every id of theirs', async () => {
      await store.saveProfiles([profile('u:eve', { anonymousIds: ['e1', 'e2'] }), profile('a:e3'), profile('a:keep')]);
      const found = await store.profilesForIds(['e1', 'eve', 'e3', 'unknown', 'bad\u0000']);
      expect(found.map((p) => p.key).sort()).toEqual(['a:e3', 'u:eve']);
      expect(await store.deleteProfilesForIds(['e2', 'e3', 'bad\u0000'])).toBe(2);
      for (const id of ['e1', 'e2', 'e3']) expect(await store.findProfile({ anonymousId: id })).toBeNull();
      expect(await store.findProfile({ userId: 'eve' })).toBeNull();
      expect(await store.profilesForIds(['e1', 'eve'])).toEqual([]);
      expect((await store.findProfile({ anonymousId: 'keep' }))?.key).toBe('a:keep');
      expect(await store.deleteProfilesForIds(['e1'])).toBe(0);
      expect(await store.deleteProfilesForIds([])).toBe(0);
    });

    it('counts current members per segment, live assignments included', async () => {
      expect(await store.countBySegment()).toEqual({});
      await store.saveSegmentation({
        run: run('run-1', iso(0)),
        segments: [],
        profiles: [
          profile('a:1'),
          profile('a:2'),
          profile('a:3', { segmentId: 'power-users' }),
          profile('a:4', { segmentId: null }),
        ],
      });
      await store.saveProfile(profile('a:2', { segmentId: 'power-users', updatedAt: iso(5) }));
      expect(await store.countBySegment()).toEqual({ 'new-visitors': 1, 'power-users': 2 });
    });
  });
}
