import type { ProfileResponse, SegmentRef } from '@loupe/schema';
import { assignLive, segmentSince, type SegmentStore, type StoredProfile, type StoredRun } from '@loupe/segmenter';
import type { StoredEvent, WriteKey } from '../storage/types.js';
import { type Logger, silentLogger } from './log.js';
import type { SegmentGate } from './segment-gate.js';

export interface SegmentService {
  /**
   * Live assignment, run after each commit: every profile the stored events belong to gets its
   * features updated and the segment of the nearest centroid. Answers the segment of `ids`
   * (null when it has none or may not be shown), or undefined before the first segmentation run,
   * on an error (logged) and when the answer would take longer than the budget: the ack never
   * waits for it long and never fails because of it.
   */
  afterCommit(
    key: WriteKey,
    stored: readonly StoredEvent[],
    ids: { anonymousId: string | null; userId: string | null },
  ): Promise<SegmentRef | null | undefined>;
  /** What GET /v1/profile answers for an anonymous id. */
  profile(key: Pick<WriteKey, 'key' | 'requireConsent'>, anonymousId: string, gpc: boolean): Promise<ProfileResponse>;
  /** Writes the profiles changed since the last write, in one transaction. */
  flush(): Promise<void>;
  /** Forgets what is cached (the run and the profiles): call after saving a new run in this process. */
  invalidate(): void;
  /** A subject's stored profiles (export). */
  exportProfiles(ids: readonly string[]): Promise<StoredProfile[]>;
  /** Erases the profiles these ids lead to, from memory and from the store; returns how many. */
  erase(ids: readonly string[]): Promise<number>;
  /** Live-assignment counters, for tests and /metrics. */
  stats(): SegmentServiceStats;
}

export interface SegmentServiceStats {
  /** Profiles held in memory. */
  cached: number;
  /** Profiles changed and not yet written. */
  dirty: number;
  /** Write transactions and the profiles they held. */
  writes: number;
  written: number;
  /** Live assignments that moved a profile to another segment. */
  moves: number;
  /** Store reads for profiles not in memory. */
  loads: number;
  /** afterCommit calls that failed (logged) or ran past the budget. */
  failures: number;
  overBudget: number;
}

export interface SegmentServiceDeps {
  segments: SegmentStore;
  gate: SegmentGate;
  clock?: () => Date;
  /** How long the last run (model and centroids) is cached; a new run is picked up after this. */
  runTtlMs?: number;
  logger?: Logger;
  /** Profiles kept in memory, least recently used dropped first (changed ones only once written). */
  cacheSize?: number;
  /** How often changed profiles are written (one transaction each time); 0: only on `flush()`. */
  flushEveryMs?: number;
  /** Changed profiles that start a write at once. */
  flushAtDirty?: number;
  /** The longest an ingest answer waits for the segment; past it the answer goes without one. */
  answerBudgetMs?: number;
}

type Ids = { anonymousId?: string | null; userId?: string | null };

/**
 * Live assignment with a per-profile cache: a profile's accumulators stay in memory between its
 * batches, so the ingest path folds events in and finds the nearest centroid without reading or
 * writing the store. Changed profiles are written behind, in one transaction per interval (and at
 * once when many are pending), so a batch costs no fsync. Read-back reads the cache first, so a
 * visitor sees their new segment at once; other processes see it after the next write.
 */
