/** @module @loupe/tracker: the browser tracker (`createTracker`), its platform and the platform-neutral core. */
export { createTracker } from './browser/create-tracker.js';
export type { BrowserTrackerOptions, CaptureName } from './browser/create-tracker.js';
export { createBrowserPlatform } from './browser/create-browser-platform.js';
export { createCoreTracker } from './core/create-core-tracker.js';
export type { CoreTrackerOptions } from './core/create-core-tracker.js';
export type { Cart, Order, Product } from './core/cart.js';
export { LoupeError } from './core/errors.js';
export type { LoupeErrorCode } from './core/errors.js';
export type {
  Cancel,
  KeyValueStore,
  Lifecycle,
  Platform,
  QueuedEvent,
  QueueStore,
  TrackerStorage,
  Transport,
  TransportRequest,
  TransportResponse,
} from './core/platform.js';
export type { DeliveryStats } from './core/stats.js';
export type { Plugin, PluginHost, Properties, Segment, Tracker, User } from './core/types.js';
