import { silhouette } from 'simple-statistics';
import { adjustedRandIndex } from '../metrics/adjusted-rand.js';
import { bootstrapIndices, createRng, sampleIndices } from '../random.js';
import { assign, fitKMeans } from './cluster.js';

/** The criteria computed for one k. */
export interface KCriteria {
  k: number;
  /** Within-cluster sum of squares per point on the selection sample. */
  inertia: number;
  /** Mean silhouette on a subsample, in [−1, 1]. */
  silhouette: number;
  /** Mean adjusted Rand index between the sample's clustering and clusterings of bootstrap resamples. */
  stability: number;
  /** Relative inertia drop from k − 1 to k; the elbow is where it falls under 12 %. */
  elbow: number;
  /** Share of the sample in the smallest cluster (absent in runs saved before it was measured). */
  smallest?: number;
}

export interface KSelection {
  k: number;
  criteria: KCriteria[];
  /** Why this k, in words for the report. */
  reason: string;
}

export interface ChooseKOptions {
  minK?: number;
  maxK?: number;
  seed?: number;
  /** Points used to compare values of k. */
  sampleSize?: number;
  /** Points the silhouette is computed on (it is quadratic). */
  silhouetteSize?: number;
  bootstraps?: number;
  /** k-means++ restarts of the fit each k is judged by: too few and the inertia curve is noise. */
  restarts?: number;
  /** Restarts of each bootstrap refit: with one, a bad local optimum reads as instability. */
  bootstrapRestarts?: number;
  /** A k whose smallest cluster holds less than this share of the profiles is not trusted. */
  minShare?: number;
  /** Below this bootstrap stability a k is not trusted. */
  minStability?: number;
  /** Prefer this k (last run's) when it is about as good as the best, so segments do not churn. */
  previousK?: number;
}

/** Relative inertia drop from k − 1 to k (0 for the first k). */
function inertiaGains(inertias: number[]): number[] {
  return inertias.map((w, i) => {
    const prev = inertias[i - 1];
    return prev === undefined || prev <= 0 ? 0 : 1 - w / prev;
  });
}

/**
 * The elbow: the smallest k after which one more cluster cuts inertia by less than `minGain`.
 * Customer data has no sharp knee, so a threshold on the marginal gain is steadier than curvature.
 */
export function elbowK(criteria: readonly Pick<KCriteria, 'k' | 'elbow'>[], minGain = ELBOW_MIN_GAIN): number {
  for (let i = 0; i < criteria.length - 1; i++) {
    if ((criteria[i + 1]?.elbow ?? 0) < minGain) return criteria[i]?.k ?? 0;
  }
  return criteria[criteria.length - 1]?.k ?? 0;
}

/** An extra cluster that explains less than 12 % of the remaining inertia is not worth having. */
const ELBOW_MIN_GAIN = 0.12;

/**
 * Chooses k in [minK, maxK] from three criteria, because on skewed customer data silhouette alone
 * favours k = 2 (say, new visitors against the rest). A k qualifies when its bootstrap stability is at
 * least `minStability`, its smallest cluster holds at least `minShare` of the profiles and its
 * silhouette is within 0.03 of the best qualifying one; among those within one step of the elbow of
 * the inertia curve, the best silhouette wins (else the one nearest the elbow). Last run's k is kept when it
 * still qualifies and is next to the fresh choice, so segments do not churn over a small change in
 * the elbow, yet a bad first choice is not locked in.
 */
