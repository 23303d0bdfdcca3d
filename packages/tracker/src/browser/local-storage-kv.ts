import type { KeyValueStore } from '../core/platform.js';

const PREFIX = 'loupe_';

/**
 * Small values in localStorage (a returning visitor's ids are there at once). Where it is blocked
 * (sandboxed frames, strict privacy settings) reads find nothing and writes fail to `onError`.
 */
export function createLocalStorageKv(): KeyValueStore {
  return {
    get: async (key) => window.localStorage.getItem(PREFIX + key),
    set: async (key, value) => window.localStorage.setItem(PREFIX + key, value),
    remove: async (key) => window.localStorage.removeItem(PREFIX + key),
    subscribe(key, listener) {
      const onStorage = (event: StorageEvent) => event.key === PREFIX + key && listener(event.newValue);
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
  };
}
