import { kmeans } from 'ml-kmeans';
import { nearestCentroid } from '../metrics/nearest.js';
import { createRng, sampleIndices } from '../random.js';

export interface KMeansFit {
  k: number;
  centroids: number[][];
  /** Cluster of each input point. */
  labels: number[];
  /** Sum of squared distances to the assigned centroid. */
  inertia: number;
}

export interface KMeansOptions {
  seed?: number;
  /**
   * k-means++ restarts; the lowest inertia wins. 10, as choose-k judges each k by: with 5, a run
   * could settle in a worse optimum, and the next run (5 % more people, or the same history a few
   * minutes later) found a better one more than the warm start's tolerance away, and 14 % of people
   * changed segment (stability.test.ts failed that way once active days stopped following UTC dates).
   */
  restarts?: number;
  /** Restarts run on a sample of this size, then the winner is refined on all points. */
  sampleSize?: number;
  /** Extra starting centroids (last run's, for stable segments); kept when within `warmTolerance` of the best. */
  warmStart?: number[][];
  /** Relative inertia margin by which a fresh restart must beat the warm start to replace it. */
  warmTolerance?: number;
  maxIterations?: number;
}

/** Labels and inertia of `points` under fixed centroids. */
export function assign(
  points: readonly number[][],
  centroids: readonly number[][],
): { labels: number[]; inertia: number } {
  let inertia = 0;
  const labels = points.map((p) => {
    const { index, distance } = nearestCentroid(p, centroids);
    inertia += distance;
    return index;
  });
  return { labels, inertia };
}

function lloyd(
  points: number[][],
  k: number,
  initialization: 'kmeans++' | number[][],
  seed: number,
  maxIterations: number,
) {
  const result = kmeans(points, k, { initialization, seed, maxIterations, tolerance: 1e-6 });
  return result.centroids;
}

/**
 * k-means (ml-kmeans, k-means++ seeding) with several seeded restarts, keeping the lowest inertia.
 * Deterministic for a given seed.
 */
export function fitKMeans(points: number[][], k: number, options: KMeansOptions = {}): KMeansFit {
  const {
    seed = 42,
    restarts = 10,
    sampleSize = 10_000,
    warmStart,
    warmTolerance = 0.01,
    maxIterations = 100,
  } = options;
  if (points.length < k) throw new RangeError(`k-means needs at least k=${k} points, got ${points.length}`);
  const rng = createRng(seed);
  const sample = sampleIndices(points.length, sampleSize, rng).map((i) => points[i] as number[]);

  let best: { centroids: number[][]; inertia: number } | null = null;
  for (let r = 0; r < restarts; r++) {
    const centroids = lloyd(sample, k, 'kmeans++', seed + 7919 * r, maxIterations);
    const { inertia } = assign(sample, centroids);
    if (best === null || inertia < best.inertia) best = { centroids, inertia };
  }
  if (warmStart && warmStart.length === k && best) {
    const centroids = lloyd(
      sample,
      k,
      warmStart.map((c) => [...c]),
      seed,
      maxIterations,
    );
    const { inertia } = assign(sample, centroids);
    // Prefer last run's solution unless a fresh one is clearly better: segments should not reshuffle
    // between runs over a rounding difference in inertia.
    if (inertia <= best.inertia * (1 + warmTolerance)) best = { centroids, inertia };
  }
  let centroids = (best as { centroids: number[][] }).centroids;
  if (sample.length < points.length) centroids = lloyd(points, k, centroids, seed, maxIterations);
  const { labels, inertia } = assign(points, centroids);
  return { k, centroids, labels, inertia };
}