export function chooseK(points: number[][], options: ChooseKOptions = {}): KSelection {
  const {
    minK = 2,
    maxK = 8,
    seed = 42,
    sampleSize = 2000,
    silhouetteSize = 800,
    bootstraps = 3,
    restarts = 10,
    bootstrapRestarts = 3,
    minStability = 0.75,
    minShare = MIN_SHARE,
    previousK,
  } = options;
  const rng = createRng(seed);
  const sample = sampleIndices(points.length, sampleSize, rng).map((i) => points[i] as number[]);
  const silIdx = sampleIndices(sample.length, silhouetteSize, rng);
  const silPoints = silIdx.map((i) => sample[i] as number[]);
  const top = Math.min(maxK, sample.length - 1);

  const rows: Omit<KCriteria, 'elbow'>[] = [];
  for (let k = minK; k <= top; k++) {
    const fit = fitKMeans(sample, k, { seed, restarts, sampleSize: sample.length });
    const silLabels = silIdx.map((i) => fit.labels[i] as number);
    const values = silhouette(silPoints, denseLabels(silLabels));
    const sil = values.reduce((a, b) => a + b, 0) / values.length;
    let stability = 0;
    for (let b = 0; b < bootstraps; b++) {
      const boot = bootstrapIndices(sample.length, sample.length, rng).map((i) => sample[i] as number[]);
      const bootFit = fitKMeans(boot, k, {
        seed: seed + 101 * (b + 1),
        restarts: bootstrapRestarts,
        sampleSize: boot.length,
      });
      stability += adjustedRandIndex(fit.labels, assign(sample, bootFit.centroids).labels);
    }
    const sizes = new Array<number>(k).fill(0);
    for (const l of fit.labels) sizes[l] = (sizes[l] ?? 0) + 1;
    rows.push({
      k,
      inertia: fit.inertia / sample.length,
      silhouette: sil,
      stability: stability / bootstraps,
      smallest: Math.min(...sizes) / sample.length,
    });
  }
  const elbows = inertiaGains(rows.map((r) => r.inertia));
  const criteria: KCriteria[] = rows.map((r, i) => ({ ...r, elbow: elbows[i] ?? 0 }));
  return { ...pickK(criteria, minStability, previousK, minShare), criteria };
}

/** Relabels to 0..G−1 (silhouette needs dense labels; k-means can leave a cluster empty). */
function denseLabels(labels: number[]): number[] {
  const map = new Map<number, number>();
  return labels.map((l) => {
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l) as number;
  });
}

/** Silhouettes within this of the best are all acceptable; the elbow decides among them. */
const SILHOUETTE_BAND = 0.03;

/**
 * A segment of under 2 % of the profiles is a handful of outliers k-means split off, not a
 * behaviour a marketer can act on: a k that makes one is not trusted.
 */
const MIN_SHARE = 0.02;

export function pickK(
  criteria: KCriteria[],
  minStability: number,
  previousK?: number,
  minShare = MIN_SHARE,
): { k: number; reason: string } {
  if (criteria.length === 0) throw new RangeError('no k to choose from');
  const stable = criteria.filter((c) => c.stability >= minStability && (c.smallest ?? 1) >= minShare);
  const pool = stable.length > 0 ? stable : [criteria.reduce((a, b) => (b.stability > a.stability ? b : a))];
  const bestSil = Math.max(...pool.map((c) => c.silhouette));
  const band = pool.filter((c) => c.silhouette >= bestSil - SILHOUETTE_BAND);
  const elbow = elbowK(criteria);
  const distance = (c: KCriteria) => Math.abs(c.k - elbow);
  // The elbow is a threshold on a noisy curve, so it is read as "about here": among the k in the
  // band within one step of it, the best silhouette wins (the nearest the elbow on a tie). Only
  // when none is that close does the band member nearest the elbow win.
  const near = band.filter((c) => distance(c) <= 1);
  const chosen =
    near.length > 0
      ? near.reduce((a, b) =>
          b.silhouette > a.silhouette || (b.silhouette === a.silhouette && distance(b) < distance(a)) ? b : a,
        )
      : band.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  // Last run's k is kept only to break a near tie: it must still be stable, in the silhouette band,
  // and within one step of what this run would choose afresh. A first run that chose badly is
  // therefore not carried forward: once the data point elsewhere, the fresh choice wins.
  const previous = band.find((c) => c.k === previousK);
  if (previous && Math.abs(previous.k - chosen.k) <= 1 && distance(previous) <= distance(chosen) + 1) {
    if (previous.k !== chosen.k) {
      return {
        k: previous.k,
        reason: `k=${previous.k} kept from the last run: still stable, in the silhouette band and next to this run's own choice (k=${chosen.k}; inertia elbow k=${elbow})`,
      };
    }
  }
  return {
    k: chosen.k,
    reason: `k=${chosen.k}: bootstrap stability ${chosen.stability.toFixed(2)} ≥ ${minStability}, no segment under ${minShare * 100} % of profiles, silhouette ${chosen.silhouette.toFixed(2)} within ${SILHOUETTE_BAND} of the best stable k (${bestSil.toFixed(2)}) and the best within one step of the inertia elbow (k=${elbow}, where one more cluster gains < ${ELBOW_MIN_GAIN * 100} %)`,
  };
}
