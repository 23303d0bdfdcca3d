/** @module @loupe/segmenter: behavioral segments from streamed events, as a pipeline of pure stages. */
export type { SegmenterSource, SourceEvent, SourceIdentityLink, SourceScanOptions } from './types.js';
export type {
  AnomalyFlag,
  PreviousRun,
  ProfileRecord,
  RunRecord,
  SegmentFigures,
  SegmentRecord,
  Segmentation,
} from './model.js';
export { runSegmentation, toPreviousRun } from './pipeline.js';
export { segmentSince } from './store.js';
export type { SegmentStore, StoredProfile, StoredRun } from './store.js';
export { assignLive } from './live.js';
export { createMemorySegmentStore } from './testing/memory-segment-store.js';
export type { SegmentOptions, SegmentPhase } from './pipeline.js';
export { accumulate, readIdentityGraph } from './accumulate.js';
export { applyEvent, computeFeatures, createProfileState, FEATURE_NAMES } from './stages/features.js';
export type { FeatureName, Features, ProfileState } from './stages/features.js';
export { applyTransform, fitTransform, invertTransform } from './stages/transform.js';
export type { TransformModel } from './stages/transform.js';
export { nearestCentroid } from './metrics/nearest.js';
export { adjustedRandIndex } from './metrics/adjusted-rand.js';
export { SEGMENT_NAMES } from './stages/name.js';
export { slugify } from './stages/match.js';
export { scoreRfm, quintileScorer, rfmLabel, topRevenueShare } from './stages/rfm.js';
export type { RfmScore } from './stages/rfm.js';
export type { KCriteria } from './stages/choose-k.js';
export type { DriftReport } from './stages/drift.js';
export type { Funnel } from './stages/funnel.js';
export { createIdentityGraph } from './stages/stitch.js';
export { simulate, simulatePerson, personaOf } from './simulate/simulate.js';
export type { SimulateOptions, SimulatedPerson, SimulatedPersonEvents } from './simulate/simulate.js';
export { PERSONAS, PERSONA_MODELS } from './simulate/personas.js';
export type { PersonaId, PlantedKind } from './simulate/personas.js';
export { createMemorySource, toSourceEvent } from './testing/memory-source.js';
export { scorePersonas } from './testing/persona-score.js';
export type { PersonaScore } from './testing/persona-score.js';
export { parseColumns, parseOrderLines, splitLine, toOrderEvents } from './import/orders.js';
export type { ImportColumns, ImportFormat, ImportOptions, OrderLine, ParseProblem } from './import/orders.js';
export { parseTime } from './import/parse-time.js';
export { renderReport } from './report/html.js';
export { barChart, esc as escapeHtml, heatmap, lineChart } from './report/svg.js';
