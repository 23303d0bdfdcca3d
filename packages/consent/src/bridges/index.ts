export { applyGpc } from './gpc.js';
export type { GpcBridgeOptions } from './gpc.js';
export { bridgeConsentMode, toConsentMode } from './consent-mode.js';
export type { ConsentModeOptions, ConsentModeState } from './consent-mode.js';
export { categoriesFromPurposes, categoriesFromTcfKeys, DEFAULT_TCF_PURPOSES, readTcf } from './tcf.js';
export type { TcData, TcfReaderOptions } from './tcf.js';
export type { AppliedSignal, SignalListener } from './signal.js';
