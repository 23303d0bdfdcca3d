import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { adjustedRandIndex } from '../metrics/adjusted-rand.js';
import { fitKMeans } from './cluster.js';
import { chooseK, elbowK, type KCriteria, pickK } from './choose-k.js';

/** Well-separated blobs of different sizes around the given centers. */
function blobs(centers: number[][], sizes: number[], seed = 1) {
  const rng = createRng(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  centers.forEach((c, i) => {
    for (let n = 0; n < (sizes[i] ?? 0); n++) {
      points.push(c.map((x) => x + (rng.next() - 0.5)));
      labels.push(i);
    }
  });
  return { points, labels };
}

const CENTERS = [
  [0, 0, 0],
  [6, 0, 0],
  [0, 6, 0],
  [0, 0, 6],
];

describe('k-means', () => {
  it('recovers separated groups', () => {
    const { points, labels } = blobs(CENTERS, [300, 100, 50, 150]);
    const fit = fitKMeans(points, 4, { seed: 3 });
    expect(adjustedRandIndex(labels, fit.labels)).toBe(1);
  });

  it('gives identical output for the same seed', () => {
    const { points } = blobs(CENTERS, [200, 200, 200, 200]);
    const a = fitKMeans(points, 5, { seed: 9, sampleSize: 300 });
    const b = fitKMeans(points, 5, { seed: 9, sampleSize: 300 });
    expect(a).toEqual(b);
  });

  it('keeps the warm start when it is as good as a fresh restart', () => {
    const { points } = blobs(CENTERS, [100, 100, 100, 100]);
    const warm = [...CENTERS].reverse();
    const fit = fitKMeans(points, 4, { seed: 1, warmStart: warm });
    // Cluster i stays near warm centroid i: the order of last run's segments survives.
    fit.centroids.forEach((c, i) => {
      expect(Math.hypot(...c.map((x, d) => x - (warm[i]?.[d] ?? 0)))).toBeLessThan(0.5);
    });
  });
});

describe('choosing k', () => {
  it('finds the planted number of groups', () => {
    const { points } = blobs(CENTERS, [400, 150, 80, 200], 2);
    const selection = chooseK(points, { seed: 5, bootstraps: 3 });
    expect(selection.k).toBe(4);
    expect(selection.criteria.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('puts the elbow where one more cluster stops paying', () => {
    const criteria = [
      { k: 2, elbow: 0 },
      { k: 3, elbow: 0.4 },
      { k: 4, elbow: 0.3 },
      { k: 5, elbow: 0.05 },
      { k: 6, elbow: 0.2 },
    ];
    expect(elbowK(criteria)).toBe(4);
  });

  describe('among qualifying k', () => {
    // Stable and in the silhouette band everywhere; the elbow is at k = 7 (k = 7 still gains 12 %, k = 8 5 %).
    const base: KCriteria[] = [2, 3, 4, 5, 6, 7, 8].map((k) => ({
      k,
      inertia: 10 / k,
      silhouette: 0.45,
      stability: 0.9,
      elbow: k === 2 ? 0 : k <= 6 ? 0.3 : k === 7 ? 0.12 : 0.05,
      smallest: 0.05,
    }));

    it('lets the best silhouette within one step of the elbow win', () => {
      const withSil = (s: Record<number, number>) => base.map((c) => ({ ...c, silhouette: s[c.k] ?? c.silhouette }));
      expect(pickK(base, 0.75).k).toBe(7);
      expect(pickK(withSil({ 6: 0.47, 7: 0.46 }), 0.75).k).toBe(6);
      expect(pickK(withSil({ 5: 0.47 }), 0.75).k).toBe(7);
    });

    it('does not trust a k that splits off a handful of outliers', () => {
      const tiny = base.map((c) => (c.k >= 7 ? { ...c, smallest: 0.008 } : c));
      expect(pickK(tiny, 0.75).k).toBe(6);
    });
  });

  describe("last run's k", () => {
    // Every k stable and in the silhouette band; the elbow is at k = 6.
    const criteria: KCriteria[] = [2, 3, 4, 5, 6, 7, 8].map((k) => ({
      k,
      inertia: 10 / k,
      silhouette: 0.5,
      stability: 0.9,
      elbow: k === 2 ? 0 : k <= 6 ? 0.3 : 0.05,
    }));

    it("is kept when it is next to this run's own choice", () => {
      expect(pickK(criteria, 0.75, 7).k).toBe(7);
      expect(pickK(criteria, 0.75, 5).k).toBe(5);
    });

    it('does not lock in a bad first choice', () => {
      expect(pickK(criteria, 0.75).k).toBe(6);
      expect(pickK(criteria, 0.75, 2).k).toBe(6);
      expect(pickK(criteria, 0.75, 8).k).toBe(6);
    });

    it('is dropped when it is no longer stable', () => {
      const shaky = criteria.map((c) => (c.k === 7 ? { ...c, stability: 0.4 } : c));
      expect(pickK(shaky, 0.75, 7).k).toBe(6);
    });
  });
});
