import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, type FeatureName } from './features.js';
import { nameSegments, SEGMENT_NAMES } from './name.js';

function centroid(values: Partial<Record<FeatureName, number>>): number[] {
  return FEATURE_NAMES.map((f) => values[f] ?? 0);
}

describe('segment names', () => {
  const centroids = [
    centroid({ tenure: -3, daysActive: -2 }),
    centroid({ frequency: 3, monetary: 3, sessionsPerWeek: 2.5, daysActive: 2.5 }),
    centroid({ recency: 3, frequency: 1.2, tenure: 0.5 }),
    centroid({ productViews: 2, scrollDepth: 1, cartAdds: -1, frequency: -1 }),
    centroid({ cartAbandonment: 2, cartAdds: 1.5, frequency: -1 }),
    centroid({ frequency: 0.5, cartToPurchase: 1.5, sessionsPerWeek: -1, productViews: -1 }),
    centroid({ frequency: 1.5, cartToPurchase: 1, recency: -1, tenure: 0.5 }),
  ];

  it('names each centroid by the profile it resembles', () => {
    expect(nameSegments(centroids, FEATURE_NAMES)).toEqual([
      'New visitors',
      'Power users',
      'Churn risk',
      'Window shoppers',
      'Cart abandoners',
      'Occasional buyers',
      'Loyal',
    ]);
  });

  it('never gives two segments the same name', () => {
    const names = nameSegments([...centroids, centroid({ frequency: 3.5, monetary: 3 })], FEATURE_NAMES);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => SEGMENT_NAMES.includes(n as (typeof SEGMENT_NAMES)[number]))).toHaveLength(7);
  });
});
