/** @module @loupe/collector */
export {};
export { createApp } from './app.js';
export type { AppDeps, CollectorApp } from './app.js';
export { startServer } from './server.js';
export type { RunningServer, ServerOptions } from './server.js';
export { DEFAULT_CONFIG, configFromEnv } from './config.js';
export type { CollectorConfig } from './config.js';
export type { PrivacySection } from './services/privacy.js';
