import { cumulativeStdNormalProbability, quantileSorted } from 'simple-statistics';

/** A feature's distribution summarized by decile edges and the share of profiles in each bin. */
export interface Histogram {
  edges: number[];
  shares: number[];
}

/** Bins by the deciles of the reference values (ties collapse bins, which is fine for PSI). */
export function histogram(values: readonly number[], bins = 10): Histogram {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { edges: [], shares: [1] };
  const edges = [...new Set(Array.from({ length: bins - 1 }, (_, i) => quantileSorted(sorted, (i + 1) / bins)))];
  return { edges, shares: sharesIn(edges, values) };
}

/** Share of `values` in each bin cut by `edges` (bin i holds values ≤ edges[i]). */
export function sharesIn(edges: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let bin = edges.findIndex((e) => v <= e);
    if (bin < 0) bin = edges.length;
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts.map((c) => (values.length === 0 ? 0 : c / values.length));
}

/** Population stability index between two share vectors; empty bins are floored at 0.1 %. */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  const floor = 1e-3;
  return expected.reduce((sum, e, i) => {
    const p = Math.max(e, floor);
    const q = Math.max(actual[i] ?? 0, floor);
    return sum + (q - p) * Math.log(q / p);
  }, 0);
}

export interface ShareShift {
  segmentId: string;
  before: number;
  after: number;
  /** Two-sided p-value of the two-proportion z-test, Bonferroni-adjusted over segments. */
  pValue: number;
}

export interface DriftReport {
  features: { feature: string; psi: number }[];
  /** PSI of the segment shares themselves. */
  segmentPsi: number;
  shares: ShareShift[];
  alert: boolean;
  reasons: string[];
}

export interface DriftOptions {
  /** PSI above this is a shift worth acting on (the usual rule of thumb). */
  psiThreshold?: number;
  /** Significance level of the share test, before Bonferroni. */
  alpha?: number;
  /** A share must move at least this much (absolute) to alert: with 50k profiles, 0.5 points are "significant". */
  minShareShift?: number;
}

/**
 * Compares this run with the last: PSI per feature (binned on last run's deciles) and, since PSI
 * misses two segments swapping ten points of share, a two-proportion z-test on each segment's share.
 */
export function compareRuns(
  previous: { histograms: Record<string, Histogram>; sizes: Record<string, number> },
  current: { values: Record<string, readonly number[]>; sizes: Record<string, number> },
  options: DriftOptions = {},
): DriftReport {
  const { psiThreshold = 0.25, alpha = 0.01, minShareShift = 0.03 } = options;
  const features = Object.entries(previous.histograms).flatMap(([feature, h]) => {
    const values = current.values[feature];
    return values ? [{ feature, psi: psi(h.shares, sharesIn(h.edges, values)) }] : [];
  });
  const ids = [...new Set([...Object.keys(previous.sizes), ...Object.keys(current.sizes)])].sort();
  const n1 = ids.reduce((s, id) => s + (previous.sizes[id] ?? 0), 0);
  const n2 = ids.reduce((s, id) => s + (current.sizes[id] ?? 0), 0);
  const shares = ids.map((segmentId) => {
    const x1 = previous.sizes[segmentId] ?? 0;
    const x2 = current.sizes[segmentId] ?? 0;
    const before = n1 === 0 ? 0 : x1 / n1;
    const after = n2 === 0 ? 0 : x2 / n2;
    const pooled = n1 + n2 === 0 ? 0 : (x1 + x2) / (n1 + n2);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / Math.max(1, n1) + 1 / Math.max(1, n2)));
    const z = se === 0 ? 0 : Math.abs(after - before) / se;
    const p = 2 * (1 - cumulativeStdNormalProbability(z));
    return { segmentId, before, after, pValue: Math.min(1, p * ids.length) };
  });
  const segmentPsi = psi(
    shares.map((s) => s.before),
    shares.map((s) => s.after),
  );
  const reasons: string[] = [];
  for (const f of features) if (f.psi > psiThreshold) reasons.push(`${f.feature}: PSI ${f.psi.toFixed(2)}`);
  if (segmentPsi > psiThreshold) reasons.push(`segment shares: PSI ${segmentPsi.toFixed(2)}`);
  for (const s of shares) {
    if (s.pValue < alpha && Math.abs(s.after - s.before) >= minShareShift) {
      reasons.push(
        `${s.segmentId}: share ${(100 * s.before).toFixed(1)} % → ${(100 * s.after).toFixed(1)} % (p = ${s.pValue.toExponential(1)})`,
      );
    }
  }
  return { features, segmentPsi, shares, alert: reasons.length > 0, reasons };
}
