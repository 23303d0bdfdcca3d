import { describe, expect, it } from 'vitest';
import { matchSegments, slugify } from './match.js';

describe('segment matching', () => {
  it('derives ids from names for a first run', () => {
    const ids = matchSegments(
      [
        { centroid: [0, 0], name: 'Power users' },
        { centroid: [5, 5], name: 'Window shoppers' },
      ],
      [],
    );
    expect(ids.map((s) => s.id)).toEqual(['power-users', 'window-shoppers']);
    expect(ids.every((s) => s.previousId === null)).toBe(true);
  });

  it('keeps ids and names when centroids come back in another order', () => {
    const previous = [
      { id: 'loyal', name: 'Loyal', centroid: [0, 0] },
      { id: 'churn-risk', name: 'Churn risk', centroid: [4, 0] },
      { id: 'new-visitors', name: 'New visitors', centroid: [0, 4] },
    ];
    const ids = matchSegments(
      [
        { centroid: [0.2, 3.9], name: 'Occasional buyers' },
        { centroid: [0.1, 0.1], name: 'Loyal' },
        { centroid: [3.8, 0.3], name: 'Cart abandoners' },
      ],
      previous,
    );
    expect(ids.map((s) => s.id)).toEqual(['new-visitors', 'loyal', 'churn-risk']);
    expect(ids[0]?.name).toBe('New visitors');
  });

  it('finds the assignment with the least total distance, not the greedy one', () => {
    const previous = [
      { id: 'a', name: 'A', centroid: [0] },
      { id: 'b', name: 'B', centroid: [1] },
    ];
    // Greedy would give 0.9 to b (distance 0.1) and leave 0 with a distance of 1.9 to nothing better.
    const ids = matchSegments(
      [
        { centroid: [0.9], name: 'X' },
        { centroid: [1.9], name: 'Y' },
      ],
      previous,
    );
    expect(ids.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('opens a new segment when no old centroid is near', () => {
    const ids = matchSegments(
      [{ centroid: [50, 50], name: 'Loyal' }],
      [{ id: 'loyal', name: 'Loyal', centroid: [0, 0] }],
    );
    expect(ids[0]).toEqual({ id: 'loyal-2', name: 'Loyal', previousId: null });
  });

  it('slugs names for data-loupe-show', () => {
    expect(slugify('Power users')).toBe('power-users');
    expect(slugify('Occasional buyers 2')).toBe('occasional-buyers-2');
  });
});
