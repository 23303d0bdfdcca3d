import { linearSumAssignment } from 'linear-sum-assignment';
import type { FeatureName } from './features.js';

/** The segment names, in the order the report lists them. */
export const SEGMENT_NAMES = [
  'Power users',
  'Loyal',
  'Churn risk',
  'Occasional buyers',
  'Window shoppers',
  'Cart abandoners',
  'New visitors',
] as const;
export type SegmentName = (typeof SEGMENT_NAMES)[number];

/**
 * What each name means, as weights on model-space coordinates (median-centered, IQR-scaled, then unit variance):
 * a centroid fits a name by the dot product of its coordinates with these weights. Tenure is not among
 * them: it has no weight in model space (see FEATURE_WEIGHTS), so New visitors are the centroid with
 * the fewest active days.
 */
export const NAME_PROTOTYPES: Record<SegmentName, Partial<Record<FeatureName, number>>> = {
  'Power users': { frequency: 1, monetary: 1, sessionsPerWeek: 1, daysActive: 1, recency: -0.5 },
  Loyal: { frequency: 1, cartToPurchase: 1, recency: -1, sessionsPerWeek: -0.5 },
  'Churn risk': { recency: 2, frequency: 0.5 },
  'Occasional buyers': { frequency: 0.5, cartToPurchase: 1, sessionsPerWeek: -1, productViews: -0.5 },
  'Window shoppers': { productViews: 1, scrollDepth: 0.5, viewToCart: -1, cartAdds: -1, frequency: -0.5 },
  'Cart abandoners': { cartAbandonment: 1.5, cartAdds: 1, frequency: -0.5, cartToPurchase: -0.5 },
  'New visitors': { daysActive: -1 },
};

/** How well a centroid fits each name (rows: centroids, columns: SEGMENT_NAMES). */
export function nameFit(centroids: readonly (readonly number[])[], features: readonly FeatureName[]): number[][] {
  return centroids.map((c) =>
    SEGMENT_NAMES.map((name) => {
      const weights = NAME_PROTOTYPES[name];
      return features.reduce((sum, f, i) => sum + (weights[f] ?? 0) * (c[i] ?? 0), 0);
    }),
  );
}

/**
 * One name per segment: the assignment of names to centroids with the best total fit (Hungarian
 * method). With more segments than names, the extra ones take their best-fitting name plus a number.
 */
export function nameSegments(centroids: readonly (readonly number[])[], features: readonly FeatureName[]): string[] {
  const fit = nameFit(centroids, features);
  if (fit.length === 0) return [];
  const { rowAssignments } = linearSumAssignment(fit, { maximaze: true });
  const names = fit.map((_, i) => {
    const assigned = rowAssignments[i] ?? -1;
    return assigned >= 0 ? (SEGMENT_NAMES[assigned] as string) : null;
  });
  const used = new Map<string, number>(names.flatMap((n) => (n === null ? [] : [[n, 1] as const])));
  fit.forEach((row, i) => {
    if (names[i] !== null) return;
    const best = SEGMENT_NAMES[row.indexOf(Math.max(...row))] as string;
    const n = (used.get(best) ?? 0) + 1;
    used.set(best, n);
    names[i] = `${best} ${n}`;
  });
  return names as string[];
}
