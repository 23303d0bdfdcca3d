/** @module @loupe/tracker/react-native: the tracker for React Native apps, its platform, screen tracking and hooks. */
export { createTracker } from './create-tracker.js';
export type { ReactNativeTrackerOptions } from './create-tracker.js';
export { createReactNativePlatform } from './create-react-native-platform.js';
export type { ReactNativePlatformOptions } from './create-react-native-platform.js';
export type { AppInfo } from './device-context.js';
export type { AppStateLike, AsyncStorageLike, DeviceModules, NetInfoLike } from './native-modules.js';
export { trackScreens } from './screen-tracking.js';
export type { NavigationRefLike, RouteLike, ScreenTrackingOptions, ScreenTrackingProps } from './screen-tracking.js';
export { LoupeProvider, useLoupe, useSegment } from './react.js';
export type { LoupeProviderProps } from './react.js';
export { LoupeError } from '../core/errors.js';
export type { LoupeErrorCode } from '../core/errors.js';
export type { Cart, Order, Product } from '../core/cart.js';
export type { DeliveryStats } from '../core/stats.js';
export type { Properties, Segment, Tracker, User } from '../core/types.js';
