import type { LoupeEvent } from '@loupe/schema';
import type { QueuedEvent, QueueStore } from '../core/platform.js';

const DB_NAME = 'loupe';
const STORE = 'queue';

/** A request's result, or a transaction's end, as a promise (each ignores the other's handlers). */
const done = <T>(request: IDBRequest<T> | IDBTransaction) =>
  new Promise<T>((resolve, reject) => {
    request.onerror = (request as IDBTransaction).onabort = () => reject(request.error);
    (request as IDBRequest).onsuccess = (request as IDBTransaction).oncomplete = () =>
      resolve((request as IDBRequest<T>).result);
  });

/**
 * The event queue in IndexedDB, shared by the origin's tabs. The database is opened on first use,
 * so nothing exists before consent. Where IndexedDB will not open, operations reject and the
 * tracker counts the events as `droppedStorage`.
 *
 * Raw IndexedDB, not idb: SPEC lists idb among the tracker's dependencies, but even cut to its core
 * it cost ~0.85 KB gzip of loupe.js's 6 KB budget, and the queue needs only one object store with
 * add, getAll, getAllKeys, delete, count and deleteDatabase, which this file wraps itself.
 */
export function createIndexedDbQueue(): QueueStore {
  let db: Promise<IDBDatabase> | undefined;
  let local: Promise<unknown> = Promise.resolve();
  const close = () => {
    db?.then(
      (database) => database.close(),
      () => {},
    );
    db = undefined;
  };
  const store = async (mode?: IDBTransactionMode) => {
    if (!db) {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { autoIncrement: true });
      db = done(request).then((database) => {
        // Another tab deletes the database (consent revoked there): let it.
        database.onversionchange = close;
        return database;
      });
    }
    return (await db).transaction(STORE, mode).objectStore(STORE);
  };
  // Requests are queued synchronously and the transaction's end is awaited once.
  const write = async (apply: (store: IDBObjectStore) => void) => {
    const queue = await store('readwrite');
    apply(queue);
    await done(queue.transaction);
  };

  return {
    push: (events: readonly LoupeEvent[]) => write((queue) => events.forEach((event) => queue.add(event))),
    async peek(limit) {
      const queue = await store();
      const [keys, values] = await Promise.all([done(queue.getAllKeys(null, limit)), done(queue.getAll(null, limit))]);
      return keys.map((key, i): QueuedEvent => ({ key: key as number, event: values[i] as LoupeEvent }));
    },
    remove: (keys) => write((queue) => keys.forEach((key) => queue.delete(key))),
    count: async () => done((await store()).count()),
    clear() {
      close();
      return done(indexedDB.deleteDatabase(DB_NAME)).then(() => {});
    },
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      // Web Locks serialize senders across tabs; where they are missing, within this page only.
      if (navigator.locks) return navigator.locks.request('loupe-queue', task) as Promise<T>;
      const run = local.then(task, task);
      local = run.catch(() => {});
      return run;
    },
  };
}
