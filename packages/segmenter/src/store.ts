import type { ProfileRecord, RunRecord, SegmentRecord, Segmentation } from './model.js';

/** A profile as stored: its record plus when it entered its current segment. */
export interface StoredProfile extends ProfileRecord {
  /** When the profile entered its current segment (ISO), null without a segment. */
  segmentSince: string | null;
}

export interface StoredRun {
  run: RunRecord;
  segments: SegmentRecord[];
}

/**
 * Where segmentations are kept: runs, segments, profiles. The collector's storage adapters implement
 * it (SQLite: `createSqliteSegmentStore`); `createMemorySegmentStore` is the in-memory twin for tests.
 * A profile keeps its `segmentSince` while its segment id stays the same, across runs and live updates.
 */
export interface SegmentStore {
  latestRun(): Promise<StoredRun | null>;
  /** Stores a run with its segments and profiles; profiles not in it are dropped (they were re-keyed or erased). */
  saveSegmentation(result: Segmentation): Promise<void>;
  /** The profile an anonymous id or a user id belongs to. */
  findProfile(id: { anonymousId?: string | null; userId?: string | null }): Promise<StoredProfile | null>;
  /** Inserts or replaces one profile (live assignment); its ids lead to it from now on. */
  saveProfile(profile: ProfileRecord): Promise<StoredProfile>;
  /** Recent runs, newest first. */
  listRuns(limit?: number): Promise<RunRecord[]>;
  /** Inserts or replaces many profiles in one transaction (live assignment writes in batches). */
  saveProfiles(profiles: readonly ProfileRecord[]): Promise<StoredProfile[]>;
  /** The profiles any of these anonymous or user ids lead to (a subject's export). */
  profilesForIds(ids: readonly string[]): Promise<StoredProfile[]>;
  /** Deletes the profiles these ids lead to, with every id of theirs (erasure); returns how many profiles. */
  deleteProfilesForIds(ids: readonly string[]): Promise<number>;
  /** Current members per segment id, live assignments included (profiles without a segment left out). */
  countBySegment(): Promise<Record<string, number>>;
}

/** The `since` a profile gets when saved over `previous`. */
export function segmentSince(previous: StoredProfile | null | undefined, next: ProfileRecord): string | null {
  if (next.segmentId === null) return null;
  if (previous && previous.segmentId === next.segmentId && previous.segmentSince) return previous.segmentSince;
  return next.updatedAt;
}
