import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { Window } from 'happy-dom';
import { createBrowserPlatform } from '@loupe/tracker';
import { afterAll } from 'vitest';
import { describePlatform } from './describe-platform.js';

// The browser adapter over a happy-dom window: its localStorage kv, its IndexedDB queue (on
// fake-indexeddb, a fresh database server per device), fetch and page lifecycle events. The window's
// globals are installed by hand instead of through vitest's happy-dom environment, whose URL class
// replaces Node's and breaks the collector running in the same process.
const page = new Window({ url: 'https://shop.example/' });
const globals = { window: page, document: page.document, navigator: page.navigator } as const;
const saved = Object.keys(globals).map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
for (const [name, value] of Object.entries(globals))
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
afterAll(async () => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  await page.happyDOM.close();
});

const setVisibility = (state: string) =>
  Object.defineProperty(page.document, 'visibilityState', { value: state, configurable: true });

describePlatform('browser (happy-dom window, fake-indexeddb)', async () => {
  page.localStorage.clear();
  const indexedDB = new IDBFactory();
  Object.defineProperty(globalThis, 'indexedDB', { value: indexedDB, configurable: true, writable: true });
  return {
    consentEntry: 'localStorage:loupe_consent',
    async stored() {
      const keys = Object.keys(page.localStorage).filter((key) => key.startsWith('loupe'));
      const databases = await indexedDB.databases();
      return [...keys.map((key) => `localStorage:${key}`), ...databases.map((db) => `indexedDB:${db.name}`)].sort();
    },
    launch: () => ({
      platform: createBrowserPlatform(),
      background() {
        setVisibility('hidden');
        page.document.dispatchEvent(new page.Event('visibilitychange'));
        setVisibility('visible');
      },
      reconnect: () => page.dispatchEvent(new page.Event('online')),
    }),
  };
});
