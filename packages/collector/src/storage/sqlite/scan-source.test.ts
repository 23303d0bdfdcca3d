import { describeSourceScan } from '../source-scan-contract.js';
import { createSqliteStore } from './index.js';

describeSourceScan('sqlite', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  return { store, close: () => store.close() };
});
