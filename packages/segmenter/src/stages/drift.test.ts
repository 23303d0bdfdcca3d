import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { compareRuns, histogram, psi } from './drift.js';

describe('drift', () => {
  const rng = createRng(7);
  const values = Array.from({ length: 5000 }, () => rng.next() * 100);

  it('computes no PSI for identical distributions and a large one for a shifted one', () => {
    const h = histogram(values);
    expect(psi(h.shares, h.shares)).toBe(0);
    const shifted = values.map((v) => v * 0.5);
    const report = compareRuns({ histograms: { x: h }, sizes: { a: 1 } }, { values: { x: shifted }, sizes: { a: 1 } });
    expect(report.features[0]?.psi).toBeGreaterThan(0.25);
    expect(report.alert).toBe(true);
  });

  it('alerts on a 5-point swap between two segments that PSI alone misses', () => {
    const report = compareRuns(
      { histograms: {}, sizes: { a: 2000, b: 1500, c: 1500 } },
      { values: {}, sizes: { a: 1750, b: 1750, c: 1500 } },
    );
    expect(report.segmentPsi).toBeLessThan(0.25);
    expect(report.alert).toBe(true);
    expect(report.reasons.join()).toMatch(/a: share 40.0 % → 35.0 %/);
  });

  it('stays quiet on sampling noise between stable runs', () => {
    let alerts = 0;
    for (let run = 0; run < 20; run++) {
      const sizes: Record<string, number> = { a: 0, b: 0, c: 0 };
      for (let i = 0; i < 5000; i++) {
        const u = rng.next();
        const id = u < 0.4 ? 'a' : u < 0.7 ? 'b' : 'c';
        sizes[id] = (sizes[id] ?? 0) + 1;
      }
      const again = Array.from({ length: 5000 }, () => rng.next() * 100);
      const report = compareRuns(
        { histograms: { x: histogram(values) }, sizes: { a: 2000, b: 1500, c: 1500 } },
        { values: { x: again }, sizes },
      );
      if (report.alert) alerts += 1;
    }
    expect(alerts).toBeLessThanOrEqual(1);
  });
});
