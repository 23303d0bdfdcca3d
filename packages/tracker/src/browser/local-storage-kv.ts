import type { KeyValueStore } from '../core/platform.js';
import { listen } from './capture/listen.js';

const PREFIX = 'loupe_';

/** One localStorage method as an async one on a prefixed key (a blocked localStorage rejects instead of throwing). */
const call =
  (method: 'getItem' | 'setItem' | 'removeItem') =>
  async (key: string, value?: string): Promise<never> =>
    (window.localStorage[method] as (key: string, value?: string) => never)(PREFIX + key, value);

/**
 * Small values in localStorage (a returning visitor's ids are there at once). Where it is blocked
 * (sandboxed frames, strict privacy settings) reads find nothing and writes fail to `onError`.
 */
export const createLocalStorageKv = (): KeyValueStore => ({
  get: call('getItem'),
  set: call('setItem'),
  remove: call('removeItem'),
  subscribe: (key, listener) =>
    listen<StorageEvent>(window, 'storage', (event) => event.key === PREFIX + key && listener(event.newValue)),
});
