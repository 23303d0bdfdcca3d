import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './adjusted-rand.js';

describe('adjusted Rand index', () => {
  it('is 1 for the same partition under other label names', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], ['x', 'x', 'y', 'y', 'z'])).toBe(1);
  });

  it('matches the textbook value for a partial agreement', () => {
    // sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714…
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714, 8);
  });

  it('is near 0 for unrelated labelings', () => {
    const a = Array.from({ length: 2000 }, (_, i) => i % 4);
    const b = Array.from({ length: 2000 }, (_, i) => Math.floor(i / 500));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });
});
