import type { KeyValueStore } from '../core/platform.js';
import type { AsyncStorageLike } from './native-modules.js';

/** Small values (ids, session, consent, cached segment) in AsyncStorage, each under `prefix + key`. */
export function createAsyncStorageKv(storage: AsyncStorageLike, prefix: string): KeyValueStore {
  return {
    get: (key) => storage.getItem(prefix + key),
    set: async (key, value) => {
      await storage.setItem(prefix + key, value);
    },
    remove: async (key) => {
      await storage.removeItem(prefix + key);
    },
  };
}
