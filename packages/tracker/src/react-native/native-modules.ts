/**
 * The parts of React Native's native modules the adapter uses, typed by shape so the real modules,
 * their jest mocks and hand-written fakes all fit, and so nothing here imports `react-native`.
 */

/** `@react-native-async-storage/async-storage` (its default export), or anything with its methods. */
export interface AsyncStorageLike {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<unknown>;
  removeItem(key: string): Promise<unknown>;
  getAllKeys(): Promise<readonly string[]>;
  multiGet(keys: readonly string[]): Promise<readonly (readonly [string, string | null])[]>;
  multiSet(pairs: [string, string][]): Promise<unknown>;
  multiRemove(keys: readonly string[]): Promise<unknown>;
}

/** react-native's `AppState`. */
export interface AppStateLike {
  readonly currentState: string | null | undefined;
  addEventListener(type: 'change', listener: (state: string) => void): { remove(): void };
}

/** `@react-native-community/netinfo`'s default export. */
export interface NetInfoLike {
  addEventListener(
    listener: (state: { isConnected: boolean | null; isInternetReachable?: boolean | null }) => void,
  ): () => void;
}

/** react-native's `Platform` and `Dimensions`: where `context.os`, `device` and `screen` come from. */
export interface DeviceModules {
  Platform: { OS: string; Version: number | string; constants?: object };
  Dimensions: { get(dimension: 'screen'): { width: number; height: number; scale?: number } };
}

// Metro gives every module a `require` and bundles each `require('literal')` it sees; a call
// inside try/catch is an optional dependency there. Plain Node ESM has no `require`: then every
// module must be passed in, which is what the Node tests do.
declare const require: ((id: string) => unknown) | undefined;

const interop = <T>(load: () => unknown): T | undefined => {
  try {
    const module = load() as { default?: T } | T | undefined;
    return ((module as { default?: T } | undefined)?.default ?? module) as T | undefined;
  } catch {
    return undefined;
  }
};

/** react-native itself, read on first use. */
export const loadReactNative = (): (DeviceModules & { AppState: AppStateLike }) | undefined =>
  typeof require === 'function' ? interop(() => require('react-native')) : undefined;

export const loadAsyncStorage = (): AsyncStorageLike | undefined =>
  typeof require === 'function' ? interop(() => require('@react-native-async-storage/async-storage')) : undefined;

/** An optional peer: without it, the adapter retries when the app comes back to the foreground. */
export const loadNetInfo = (): NetInfoLike | undefined =>
  typeof require === 'function' ? interop(() => require('@react-native-community/netinfo')) : undefined;
