import { type CoreTrackerOptions, createCoreTracker } from '../core/create-core-tracker.js';
import type { Platform } from '../core/platform.js';
import type { Tracker } from '../core/types.js';
import { createReactNativePlatform, type ReactNativePlatformOptions } from './create-react-native-platform.js';

export interface ReactNativeTrackerOptions extends Omit<CoreTrackerOptions, 'platform'>, ReactNativePlatformOptions {
  /** A whole platform instead of the React Native one (tests). */
  platform?: Platform;
}

/**
 * The tracker for React Native apps: the same API and consent gate as in the browser, with the
 * queue and ids in AsyncStorage, a flush when the app goes to the background, and `screen()` views.
 * Nothing is captured, stored or sent until analytics consent is granted (or `consentDefaults` says so).
 *
 * @example
 * import { createTracker } from '@loupe/tracker/react-native';
 * export const loupe = createTracker({ writeKey: 'wk_…', host: 'https://collector.example', app: { name: 'Shop', version: '1.0.0' } });
 * loupe.consent.grant(['analytics', 'personalization']);
 * loupe.screen('Home');
 * loupe.cart.add({ product_id: 'sku-1', price: 12.5 });
 */
export function createTracker({
  platform,
  asyncStorage,
  appState,
  netInfo,
  device,
  app,
  fetch,
  storagePrefix,
  ...options
}: ReactNativeTrackerOptions): Tracker {
  const platformOptions: ReactNativePlatformOptions = {
    ...(asyncStorage ? { asyncStorage } : {}),
    ...(appState ? { appState } : {}),
    ...(netInfo !== undefined ? { netInfo } : {}),
    ...(device !== undefined ? { device } : {}),
    ...(app ? { app } : {}),
    ...(fetch ? { fetch } : {}),
    ...(storagePrefix ? { storagePrefix } : {}),
  };
  return createCoreTracker({ ...options, platform: platform ?? createReactNativePlatform(platformOptions) });
}
