import type { ProfileResponse, SegmentRef } from '@loupe/schema';
import { assignLive, type SegmentStore, type StoredProfile, type StoredRun } from '@loupe/segmenter';
import type { StoredEvent, WriteKey } from '../storage/types.js';
import type { SegmentGate } from './segment-gate.js';

export interface SegmentService {
  /**
   * Live assignment, run after each commit: every profile the stored events belong to gets its
   * features updated and the segment of the nearest centroid. Answers the segment of `ids`
   * (null when it has none or may not be shown), or undefined before the first segmentation run.
   */
  afterCommit(
    key: WriteKey,
    stored: readonly StoredEvent[],
    ids: { anonymousId: string | null; userId: string | null },
  ): Promise<SegmentRef | null | undefined>;
  /** What GET /v1/profile answers for an anonymous id. */
  profile(key: Pick<WriteKey, 'key' | 'requireConsent'>, anonymousId: string, gpc: boolean): Promise<ProfileResponse>;
}

export interface SegmentServiceDeps {
  segments: SegmentStore;
  gate: SegmentGate;
  clock?: () => Date;
  /** How long the last run (model and centroids) is cached; a new run is picked up after this. */
  runTtlMs?: number;
}

export function createSegmentService({ segments, gate, clock = () => new Date(), runTtlMs = 5000 }: SegmentServiceDeps): SegmentService {
  let cached: { run: StoredRun | null; until: number } | null = null;
  const latest = async (): Promise<StoredRun | null> => {
    const now = Date.now();
    if (cached && cached.until > now) return cached.run;
    const run = await segments.latestRun();
    cached = { run, until: now + runTtlMs };
    return run;
  };

  const refOf = (run: StoredRun | null, profile: StoredProfile | null): SegmentRef | null => {
    if (!run || !profile?.segmentId) return null;
    const segment = run.segments.find((s) => s.id === profile.segmentId);
    return segment ? { id: segment.id, name: segment.name, ...(profile.segmentSince ? { since: profile.segmentSince } : {}) } : null;
  };

  return {
    async afterCommit(key, stored, ids) {
      const run = await latest();
      if (!run) return undefined;
      // One person per group: the user id when known, else the anonymous id.
      const groups = new Map<string, StoredEvent[]>();
      for (const e of stored) {
        const id = e.userId ? `u:${e.userId}` : e.anonymousId ? `a:${e.anonymousId}` : null;
        if (id === null) continue;
        const group = groups.get(id);
        if (group) group.push(e);
        else groups.set(id, [e]);
      }
      const now = clock().toISOString();
      let answer: StoredProfile | null = null;
      for (const events of groups.values()) {
        const first = events[0] as StoredEvent;
        const previous = await segments.findProfile({ anonymousId: first.anonymousId, userId: first.userId });
        const next = assignLive(previous, events, run, now);
        if (!next) continue;
        const saved = await segments.saveProfile(next);
        if ((ids.userId && saved.userId === ids.userId) || (ids.anonymousId && saved.anonymousIds.includes(ids.anonymousId))) answer = saved;
      }
      if (!ids.anonymousId) return refOf(run, answer);
      const allowed = await gate.allows({ key, anonymousId: ids.anonymousId, gpc: false });
      return allowed ? refOf(run, answer) : null;
    },

    async profile(key, anonymousId, gpc) {
      const [run, profile] = await Promise.all([latest(), segments.findProfile({ anonymousId })]);
      const response: ProfileResponse = { anonymousId, segment: null };
      if (!profile) return response;
      if (profile.userId) response.userId = profile.userId;
      if (!(await gate.allows({ key, anonymousId, gpc }))) return response;
      response.segment = refOf(run, profile);
      if (profile.rfm) response.rfm = profile.rfm;
      return response;
    },
  };
}