export function createSegmentService({
  segments,
  gate,
  clock = () => new Date(),
  runTtlMs = 5000,
  logger = silentLogger,
  cacheSize = 20_000,
  flushEveryMs = 1000,
  flushAtDirty = 1000,
  answerBudgetMs = 250,
}: SegmentServiceDeps): SegmentService {
  let cached: { run: StoredRun | null; until: number } | null = null;
  let runId: string | null | undefined;
  /** Profiles by key, in least-recently-used order (Map keeps insertion order). */
  const profiles = new Map<string, StoredProfile>();
  /** `a:<anonymousId>` / `u:<userId>` → profile key, for the profiles in memory. */
  const index = new Map<string, string>();
  const dirty = new Set<string>();
  const stats: SegmentServiceStats = {
    cached: 0,
    dirty: 0,
    writes: 0,
    written: 0,
    moves: 0,
    loads: 0,
    failures: 0,
    overBudget: 0,
  };
  let flushing: Promise<void> | null = null;

  const forget = (key: string) => {
    const p = profiles.get(key);
    if (!p) return;
    profiles.delete(key);
    dirty.delete(key);
    if (p.userId && index.get(`u:${p.userId}`) === key) index.delete(`u:${p.userId}`);
    for (const a of p.anonymousIds) if (index.get(`a:${a}`) === key) index.delete(`a:${a}`);
  };
  const clearCache = () => {
    profiles.clear();
    index.clear();
    dirty.clear();
  };

  const latest = async (): Promise<StoredRun | null> => {
    const now = Date.now();
    if (cached && cached.until > now) return cached.run;
    const run = await segments.latestRun();
    cached = { run, until: now + runTtlMs };
    const id = run?.run.id ?? null;
    if (runId !== undefined && id !== runId && profiles.size > 0) {
      // The new run recomputed every profile: what is cached was folded on the old one.
      logger.log('info', 'new segment run: live profile cache reset', {
        dropped: profiles.size,
        unwritten: dirty.size,
      });
      clearCache();
    }
    runId = id;
    return run;
  };

  const cachedKey = ({ anonymousId, userId }: Ids): string | undefined =>
    (userId ? index.get(`u:${userId}`) : undefined) ?? (anonymousId ? index.get(`a:${anonymousId}`) : undefined);

  const remember = (p: StoredProfile) => {
    profiles.delete(p.key);
    profiles.set(p.key, p);
    if (p.userId) index.set(`u:${p.userId}`, p.key);
    for (const a of p.anonymousIds) index.set(`a:${a}`, p.key);
    if (profiles.size <= cacheSize) return;
    // Drop the least recently used profiles that are written; changed ones wait for their write.
    for (const key of profiles.keys()) {
      if (profiles.size <= cacheSize) break;
      if (!dirty.has(key)) forget(key);
    }
  };

  const flush = (): Promise<void> => {
    if (flushing) return flushing.then(() => (dirty.size > 0 ? flush() : undefined));
    if (dirty.size === 0) return Promise.resolve();
    const batch = [...dirty].flatMap((key) => {
      const p = profiles.get(key);
      return p ? [p] : [];
    });
    dirty.clear();
    flushing = segments
      .saveProfiles(batch)
      .then(
        () => {
          stats.writes += 1;
          stats.written += batch.length;
        },
        (error: Error) => {
          // Keep them for the next write, unless they changed or left meanwhile.
          for (const p of batch) if (profiles.get(p.key) === p) dirty.add(p.key);
          logger.log('warn', 'live segment write failed', { profiles: batch.length, message: error.message });
        },
      )
      .finally(() => {
        flushing = null;
      });
    return flushing;
  };

  if (flushEveryMs > 0) {
    const timer = setInterval(() => {
      if (dirty.size > 0) void flush();
    }, flushEveryMs);
    timer.unref();
  }

  const refOf = (run: StoredRun | null, profile: StoredProfile | null): SegmentRef | null => {
    if (!run || !profile?.segmentId) return null;
    const segment = run.segments.find((s) => s.id === profile.segmentId);
    return segment
      ? { id: segment.id, name: segment.name, ...(profile.segmentSince ? { since: profile.segmentSince } : {}) }
      : null;
  };

  /**
   * The segment of a visitor the collector has not seen yet: the one their first page view puts
   * them in (the same for everyone, so it tells nothing about the person). A page asks for its
   * segment while its first page view is on the way; answering null would show the default content
   * and then switch to this one when the batch answer arrives: a flicker of the wrong content.
   */
  let firstVisitOf: { runId: string; ref: SegmentRef | null } | null = null;
  const firstVisit = (run: StoredRun): SegmentRef | null => {
    if (firstVisitOf?.runId !== run.run.id) {
      const now = clock().toISOString();
      const page = {
        messageId: '',
        type: 'page' as const,
        anonymousId: 'first-visit',
        userId: null,
        name: null,
        timestamp: now,
        isBot: false,
        payload: {},
      };
      const next = assignLive(null, [page], run, now);
      const segment = next?.segmentId ? run.segments.find((s) => s.id === next.segmentId) : undefined;
      firstVisitOf = { runId: run.run.id, ref: segment ? { id: segment.id, name: segment.name } : null };
    }
    return firstVisitOf.ref;
  };

  async function assign(
    key: WriteKey,
    stored: readonly StoredEvent[],
    ids: { anonymousId: string | null; userId: string | null },
  ): Promise<SegmentRef | null | undefined> {
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
      const lookup = { anonymousId: first.anonymousId, userId: first.userId };
      let hit = cachedKey(lookup);
      if (hit === undefined) {
        stats.loads += 1;
        const loaded = await segments.findProfile(lookup);
        // Another batch of this person may have loaded it while we waited: theirs is newer.
        hit = cachedKey(lookup);
        if (hit === undefined && loaded) {
          remember(loaded);
          hit = loaded.key;
        }
      }
      const previous = hit === undefined ? null : (profiles.get(hit) ?? null);
      const next = assignLive(previous, events, run, now);
      if (!next) continue;
      const saved: StoredProfile = { ...next, segmentSince: segmentSince(previous, next) };
      if (previous && previous.segmentId !== saved.segmentId) stats.moves += 1;
      if (previous && previous.key !== saved.key) forget(previous.key);
      remember(saved);
      dirty.add(saved.key);
      if (
        (ids.userId && saved.userId === ids.userId) ||
        (ids.anonymousId && saved.anonymousIds.includes(ids.anonymousId))
      )
        answer = saved;
    }
    if (dirty.size >= flushAtDirty) void flush();
    if (!ids.anonymousId) return refOf(run, answer);
    const allowed = await gate.allows({ key, anonymousId: ids.anonymousId, gpc: false });
    return allowed ? refOf(run, answer) : null;
  }

  return {
    async afterCommit(key, stored, ids) {
      const work = assign(key, stored, ids).catch((error: Error) => {
        stats.failures += 1;
        // The events are committed; only the segment is missing from this answer.
        logger.log('error', 'live segment assignment failed', { error: error.name, message: error.message });
        return undefined;
      });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          stats.overBudget += 1;
          resolve(undefined);
        }, answerBudgetMs);
      });
      try {
        return await Promise.race([work, late]);
      } finally {
        clearTimeout(timer);
      }
    },

    async profile(key, anonymousId, gpc) {
      const hit = cachedKey({ anonymousId });
      const [run, profile] = await Promise.all([
        latest(),
        hit !== undefined ? (profiles.get(hit) ?? null) : segments.findProfile({ anonymousId }),
      ]);
      const response: ProfileResponse = { anonymousId, segment: null };
      if (profile?.userId) response.userId = profile.userId;
      if (!run || !(await gate.allows({ key, anonymousId, gpc }))) return response;
      if (!profile) {
        response.segment = firstVisit(run);
        return response;
      }
      response.segment = refOf(run, profile);
      if (profile.rfm) response.rfm = profile.rfm;
      return response;
    },

    flush,

    invalidate() {
      cached = null;
      clearCache();
    },

    async exportProfiles(ids) {
      await flush();
      return segments.profilesForIds(ids);
    },

    async erase(ids) {
      const wanted = new Set(ids);
      for (const p of [...profiles.values()]) {
        if ((p.userId && wanted.has(p.userId)) || p.anonymousIds.some((a) => wanted.has(a))) forget(p.key);
      }
      // A write in flight may put an erased profile back: wait for it, then delete.
      await flushing;
      const stored = await segments.profilesForIds(ids);
      const all = new Set(ids);
      for (const p of stored) {
        if (p.userId) all.add(p.userId);
        for (const a of p.anonymousIds) all.add(a);
      }
      return segments.deleteProfilesForIds([...all]);
    },

    stats: () => ({ ...stats, cached: profiles.size, dirty: dirty.size }),
  };
}
