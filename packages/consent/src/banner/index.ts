/** @module @loupe/consent/banner: the consent banner as an ESM component. */
export { createBanner } from './create-banner.js';
export type { Banner, BannerDecision, BannerOptions } from './create-banner.js';
export { DEFAULT_STRINGS } from './strings.js';
export type { BannerStrings } from './strings.js';
export { BANNER_CSS } from './styles.js';
export { createLocalStorageConsentStore } from './local-storage-store.js';
export { mirrorConsent } from './mirror.js';
export { recordDecision } from './record-decision.js';
export type { RecordTarget } from './record-decision.js';
