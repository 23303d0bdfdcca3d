import { describe, expect, it } from 'vitest';
import { quintileScorer, rfmLabel, scoreRfm, topRevenueShare } from './rfm.js';

describe('RFM', () => {
  it('splits distinct values into five equal quintiles', () => {
    const score = quintileScorer(Array.from({ length: 100 }, (_, i) => i));
    expect([0, 19, 20, 39, 40, 60, 80, 99].map(score)).toEqual([1, 1, 2, 2, 3, 4, 5, 5]);
  });

  it('gives tied values the same score even when the tie spans several quintiles', () => {
    const frequencies = [...new Array(50).fill(1), ...new Array(30).fill(2), ...new Array(20).fill(5)];
    const score = quintileScorer(frequencies);
    expect(score(1)).toBe(1);
    expect(score(2)).toBe(3);
    expect(score(5)).toBe(5);
  });

  it('scores recent buyers high on R', () => {
    const scores = scoreRfm(
      Array.from({ length: 10 }, (_, i) => ({ recency: i * 10, frequency: 1 + (i % 3), monetary: 10 * i })),
    );
    expect(scores[0]?.r).toBe(5);
    expect(scores[9]?.r).toBe(1);
  });

  it('labels the classic RFM cells', () => {
    expect(rfmLabel(5, 5)).toBe('Champions');
    expect(rfmLabel(5, 1)).toBe('New Customers');
    expect(rfmLabel(1, 5)).toBe("Can't Lose Them");
    expect(rfmLabel(1, 1)).toBe('Hibernating');
    expect(rfmLabel(2, 3)).toBe('At Risk');
  });

  it('measures the revenue share of the top fifth of customers', () => {
    expect(topRevenueShare([100, 1, 1, 1, 1])).toBeCloseTo(100 / 104);
  });
});
