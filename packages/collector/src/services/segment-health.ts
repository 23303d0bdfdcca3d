import type { RunRecord, SegmentRecord, SegmentStore } from '@loupe/segmenter';

/** ok; shifted: its share moved significantly since the last run; small: under 2 % of people; empty. */
export type SegmentStatus = 'ok' | 'shifted' | 'small' | 'empty';
/** ok; drift: the last run raised a drift alert; stale: the last run is older than expected; no-run. */
export type RunStatus = 'ok' | 'drift' | 'stale' | 'no-run';

export interface SegmentHealth {
  status: SegmentStatus;
  /** Share of segmented people at the last run, and at the run before (null on a first run). */
  share: number;
  shareBefore: number | null;
  /** Bonferroni-adjusted p-value of the share change (null on a first run). */
  pValue: number | null;
  /** Members now, live assignments since the run included. */
  liveSize: number;
}

export interface SegmentOverview {
  id: string;
  name: string;
  /** Members at the last run. */
  size: number;
  centroid: number[];
  center: SegmentRecord['center'];
  figures: SegmentRecord['figures'];
  health: SegmentHealth;
}

export interface SegmentsOverview {
  health: { status: RunStatus; reasons: string[]; lastRunAt: string | null; ageHours: number | null };
  /** The last run without its model and histograms (internal to live assignment and drift). */
  lastRun: Omit<RunRecord, 'model' | 'histograms'> | null;
  segments: SegmentOverview[];
  /** Recent runs, newest first. */
  runs: {
    id: string;
    at: string;
    k: number;
    events: number;
    profiles: number;
    anomalies: number;
    driftAlert: boolean;
  }[];
}

const SMALL_SHARE = 0.02;
const SHIFT_ALPHA = 0.01;

/** What `GET /v1/admin/segments` and the dashboard show: segments with sizes, centroids, health and the last run. */
export async function segmentsOverview(
  store: SegmentStore,
  { now, staleAfterMs }: { now: Date; staleAfterMs: number },
): Promise<SegmentsOverview> {
  const [latest, runs, live] = await Promise.all([store.latestRun(), store.listRuns(20), store.countBySegment()]);
  const history = runs.map((r) => ({
    id: r.id,
    at: r.at,
    k: r.k,
    events: r.events,
    profiles: r.profiles,
    anomalies: r.anomalies,
    driftAlert: r.drift?.alert ?? false,
  }));
  if (!latest) {
    return {
      health: {
        status: 'no-run',
        reasons: ['no segmentation run yet: run loupe segment'],
        lastRunAt: null,
        ageHours: null,
      },
      lastRun: null,
      segments: [],
      runs: history,
    };
  }
  const { model: _model, histograms: _histograms, ...lastRun } = latest.run;
  const total = latest.segments.reduce((sum, s) => sum + s.size, 0);
  const shifts = new Map((latest.run.drift?.shares ?? []).map((s) => [s.segmentId, s]));
  const segments = latest.segments.map((s): SegmentOverview => {
    const share = total === 0 ? 0 : s.size / total;
    const shift = shifts.get(s.id);
    const status: SegmentStatus =
      s.size === 0
        ? 'empty'
        : shift && shift.pValue < SHIFT_ALPHA && latest.run.drift?.alert
          ? 'shifted'
          : share < SMALL_SHARE
            ? 'small'
            : 'ok';
    return {
      id: s.id,
      name: s.name,
      size: s.size,
      centroid: s.centroid,
      center: s.center,
      figures: s.figures,
      health: {
        status,
        share,
        shareBefore: shift?.before ?? null,
        pValue: shift?.pValue ?? null,
        liveSize: live[s.id] ?? 0,
      },
    };
  });
  const ageMs = now.getTime() - Date.parse(latest.run.at);
  const reasons: string[] = [];
  if (latest.run.drift?.alert) reasons.push(...latest.run.drift.reasons);
  const stale = ageMs > staleAfterMs;
  if (stale) reasons.push(`the last run is ${(ageMs / 3_600_000).toFixed(0)} h old`);
  const status: RunStatus = latest.run.drift?.alert ? 'drift' : stale ? 'stale' : 'ok';
  return {
    health: { status, reasons, lastRunAt: latest.run.at, ageHours: ageMs / 3_600_000 },
    lastRun,
    segments,
    runs: history,
  };
}
