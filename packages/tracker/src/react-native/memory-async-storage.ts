import type { AsyncStorageLike } from './native-modules.js';

/** AsyncStorage in memory, keys in insertion order: for tests of code that takes `asyncStorage`. */
export function createMemoryAsyncStorage(): AsyncStorageLike & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: async (key) => data.get(key) ?? null,
    setItem: async (key, value) => void data.set(key, value),
    removeItem: async (key) => void data.delete(key),
    getAllKeys: async () => [...data.keys()],
    multiGet: async (keys) => keys.map((key) => [key, data.get(key) ?? null] as const),
    multiSet: async (pairs) => {
      for (const [key, value] of pairs) data.set(key, value);
    },
    multiRemove: async (keys) => {
      for (const key of keys) data.delete(key);
    },
  };
}
