import { LoupeError } from '../core/errors.js';
import type { Platform } from '../core/platform.js';
import { createAppLifecycle } from './app-lifecycle.js';
import { createAsyncStorageKv } from './async-storage-kv.js';
import { createAsyncStorageQueue } from './async-storage-queue.js';
import { type AppInfo, createDeviceContext } from './device-context.js';
import { createFetchTransport } from './fetch-transport.js';
import {
  type AppStateLike,
  type AsyncStorageLike,
  type DeviceModules,
  loadAsyncStorage,
  loadNetInfo,
  loadReactNative,
  type NetInfoLike,
} from './native-modules.js';
import { randomId } from './random-id.js';

export interface ReactNativePlatformOptions {
  /** Default: `@react-native-async-storage/async-storage`. */
  asyncStorage?: AsyncStorageLike;
  /** Default: react-native's `AppState`. */
  appState?: AppStateLike;
  /** Default: `@react-native-community/netinfo` when installed; null to retry on foreground only. */
  netInfo?: NetInfoLike | null;
  /** Default: react-native's `Platform` and `Dimensions`; null for no os/device/screen context. */
  device?: DeviceModules | null;
  /** `context.app`: name, version, build, namespace. */
  app?: AppInfo;
  fetch?: typeof fetch;
  /** Prefix of every AsyncStorage key the tracker writes (two trackers in one app need two). */
  storagePrefix?: string;
}

/**
 * React Native as a `Platform`: queue and ids in AsyncStorage, fetch, AppState and NetInfo. The
 * native modules are looked up only when not passed, so the adapter runs in Node with fakes.
 *
 * @example
 * const platform = createReactNativePlatform({ app: { name: 'Shop', version: '1.2.0' } });
 */
export function createReactNativePlatform({
  asyncStorage,
  appState,
  netInfo,
  device,
  app = {},
  fetch,
  storagePrefix = '@loupe/',
}: ReactNativePlatformOptions = {}): Platform {
  const needsReactNative = !appState || device === undefined;
  const reactNative = needsReactNative ? loadReactNative() : undefined;
  const storage = asyncStorage ?? loadAsyncStorage();
  const state = appState ?? reactNative?.AppState;
  if (!storage)
    throw new LoupeError('config', 'loupe: install @react-native-async-storage/async-storage or pass `asyncStorage`');
  if (!state) throw new LoupeError('config', 'loupe: react-native was not found; pass `appState`');
  return {
    storage: {
      kv: createAsyncStorageKv(storage, storagePrefix),
      queue: createAsyncStorageQueue(storage, `${storagePrefix}q/`),
    },
    transport: createFetchTransport(fetch ? { fetch } : {}),
    lifecycle: createAppLifecycle({
      appState: state,
      netInfo: netInfo === undefined ? loadNetInfo() : (netInfo ?? undefined),
    }),
    now: Date.now,
    randomId,
    context: createDeviceContext(device === undefined ? reactNative : (device ?? undefined), app),
  };
}
