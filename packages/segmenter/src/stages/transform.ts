import { quantileSorted } from 'simple-statistics';
import { FEATURE_NAMES, type FeatureName, type Features } from './features.js';

/** How one feature enters the model. */
export interface FeatureSpec {
  name: FeatureName;
  /** Heavy-tailed counts and amounts are compressed with a signed log1p before scaling. */
  log: boolean;
  /**
   * The value used when the feature does not exist for a profile (a rate with no denominator), or
   * `'median'`: unknown, so the profile sits at the feature's median and it does not count in distances.
   */
  missing: number | 'median';
  /** Multiplies the scaled value: how much the feature counts in distances (0 leaves it out). */
  weight: number;
}

export interface FittedFeature extends FeatureSpec {
  /** Median of the (logged) feature. */
  center: number;
  /** Interquartile range of the (logged) feature, or a fallback spread when it is 0. */
  scale: number;
  /**
   * Standard deviation of the clipped robust z-score over the fitted profiles: dividing by it gives
   * every feature unit variance in model space. Robust scaling alone leaves zero-inflated and
   * bimodal features (cart abandonment, tenure) several times wider than the rest, and k-means then
   * spends its clusters cutting their tails instead of separating behaviours. Absent (1) in models
   * saved before it existed.
   */
  unit?: number;
}

/** A fitted transform: features → model space, and back. */
export interface TransformModel {
  features: FittedFeature[];
  /** Scaled values are clipped to ±clip so a few extreme profiles cannot drag centroids. */
  clip: number;
}

/**
 * Distance weights (1 unless listed; 0 leaves a feature out). Every feature has unit variance in model
 * space, so none needs a weight to be heard; the half weights the robust-scaled space gave the
 * features that restate others are gone. Recency keeps one and a half: it is the one feature that
 * tells a lapsing customer (churn risk) from a loyal one, who are alike in everything else, and RFM
 * puts it first; at equal weight the split between them gains too little inertia to be chosen.
 * Tenure is left out: when someone first came is not how they behave. Newcomers keep arriving, and
 * one who fills a cart and leaves it is a cart abandoner; in distances, tenure (at its extreme for
 * everyone new, and taken with recency and days active) outweighed the abandoned cart and kept them in
 * New visitors. New visitors are still told apart by their few active days, recency and light browsing.
 */
export const FEATURE_WEIGHTS: Partial<Record<FeatureName, number>> = { recency: 1.5, tenure: 0 };

/**
 * Which features are heavy-tailed and what "missing" means for each. Rates with no denominator count
 * as 0 (nothing to convert, nothing abandoned); velocity with fewer than two orders is 0. A scroll
 * depth that was never measured is unknown, not 0 %.
 */
export const DEFAULT_FEATURE_SPECS: readonly FeatureSpec[] = FEATURE_NAMES.map((name) => ({
  name,
  log: !['scrollDepth', 'cartAbandonment', 'viewToCart', 'cartToPurchase', 'engagement'].includes(name),
  missing: name === 'scrollDepth' ? 'median' : 0,
  weight: FEATURE_WEIGHTS[name] ?? 1,
}));

/** log1p that keeps the sign, so refunds (negative monetary value) stay defined. */
export const signedLog1p = (x: number): number => Math.sign(x) * Math.log1p(Math.abs(x));
const signedExpm1 = (y: number): number => Math.sign(y) * Math.expm1(Math.abs(y));

/** The value that enters scaling: logged where heavy-tailed; NaN when unknown (`missing: 'median'`). */
function prepared(spec: FeatureSpec, value: number | null): number {
  if (value === null) {
    if (spec.missing === 'median') return Number.NaN;
    value = spec.missing;
  }
  return spec.log ? signedLog1p(value) : value;
}

function robustSpread(sorted: number[]): number {
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  if (iqr > 1e-9) return iqr;
  // Zero-inflated features (most people never add to cart) have no IQR: use the 5–95 % range,
  // scaled to what an IQR would be for a normal distribution (3.29 σ vs 1.35 σ).
  const wide = ((quantileSorted(sorted, 0.95) - quantileSorted(sorted, 0.05)) * 1.349) / 3.29;
  if (wide > 1e-9) return wide;
  const range = (sorted[sorted.length - 1] ?? 0) - (sorted[0] ?? 0);
  return range > 1e-9 ? range : 1;
}

/** Fits median / IQR scaling, then unit variance, on the profiles given (anomalies left out by the caller). */
export function fitTransform(
  rows: readonly Features[],
  specs: readonly FeatureSpec[] = DEFAULT_FEATURE_SPECS,
  clip = 5,
): TransformModel {
  if (rows.length === 0) throw new RangeError('fitTransform needs at least one profile');
  const features = specs.map((spec) => {
    const values = rows.map((r) => prepared(spec, r[spec.name]));
    const known = values.filter((v) => !Number.isNaN(v));
    const sorted = (known.length > 0 ? known : [0]).sort((a, b) => a - b);
    const center = quantileSorted(sorted, 0.5);
    const scale = robustSpread(sorted);
    let sum = 0;
    let sumSq = 0;
    for (const v of values) {
      // Unknown values sit at the median (z = 0), in the fit as in applyTransform.
      const z = Number.isNaN(v) ? 0 : Math.max(-clip, Math.min(clip, (v - center) / scale));
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / values.length;
    const sd = Math.sqrt(Math.max(0, sumSq / values.length - mean * mean));
    return { ...spec, center, scale, unit: sd > 1e-6 ? sd : 1 };
  });
  return { features, clip };
}

/** A profile's features in model space. */
export function applyTransform(model: TransformModel, row: Features): number[] {
  return model.features.map((f) => {
    const v = prepared(f, row[f.name]);
    const z = Number.isNaN(v) ? 0 : (v - f.center) / f.scale;
    return (f.weight * Math.max(-model.clip, Math.min(model.clip, z))) / (f.unit ?? 1);
  });
}

/** A point of model space in feature units (a centroid as a "typical profile"). */
export function invertTransform(model: TransformModel, vector: readonly number[]): Record<FeatureName, number> {
  const out = {} as Record<FeatureName, number>;
  model.features.forEach((f, i) => {
    const y = (f.weight === 0 ? 0 : ((vector[i] ?? 0) * (f.unit ?? 1)) / f.weight) * f.scale + f.center;
    out[f.name] = f.log ? signedExpm1(y) : y;
  });
  return out;
}
