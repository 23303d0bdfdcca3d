import { createRng, type Rng, sampleIndices } from '../random.js';

/**
 * Isolation forest (Liu, Ting & Zhou 2008) on subsamples: anomalies are the points that random
 * axis-aligned cuts isolate in few steps. Written here because the npm implementations take no seed,
 * and the segmenter's output must be reproducible.
 */
export interface IsolationForest {
  /** Anomaly score in (0, 1): about 0.5 for ordinary points, near 1 for anomalies. */
  score(point: readonly number[]): number;
}

type Node = { leaf: true; size: number } | { leaf: false; dim: number; cut: number; left: Node; right: Node };

/** Average path length of an unsuccessful search in a binary search tree of n points. */
function averagePath(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n;
}

function grow(points: readonly (readonly number[])[], depth: number, maxDepth: number, rng: Rng): Node {
  if (depth >= maxDepth || points.length <= 1) return { leaf: true, size: points.length };
  const dims = points[0]?.length ?? 0;
  // Try a few dimensions: a constant one cannot split.
  for (let attempt = 0; attempt < dims; attempt++) {
    const dim = rng.int(dims);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const p of points) {
      const v = p[dim] ?? 0;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi <= lo) continue;
    const cut = lo + rng.next() * (hi - lo);
    const left = points.filter((p) => (p[dim] ?? 0) < cut);
    const right = points.filter((p) => (p[dim] ?? 0) >= cut);
    return {
      leaf: false,
      dim,
      cut,
      left: grow(left, depth + 1, maxDepth, rng),
      right: grow(right, depth + 1, maxDepth, rng),
    };
  }
  return { leaf: true, size: points.length };
}

function pathLength(node: Node, point: readonly number[], depth: number): number {
  if (node.leaf) return depth + averagePath(node.size);
  return pathLength((point[node.dim] ?? 0) < node.cut ? node.left : node.right, point, depth + 1);
}

export interface IsolationForestOptions {
  trees?: number;
  /** Points per tree: the paper's 256 works from thousands to millions of points. */
  subsample?: number;
  seed?: number;
}

export function fitIsolationForest(
  points: readonly (readonly number[])[],
  options: IsolationForestOptions = {},
): IsolationForest {
  const { trees = 100, subsample = 256, seed = 42 } = options;
  const rng = createRng(seed);
  const size = Math.min(subsample, points.length);
  const maxDepth = Math.ceil(Math.log2(Math.max(2, size)));
  const forest = Array.from({ length: trees }, () =>
    grow(
      sampleIndices(points.length, size, rng).map((i) => points[i] as number[]),
      0,
      maxDepth,
      rng,
    ),
  );
  const norm = averagePath(size);
  return {
    score(point) {
      if (norm === 0) return 0.5;
      const mean = forest.reduce((sum, tree) => sum + pathLength(tree, point, 0), 0) / forest.length;
      return 2 ** (-mean / norm);
    },
  };
}

/** What anomaly detection looks at for one profile. */
export interface AnomalyInput {
  events: number;
  botEvents: number;
  rapidEvents: number;
  pages: number;
  sessions: number;
  /** Minutes per visit. */
  sessionDuration: number;
  productViews: number;
  orders: number;
  revenue: number;
  activeDays: number;
}

/**
 * Pace and volume, where bots and fraud stand out: events per visit, share of sub-second gaps,
 * seconds per page, product views per visit, orders per active day, order value.
 */
export function anomalyVector(p: AnomalyInput): number[] {
  const sessions = Math.max(1, p.sessions);
  return [
    Math.log1p(p.events / sessions),
    p.events <= 1 ? 0 : p.rapidEvents / (p.events - 1),
    Math.log1p((p.sessionDuration * 60) / Math.max(1, p.pages / sessions)),
    Math.log1p(p.productViews / sessions),
    Math.log1p(p.orders / Math.max(1, p.activeDays)),
    Math.log1p(p.orders === 0 ? 0 : Math.max(0, p.revenue) / p.orders),
  ];
}

export interface AnomalyOptions {
  seed?: number;
  /** Isolation score at or above which a profile is flagged. */
  threshold?: number;
  /** Share of a profile's events flagged as bots (by user agent) that marks the profile a bot. */
  botShare?: number;
  /** Share of sub-second gaps between events at or above which a profile is paced like a machine. */
  rapidShare?: number;
  /** Events a profile needs before its pace is judged (a human double click is not a bot). */
  rapidMinEvents?: number;
}

export interface AnomalyResult {
  reason: 'bot-user-agent' | 'bot-pace' | 'isolated';
  score: number;
}

/**
 * Flags bot-like and fraud-like profiles: those whose user agent says bot, those the isolation
 * forest isolates quickly, and those paced like a machine (most of many events under a second apart).
 * A score of 0.65 is well past the 0.5 of ordinary points; it keeps heavy but human buyers (who are
 * merely in the tail of one or two axes) in. The pace rule catches what the forest cannot: scrapers
 * posing as browsers are alike, so when there are many of them they mask each other in the forest's
 * subsamples and stop looking isolated.
 */
export function flagAnomalies(inputs: readonly AnomalyInput[], options: AnomalyOptions = {}): (AnomalyResult | null)[] {
  const { seed = 42, threshold = 0.65, botShare = 0.5, rapidShare = 0.6, rapidMinEvents = 50 } = options;
  if (inputs.length === 0) return [];
  const vectors = inputs.map(anomalyVector);
  const forest = fitIsolationForest(vectors, { seed });
  return inputs.map((p, i) => {
    const score = forest.score(vectors[i] as number[]);
    if (p.events > 0 && p.botEvents / p.events >= botShare) return { reason: 'bot-user-agent', score };
    if (score >= threshold) return { reason: 'isolated', score };
    if (p.events >= rapidMinEvents && p.rapidEvents / (p.events - 1) >= rapidShare)
      return { reason: 'bot-pace', score };
    return null;
  });
}
