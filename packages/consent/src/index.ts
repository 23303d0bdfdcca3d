/** @module @loupe/consent: platform-neutral consent state, the gate the tracker goes through. */
export { createConsent, createConsentGate } from './create-consent.js';
export type { Consent, ConsentGateOptions, ConsentListener, ConsentOptions, UpdateOptions } from './create-consent.js';
export { allCategories, mergeCategories, OPTIONAL_CATEGORIES, toCategoryMap } from './categories.js';
export type { CategoryInput, ConsentDecision } from './categories.js';
export { CONSENT_REASONS, CONSENT_SOURCES, DECISION_MAX_AGE_MS, parseDecision, serializeDecision } from './state.js';
export type { ConsentChange, ConsentReason, ConsentSource, ConsentState } from './state.js';
export { createMemoryConsentStore } from './store.js';
export type { ConsentStore } from './store.js';
export {
  applyGpc,
  bridgeConsentMode,
  categoriesFromPurposes,
  categoriesFromTcfKeys,
  DEFAULT_TCF_PURPOSES,
  readTcf,
  toConsentMode,
} from './bridges/index.js';
export type {
  AppliedSignal,
  ConsentModeOptions,
  ConsentModeState,
  GpcBridgeOptions,
  SignalListener,
  TcData,
  TcfReaderOptions,
} from './bridges/index.js';
