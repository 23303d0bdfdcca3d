import type { ConsentStore } from '@loupe/consent';
import type { KeyValueStore } from './platform.js';

/** Keeps the consent decision in the platform's key-value store, under a key `forget()` never removes. */
export const createKvConsentStore = (kv: KeyValueStore): ConsentStore =>
  ({
    load: () => kv.get('consent'),
    save: (value) => kv.set('consent', value),
    // Does nothing where the kv cannot tell about other pages (createConsent ignores the result).
    subscribe: (listener) => kv.subscribe?.('consent', listener),
  }) as ConsentStore;
