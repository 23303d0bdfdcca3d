import type { FeatureName, Features, ProfileState } from './stages/features.js';
import type { Funnel } from './stages/funnel.js';
import type { KCriteria } from './stages/choose-k.js';
import type { DriftReport, Histogram } from './stages/drift.js';
import type { RfmScore } from './stages/rfm.js';
import type { TransformModel } from './stages/transform.js';

/** What a marketer compares segments on. */
export interface SegmentFigures {
  /** Share of members with at least one order. */
  conversionRate: number;
  /** Revenue per order. */
  averageOrderValue: number;
  /** Share of all revenue. */
  revenueShare: number;
  /** Of members first seen 30+ days ago, the share still active 30 days after their first visit. */
  retention30: number;
}

export interface SegmentRecord {
  /** Stable across runs (`power-users`); what `data-loupe-show` names. */
  id: string;
  name: string;
  /** Centroid in this run's model space. */
  centroid: number[];
  /** The centroid in feature units: the segment's typical profile. */
  center: Record<FeatureName, number>;
  size: number;
  figures: SegmentFigures;
}

export interface AnomalyFlag {
  reason: 'bot-user-agent' | 'bot-pace' | 'isolated';
  /** Isolation-forest score in (0, 1). */
  score: number;
}

export interface ProfileRecord {
  /** `u:<userId>` or `a:<anonymousId>`. */
  key: string;
  userId: string | null;
  anonymousIds: string[];
  features: Features;
  segmentId: string | null;
  rfm: RfmScore | null;
  anomaly: AnomalyFlag | null;
  /** The accumulators behind the features, so live assignment can fold in new events. */
  state: ProfileState;
  /** When the profile last had its segment computed (ISO). */
  updatedAt: string;
}

/** A run: what it chose and why, and what the next run and live assignment need from it. */
export interface RunRecord {
  id: string;
  /** When the run happened (ISO). */
  at: string;
  /** The moment features were computed as of (ISO). */
  asOf: string;
  k: number;
  kSource: 'auto' | 'given';
  criteria: KCriteria[];
  reason: string;
  seed: number;
  events: number;
  profiles: number;
  anomalies: number;
  model: TransformModel;
  /** Decile histograms of each feature, for the next run's drift check. */
  histograms: Record<string, Histogram>;
  drift: DriftReport | null;
  funnel: Funnel;
}

/** Everything a run produces. */
export interface Segmentation {
  run: RunRecord;
  segments: SegmentRecord[];
  profiles: ProfileRecord[];
}

/** What the segmenter needs of the last run: its model, segments and histograms. */
export interface PreviousRun {
  run: Pick<RunRecord, 'id' | 'k' | 'model' | 'histograms'>;
  segments: Pick<SegmentRecord, 'id' | 'name' | 'center' | 'size'>[];
}
