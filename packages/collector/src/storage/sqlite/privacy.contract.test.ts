import { describePrivacyStore } from '../privacy-contract.js';
import { privacyStoreOf } from '../privacy-store-of.js';
import type { PrivacyStore } from '../privacy-types.js';
import { createSqliteStore } from './index.js';

describePrivacyStore('sqlite', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  return { store: privacyStoreOf(store) as PrivacyStore, close: () => store.close() };
});
