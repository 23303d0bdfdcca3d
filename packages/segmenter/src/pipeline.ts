import { accumulate } from './accumulate.js';
import { fitKMeans } from './stages/cluster.js';
import { chooseK, type KCriteria } from './stages/choose-k.js';
import { flagAnomalies } from './stages/anomalies.js';
import { compareRuns, type Histogram, histogram } from './stages/drift.js';
import { computeFeatures, FEATURE_NAMES, type Features } from './stages/features.js';
import { segmentFigures } from './stages/figures.js';
import { matchSegments } from './stages/match.js';
import { nameSegments } from './stages/name.js';
import { scoreRfm } from './stages/rfm.js';
import { applyTransform, fitTransform, invertTransform } from './stages/transform.js';
import type { PreviousRun, ProfileRecord, RunRecord, SegmentRecord, Segmentation } from './model.js';
import type { SegmenterSource } from './types.js';

const DAY_MS = 86_400_000;

export type SegmentPhase = 'events' | 'features' | 'choose-k' | 'cluster' | 'done';

export interface SegmentOptions {
  /** A fixed k, or `'auto'` to choose it in [minK, maxK]. */
  k?: number | 'auto';
  minK?: number;
  maxK?: number;
  /** Only events at or after this ISO date. */
  since?: string;
  writeKey?: string;
  seed?: number;
  /** Features are computed as of this moment (ISO or ms); default: the last event's time. */
  asOf?: string | number;
  /** The run's time (ISO); default: `asOf`. */
  now?: string;
  /** The last run, for stable ids, warm starts and drift. */
  previous?: PreviousRun | null;
  pageSize?: number;
  onProgress?: (phase: SegmentPhase, done: number) => void;
}

/**
 * The segmentation pipeline: stream events into per-profile features, flag anomalies, transform,
 * choose k, cluster, name, keep ids stable against the last run, score RFM, measure drift and the
 * funnel. Deterministic for a given seed and input.
 */
