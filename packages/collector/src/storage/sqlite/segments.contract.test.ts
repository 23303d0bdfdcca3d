import { createMemorySegmentStore, type SegmentStore } from '@loupe/segmenter';
import { describeSegmentStore } from '../segment-contract.js';
import { segmentStoreOf } from '../segment-store-of.js';
import { createSqliteStore } from './index.js';

describeSegmentStore('sqlite', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  return { store: segmentStoreOf(store) as SegmentStore, close: () => store.close() };
});

// The in-memory twin the segmenter's tests use keeps the same contract.
describeSegmentStore('memory', async () => ({ store: createMemorySegmentStore(), close: async () => {} }));
