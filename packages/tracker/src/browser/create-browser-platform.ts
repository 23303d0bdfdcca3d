import type { Platform } from '../core/platform.js';
import { createFetchTransport } from './fetch-transport.js';
import { createIndexedDbQueue } from './indexeddb-queue.js';
import { createLocalStorageKv } from './local-storage-kv.js';
import { createPageContext } from './page-context.js';
import { createPageLifecycle } from './page-lifecycle.js';
import { randomId } from './random-id.js';

/** The browser as a `Platform`: IndexedDB queue, localStorage ids, fetch/sendBeacon, page lifecycle. */
export const createBrowserPlatform = (): Platform => ({
  storage: { kv: createLocalStorageKv(), queue: createIndexedDbQueue() },
  transport: createFetchTransport(),
  lifecycle: createPageLifecycle(),
  now: Date.now,
  randomId,
  context: createPageContext(),
});
