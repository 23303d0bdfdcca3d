import type { ConsentStore } from '../store.js';

/**
 * The decision in localStorage under the key loupe.js uses (`loupe_consent`), so the banner and
 * the tracker read one decision whichever loads first. Blocked storage degrades to this page only.
 */
export function createLocalStorageConsentStore(key = 'loupe_consent'): ConsentStore {
  const storage = (): Storage | undefined => {
    try {
      return globalThis.localStorage;
    } catch {
      return undefined;
    }
  };
  let memory: string | null = null;
  return {
    load: async () => {
      try {
        return storage()?.getItem(key) ?? memory;
      } catch {
        return memory;
      }
    },
    save: async (value) => {
      memory = value;
      try {
        storage()?.setItem(key, value);
      } catch {
        // Quota or security error: the decision holds for this page.
      }
    },
    subscribe(listener) {
      const onStorage = (event: StorageEvent) => event.key === key && listener(event.newValue);
      globalThis.addEventListener?.('storage', onStorage);
      return () => globalThis.removeEventListener?.('storage', onStorage);
    },
  };
}
