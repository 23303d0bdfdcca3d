import { linearSumAssignment } from 'linear-sum-assignment';
import { squaredDistance } from '../metrics/nearest.js';

/** A segment of the last run, its centroid mapped into this run's model space. */
export interface PreviousSegment {
  id: string;
  name: string;
  centroid: readonly number[];
}

export interface SegmentIdentity {
  id: string;
  name: string;
  /** The id of the last run's segment it continues, or null for a new segment. */
  previousId: string | null;
}

export interface MatchOptions {
  /** Beyond this Euclidean distance in model space a centroid is a new segment, not a moved one. */
  maxDistance?: number;
}

/** `power-users` from `Power users`: the id a new segment gets, and what `data-loupe-show` names. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Gives this run's centroids the ids (and names) of the last run's segments they continue, by the
 * assignment of minimal total centroid distance (Hungarian method), so a re-run keeps ids and names.
 * Unmatched centroids get new ids from their names.
 */
export function matchSegments(
  current: readonly { centroid: readonly number[]; name: string }[],
  previous: readonly PreviousSegment[],
  options: MatchOptions = {},
): SegmentIdentity[] {
  const { maxDistance = 3 } = options;
  const matchOf = new Array<number>(current.length).fill(-1);
  if (previous.length > 0 && current.length > 0) {
    const cost = current.map((c) => previous.map((p) => Math.sqrt(squaredDistance(c.centroid, p.centroid))));
    const { rowAssignments } = linearSumAssignment(cost, { maximaze: false });
    current.forEach((_, i) => {
      const j = rowAssignments[i] ?? -1;
      if (j >= 0 && (cost[i]?.[j] ?? Number.POSITIVE_INFINITY) <= maxDistance) matchOf[i] = j;
    });
  }
  const taken = new Set(previous.map((p) => p.id));
  const usedNames = new Set(matchOf.flatMap((j) => (j >= 0 ? [previous[j]?.name ?? ''] : [])));
  return current.map((c, i) => {
    const prev = previous[matchOf[i] ?? -1];
    if (prev) return { id: prev.id, name: prev.name, previousId: prev.id };
    // A kept segment already holds this name: number the newcomer rather than show two alike.
    let name = c.name;
    for (let n = 2; usedNames.has(name); n++) name = `${c.name} ${n}`;
    usedNames.add(name);
    const base = slugify(name) || 'segment';
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return { id, name, previousId: null };
  });
}
