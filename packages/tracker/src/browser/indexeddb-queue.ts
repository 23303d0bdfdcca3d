import type { LoupeEvent } from '@loupe/schema';
import { deleteDB, type IDBPDatabase, openDB } from 'idb';
import type { QueuedEvent, QueueStore } from '../core/platform.js';

const DB_NAME = 'loupe';
const STORE = 'queue';

/**
 * The event queue in IndexedDB, shared by the origin's tabs. The database is opened on first use,
 * so nothing exists before consent. Where IndexedDB will not open, operations reject and the
 * tracker counts the events as `droppedStorage`.
 */
export function createIndexedDbQueue(): QueueStore {
  let db: Promise<IDBPDatabase> | undefined;
  let local: Promise<unknown> = Promise.resolve();
  const close = () => {
    db?.then(
      (database) => database.close(),
      () => {},
    );
    db = undefined;
  };
  const transaction = async (mode?: IDBTransactionMode) =>
    (
      await (db ??= openDB(DB_NAME, 1, {
        upgrade: (database) => database.createObjectStore(STORE, { autoIncrement: true }),
        // Another tab deletes the database (consent revoked there): let it.
        blocking: close,
      }))
    ).transaction(STORE, mode);
  const write = async (apply: (store: IDBObjectStore) => void) => {
    const tx = await transaction('readwrite');
    // The raw store: requests are queued synchronously and the transaction's end is awaited once.
    apply(tx.objectStore(STORE) as unknown as IDBObjectStore);
    await tx.done;
  };

  return {
    push: (events: readonly LoupeEvent[]) => write((store) => events.forEach((event) => store.add(event))),
    async peek(limit) {
      const { store } = await transaction();
      const [keys, values] = await Promise.all([store.getAllKeys(null, limit), store.getAll(null, limit)]);
      return keys.map((key, i): QueuedEvent => ({ key: key as number, event: values[i] }));
    },
    remove: (keys) => write((store) => keys.forEach((key) => store.delete(key))),
    count: async () => (await transaction()).store.count(),
    async clear() {
      close();
      await deleteDB(DB_NAME);
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
