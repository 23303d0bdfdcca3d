import type { ConsentStore } from '@loupe/consent';
import type { KeyValueStore } from './platform.js';

/** Keeps the consent decision in the platform's key-value store, under a key `forget()` never removes. */
export function createKvConsentStore(kv: KeyValueStore): ConsentStore {
  const store: ConsentStore = { load: () => kv.get('consent'), save: (value) => kv.set('consent', value) };
  const { subscribe } = kv;
  if (subscribe) store.subscribe = (listener) => subscribe.call(kv, 'consent', listener);
  return store;
}