export async function runSegmentation(source: SegmenterSource, options: SegmentOptions = {}): Promise<Segmentation> {
  const { k: kOption = 'auto', minK = 2, maxK = 8, seed = 42, previous = null, onProgress } = options;
  const acc = await accumulate(source, {
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.writeKey !== undefined ? { writeKey: options.writeKey } : {}),
    pageSize: options.pageSize ?? 10_000,
    onProgress: (n) => onProgress?.('events', n),
  });
  const asOf =
    options.asOf === undefined
      ? Math.max(0, acc.lastAt)
      : typeof options.asOf === 'number'
        ? options.asOf
        : Date.parse(options.asOf);
  const asOfIso = new Date(asOf).toISOString();
  const now = options.now ?? asOfIso;

  const entries = [...acc.profiles.values()];
  const features = entries.map((p) => computeFeatures(p.state, asOf));
  onProgress?.('features', entries.length);
  const anomalies = flagAnomalies(
    entries.map(({ state: s }, i) => ({
      events: s.events,
      botEvents: s.botEvents,
      rapidEvents: s.rapidEvents,
      pages: s.pages,
      sessions: s.sessions + (s.session ? 1 : 0),
      sessionDuration: features[i]?.sessionDuration ?? 0,
      productViews: s.productViews,
      orders: s.orders,
      revenue: s.revenue,
      activeDays: s.activeDays,
    })),
    { seed },
  );
  const normal = entries.map((_, i) => i).filter((i) => anomalies[i] === null);

  let segments: SegmentRecord[] = [];
  let labels = new Array<number>(entries.length).fill(-1);
  let criteria: KCriteria[] = [];
  let reason = 'too few profiles to segment';
  let k = 0;
  let histograms: Record<string, Histogram> = {};
  const model = fitTransform(normal.length > 0 ? normal.map((i) => features[i] as Features) : [featuresOfNothing()]);

  if (normal.length >= Math.max(2, minK) * 2) {
    const points = normal.map((i) => applyTransform(model, features[i] as Features));
    const previousCentroids = previous?.segments.map((s) => applyTransform(model, { ...s.center }));
    if (kOption === 'auto') {
      onProgress?.('choose-k', 0);
      const selection = chooseK(points, {
        minK,
        maxK,
        seed,
        ...(previous ? { previousK: previous.run.k } : {}),
      });
      ({ k, criteria, reason } = selection);
    } else {
      k = Math.min(kOption, points.length);
      reason = `k=${k} given`;
    }
    onProgress?.('cluster', 0);
    const fit = fitKMeans(points, k, {
      seed,
      ...(previousCentroids && previousCentroids.length === k ? { warmStart: previousCentroids } : {}),
    });
    const names = nameSegments(fit.centroids, FEATURE_NAMES);
    const identities = matchSegments(
      fit.centroids.map((centroid, c) => ({ centroid, name: names[c] as string })),
      (previous?.segments ?? []).map((s, j) => ({ id: s.id, name: s.name, centroid: previousCentroids?.[j] ?? [] })),
    );
    normal.forEach((i, j) => {
      labels[i] = fit.labels[j] as number;
    });
    const groups = fit.centroids.map((_, c) =>
      normal.filter((i) => labels[i] === c).map((i) => (entries[i] as (typeof entries)[number]).state),
    );
    const figures = segmentFigures(groups, asOf);
    segments = fit.centroids.map((centroid, c) => ({
      id: (identities[c] as { id: string }).id,
      name: (identities[c] as { name: string }).name,
      centroid,
      center: invertTransform(model, centroid),
      size: groups[c]?.length ?? 0,
      figures: figures[c] as SegmentRecord['figures'],
    }));
    histograms = Object.fromEntries(
      FEATURE_NAMES.map((n) => [n, histogram(normal.map((i) => (features[i] as Features)[n] ?? 0))]),
    );
  } else {
    labels = new Array<number>(entries.length).fill(-1);
  }

  // RFM among customers (at least one order), scored against each other.
  const customers = entries.map((_, i) => i).filter((i) => (entries[i]?.state.orders ?? 0) > 0);
  const rfmScores = scoreRfm(
    customers.map((i) => {
      const s = (entries[i] as (typeof entries)[number]).state;
      return { recency: (asOf - (s.lastOrder ?? s.last)) / DAY_MS, frequency: s.orders, monetary: s.revenue };
    }),
  );
  const rfmOf = new Map(customers.map((i, j) => [i, rfmScores[j] ?? null]));

  const profiles: ProfileRecord[] = entries.map((p, i) => ({
    key: p.key,
    userId: p.userId,
    anonymousIds: [...p.anonymousIds].sort(),
    features: features[i] as Features,
    segmentId: labels[i] === -1 ? null : (segments[labels[i] as number]?.id ?? null),
    rfm: rfmOf.get(i) ?? null,
    anomaly: anomalies[i] ?? null,
    state: p.state,
    updatedAt: now,
  }));

  const sizes = Object.fromEntries(segments.map((s) => [s.id, s.size]));
  const drift =
    previous && segments.length > 0
      ? compareRuns(
          {
            histograms: previous.run.histograms,
            sizes: Object.fromEntries(previous.segments.map((s) => [s.id, s.size])),
          },
          {
            values: Object.fromEntries(
              FEATURE_NAMES.map((n) => [n, normal.map((i) => (features[i] as Features)[n] ?? 0)]),
            ),
            sizes,
          },
        )
      : null;

  const run: RunRecord = {
    id: `run-${now}`,
    at: now,
    asOf: asOfIso,
    k,
    kSource: kOption === 'auto' ? 'auto' : 'given',
    criteria,
    reason,
    seed,
    events: acc.events,
    profiles: entries.length,
    anomalies: entries.length - normal.length,
    model,
    histograms,
    drift,
    funnel: acc.funnel,
  };
  onProgress?.('done', entries.length);
  return { run, segments, profiles };
}

function featuresOfNothing(): Features {
  return Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])) as Features;
}

/** What the next run needs of this one. */
export function toPreviousRun(segmentation: Segmentation): PreviousRun {
  return { run: segmentation.run, segments: segmentation.segments };
}
