import type { ProfileRecord, RunRecord } from '../model.js';
import { type SegmentStore, type StoredProfile, type StoredRun, segmentSince } from '../store.js';

/** An in-memory `SegmentStore` with the same semantics as the SQLite one. */
export function createMemorySegmentStore(): SegmentStore & { profiles(): StoredProfile[] } {
  const runs: StoredRun[] = [];
  const profiles = new Map<string, StoredProfile>();
  const ids = new Map<string, string>();

  const index = (p: ProfileRecord) => {
    if (p.userId) ids.set(`u:${p.userId}`, p.key);
    for (const a of p.anonymousIds) ids.set(`a:${a}`, p.key);
  };
  const keysOf = (list: readonly string[]) => {
    const keys = new Set<string>();
    for (const id of list) {
      for (const k of [ids.get(`u:${id}`), ids.get(`a:${id}`)]) if (k) keys.add(k);
    }
    return keys;
  };
  // Records are plain JSON (the SQLite store keeps them as JSON text), so a JSON round trip copies them.
  const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  return {
    async latestRun() {
      const last = runs[runs.length - 1];
      return last ? clone(last) : null;
    },
    async saveSegmentation({ run, segments, profiles: next }) {
      // Largest first, as the SQL stores answer them.
      const ordered = [...segments].sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      runs.push(clone({ run, segments: ordered }));
      const kept = new Map<string, StoredProfile>();
      for (const p of next) kept.set(p.key, { ...clone(p), segmentSince: segmentSince(profiles.get(p.key), p) });
      // Profiles updated live after the run began stay.
      for (const [key, p] of profiles) if (!kept.has(key) && p.updatedAt > run.at) kept.set(key, p);
      profiles.clear();
      ids.clear();
      for (const [key, p] of kept) {
        profiles.set(key, p);
        index(p);
      }
    },
    async findProfile({ anonymousId, userId }) {
      const key = (userId && ids.get(`u:${userId}`)) || (anonymousId && ids.get(`a:${anonymousId}`)) || null;
      const p = key ? profiles.get(key) : undefined;
      return p ? clone(p) : null;
    },
    async saveProfile(profile) {
      const stored = { ...clone(profile), segmentSince: segmentSince(profiles.get(profile.key), profile) };
      profiles.set(profile.key, stored);
      index(profile);
      return clone(stored);
    },
    async saveProfiles(list) {
      const out: StoredProfile[] = [];
      for (const profile of list) out.push(await this.saveProfile(profile));
      return out;
    },
    async profilesForIds(list) {
      const keys = keysOf(list);
      return [...keys].flatMap((key) => {
        const p = profiles.get(key);
        return p ? [clone(p)] : [];
      });
    },
    async deleteProfilesForIds(list) {
      let n = 0;
      for (const key of keysOf(list)) {
        const p = profiles.get(key);
        if (!p) continue;
        profiles.delete(key);
        n += 1;
        for (const [id, k] of [...ids]) if (k === key) ids.delete(id);
      }
      return n;
    },
    async countBySegment() {
      const counts: Record<string, number> = {};
      for (const p of profiles.values()) if (p.segmentId) counts[p.segmentId] = (counts[p.segmentId] ?? 0) + 1;
      return counts;
    },
    async listRuns(limit = 20): Promise<RunRecord[]> {
      return runs
        .slice(-limit)
        .reverse()
        .map((r) => clone(r.run));
    },
    profiles: () => [...profiles.values()].map(clone),
  };
}
