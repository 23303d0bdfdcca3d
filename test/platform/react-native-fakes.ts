import { createRequire } from 'node:module';
import type { AppStateLike, AsyncStorageLike, DeviceModules, NetInfoLike } from '@loupe/tracker/react-native';
import { vi } from 'vitest';

const require = createRequire(import.meta.url);
const MOCK = '@react-native-async-storage/async-storage/jest/async-storage-mock';

/** A fresh copy of AsyncStorage's own jest mock (it keeps its data in module state). */
export function loadAsyncStorageMock(): AsyncStorageLike & { __INTERNAL_MOCK_STORAGE__: Record<string, string> } {
  // The mock is written for jest: `jest.fn` is all it needs from it.
  (globalThis as { jest?: unknown }).jest ??= { fn: vi.fn };
  delete require.cache[require.resolve(MOCK)];
  return require(MOCK);
}

/** react-native's AppState, driven by the test. */
export function createFakeAppState(initial = 'active'): AppStateLike & { set(state: string): void } {
  const listeners = new Set<(state: string) => void>();
  const fake = {
    currentState: initial,
    addEventListener(_type: 'change', listener: (state: string) => void) {
      listeners.add(listener);
      return { remove: () => listeners.delete(listener) };
    },
    set(state: string) {
      fake.currentState = state;
      for (const listener of [...listeners]) listener(state);
    },
  };
  return fake;
}

/** @react-native-community/netinfo, driven by the test; it reports the current state on subscribe, as the real one does. */
export function createFakeNetInfo(connected = true): NetInfoLike & { set(connected: boolean): void } {
  const listeners = new Set<(state: { isConnected: boolean | null; isInternetReachable?: boolean | null }) => void>();
  let isConnected = connected;
  return {
    addEventListener(listener) {
      listeners.add(listener);
      listener({ isConnected, isInternetReachable: isConnected });
      return () => listeners.delete(listener);
    },
    set(next) {
      isConnected = next;
      for (const listener of [...listeners]) listener({ isConnected, isInternetReachable: next });
    },
  };
}

/** react-native's Platform and Dimensions on an Android phone. */
export const androidDevice: DeviceModules = {
  Platform: {
    OS: 'android',
    Version: 34,
    constants: { Release: '14', Manufacturer: 'Google', Model: 'Pixel 8', Brand: 'google' },
  },
  Dimensions: { get: () => ({ width: 412, height: 915, scale: 2.625 }) },
};
