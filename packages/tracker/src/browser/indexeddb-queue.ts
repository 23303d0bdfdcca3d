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
  const close = () => {
    db?.then(
      (database) => database.close(),
      () => {},
    );
    db = undefined;
  };
  // One transaction: `apply` queues its requests synchronously, their results are read once it completed.
  const transact = async <T>(apply: (store: IDBObjectStore) => T, mode?: IDBTransactionMode): Promise<T> => {
    if (!db) {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { autoIncrement: true });
      db = done(request).then((database) => {
        // Another tab deletes the database (consent revoked there): let it.
        database.onversionchange = close;
        return database;
      });
    }
    const store = (await db).transaction(STORE, mode).objectStore(STORE);
    const result = apply(store);
    await done(store.transaction);
    return result;
  };

  return {
    push: (events: readonly LoupeEvent[]) =>
      transact((queue) => events.forEach((event) => queue.add(event)), 'readwrite'),
    peek: (limit) =>
      transact((queue) => [queue.getAllKeys(null, limit), queue.getAll(null, limit)] as const).then(([keys, values]) =>
        keys.result.map((key, i): QueuedEvent => ({ key: key as number, event: values.result[i] as LoupeEvent })),
      ),
    remove: (keys) => transact((queue) => keys.forEach((key) => queue.delete(key)), 'readwrite'),
    count: () => transact((queue) => queue.count()).then((request) => request.result),
    clear() {
      close();
      return done(indexedDB.deleteDatabase(DB_NAME)).then(() => {});
    },
    // Web Locks serialize senders across tabs. Where they are missing (Safari before 15.4, Firefox
    // before 96, pages not served over HTTPS) tabs are not coordinated: each sends on its own, and
    // the collector's messageId dedup still stores every event once. Within a page, delivery runs
    // its sends one after another anyway.
    exclusive: <T>(task: () => Promise<T>) =>
      (navigator.locks?.request('loupe-queue', task) as Promise<T> | undefined) ?? task(),
  };
}
