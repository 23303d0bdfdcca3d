import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, type Features } from './features.js';
import { applyTransform, fitTransform, invertTransform, signedLog1p } from './transform.js';

function features(overrides: Partial<Features>): Features {
  const base = Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])) as Features;
  return { ...base, ...overrides };
}

describe('transform', () => {
  const rows = Array.from({ length: 101 }, (_, i) =>
    features({ monetary: i * i * 10, scrollDepth: i, viewToCart: i % 2 === 0 ? null : 0.5 }),
  );
  const model = fitTransform(rows);
  const index = (name: string) => FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number]);

  it('centers every feature on its median', () => {
    const median = features({ monetary: 50 * 50 * 10, scrollDepth: 50 });
    const v = applyTransform(model, median);
    expect(v[index('monetary')]).toBeCloseTo(0);
    expect(v[index('scrollDepth')]).toBeCloseTo(0);
  });

  it('compresses heavy tails with log1p and clips extremes', () => {
    const whale = applyTransform(model, features({ monetary: 1e12 }));
    const f = model.features[index('monetary')];
    expect(whale[index('monetary')]).toBeCloseTo(model.clip / (f?.unit ?? 1));
    expect(signedLog1p(-9)).toBeCloseTo(-Math.log(10));
  });

  it('fills missing values with the documented default instead of failing', () => {
    const v = applyTransform(model, features({ viewToCart: null }));
    expect(v.every(Number.isFinite)).toBe(true);
  });

  it('puts an unknown scroll depth at the median, where it adds nothing to distances', () => {
    const v = applyTransform(model, features({ scrollDepth: null }));
    expect(v[index('scrollDepth')]).toBe(0);
    const sparse = fitTransform(Array.from({ length: 100 }, (_, i) => features({ scrollDepth: i < 60 ? null : i })));
    // The median of the known values (60…99), not of the unknown ones read as 0 %.
    expect(sparse.features[index('scrollDepth')]?.center).toBeCloseTo(79.5);
  });

  it('leaves tenure out of distances: when someone first came is not how they behave', () => {
    const fresh = applyTransform(model, features({ tenure: 0 }));
    const old = applyTransform(model, features({ tenure: 400 }));
    expect(fresh).toEqual(old);
  });

  it('scales a zero-inflated feature without dividing by zero', () => {
    const sparse = fitTransform(Array.from({ length: 100 }, (_, i) => features({ cartAdds: i >= 90 ? 3 : 0 })));
    const f = sparse.features[index('cartAdds')];
    expect(f?.scale).toBeGreaterThan(0);
  });

  it('gives every varying feature unit variance in model space', () => {
    const points = rows.map((r) => applyTransform(model, r));
    for (const name of ['monetary', 'scrollDepth', 'viewToCart']) {
      const col = points.map((p) => p[index(name)] as number);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      expect(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length).toBeCloseTo(1, 6);
    }
  });

  it('inverts model space back to feature units', () => {
    const row = features({ monetary: 1234, scrollDepth: 42 });
    const back = invertTransform(model, applyTransform(model, row));
    expect(back.monetary).toBeCloseTo(1234, 6);
    expect(back.scrollDepth).toBeCloseTo(42, 6);
  });
});
