/** A customer's purchase history in RFM terms. */
export interface RfmInput {
  /** Days since the last purchase. */
  recency: number;
  /** Number of purchases. */
  frequency: number;
  /** Net revenue. */
  monetary: number;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
  label: string;
}

/**
 * Quintile scores 1–5 where tied values always share a score: a value scores by the share of
 * customers strictly below it, so when half the customers bought once (usual: frequency is heavily
 * tied) they all get F = 1 and the next score starts above them, instead of an arbitrary cut through
 * the tie.
 */
export function quintileScorer(values: readonly number[]): (value: number) => number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return (value) => {
    if (n === 0) return 1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(5, 1 + Math.floor((lo / n) * 5));
  };
}

/** The classic RFM segment names on the recency × frequency grid. */
export function rfmLabel(r: number, f: number): string {
  if (r >= 5 && f >= 4) return 'Champions';
  if (r >= 3 && f >= 4) return 'Loyal Customers';
  if (r >= 4 && f >= 2) return 'Potential Loyalists';
  if (r === 5 && f === 1) return 'New Customers';
  if (r === 4 && f === 1) return 'Promising';
  if (r === 3 && f === 3) return 'Need Attention';
  if (r === 3 && f <= 2) return 'About to Sleep';
  if (r <= 2 && f === 5) return "Can't Lose Them";
  if (r <= 2 && f >= 3) return 'At Risk';
  return 'Hibernating';
}

/**
 * Scores customers (people with at least one purchase) against each other. Recency scores inversely:
 * the most recent fifth gets R = 5.
 */
export function scoreRfm(customers: readonly RfmInput[]): RfmScore[] {
  // Negated recency so "more is better" on all three axes and ties stay tied.
  const r = quintileScorer(customers.map((c) => -c.recency));
  const f = quintileScorer(customers.map((c) => c.frequency));
  const m = quintileScorer(customers.map((c) => c.monetary));
  return customers.map((c) => {
    const score = { r: r(-c.recency), f: f(c.frequency), m: m(c.monetary) };
    return { ...score, label: rfmLabel(score.r, score.f) };
  });
}

/** Share of total revenue brought by the top `fraction` of customers by revenue. */
export function topRevenueShare(monetary: readonly number[], fraction = 0.2): number {
  const sorted = [...monetary].sort((a, b) => b - a);
  const total = sorted.reduce((a, b) => a + b, 0);
  const top = Math.round(sorted.length * fraction);
  return total === 0 ? 0 : sorted.slice(0, top).reduce((a, b) => a + b, 0) / total;
}
