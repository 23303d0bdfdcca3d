import type { LoupeEvent } from '@loupe/schema';
import type { QueuedEvent, QueueStore } from '../core/platform.js';
import type { AsyncStorageLike } from './native-modules.js';

/**
 * The event queue in AsyncStorage, one item per event under `prefix + sequence number`, so a write
 * touches one small item (a single JSON array would be rewritten whole on every change, and Android
 * refuses items past 2 MB). The sequence numbers are read back on first use, so a restarted app
 * finds the events the previous run left. Nothing is written before the first `push`.
 */
export function createAsyncStorageQueue(storage: AsyncStorageLike, prefix: string): QueueStore {
  let index: number[] | null = null;
  let next = 1;
  // One app process owns the queue; its operations run one at a time so the index never races a write.
  let serial: Promise<unknown> = Promise.resolve();
  let lock: Promise<unknown> = Promise.resolve();

  const keyOf = (seq: number) => `${prefix}${seq}`;
  const queuedKeys = async () => (await storage.getAllKeys()).filter((key) => key.startsWith(prefix));
  const run = <T>(task: (seqs: number[]) => Promise<T>): Promise<T> => {
    const result = serial.then(async () => {
      if (!index) {
        index = (await queuedKeys())
          .map((key) => Number(key.slice(prefix.length)))
          .filter((seq) => Number.isSafeInteger(seq) && seq > 0)
          .sort((a, b) => a - b);
        next = (index[index.length - 1] ?? 0) + 1;
      }
      return task(index);
    });
    serial = result.catch(() => {});
    return result;
  };
  const drop = (seqs: number[], gone: ReadonlySet<number>) => {
    index = seqs.filter((seq) => !gone.has(seq));
  };

  return {
    push: (events: readonly LoupeEvent[]) =>
      run(async (seqs) => {
        const pairs = events.map((event): [number, string] => [next++, JSON.stringify(event)]);
        await storage.multiSet(pairs.map(([seq, json]) => [keyOf(seq), json]));
        seqs.push(...pairs.map(([seq]) => seq));
      }),
    peek: (limit) =>
      run(async (seqs) => {
        const wanted = seqs.slice(0, limit);
        const values = wanted.length > 0 ? await storage.multiGet(wanted.map(keyOf)) : [];
        const entries: QueuedEvent[] = [];
        const unreadable = new Set<number>();
        values.forEach(([, value], i) => {
          const seq = wanted[i] ?? 0;
          try {
            if (value === null) throw new Error('missing');
            entries.push({ key: seq, event: JSON.parse(value) as LoupeEvent });
          } catch {
            unreadable.add(seq);
          }
        });
        // A missing or corrupt item can never be sent: forget it rather than block the queue.
        if (unreadable.size > 0) {
          await storage.multiRemove([...unreadable].map(keyOf));
          drop(seqs, unreadable);
        }
        return entries;
      }),
    remove: (keys) =>
      run(async (seqs) => {
        if (keys.length === 0) return;
        await storage.multiRemove(keys.map(keyOf));
        drop(seqs, new Set(keys));
      }),
    count: () => run(async (seqs) => seqs.length),
    clear: () =>
      run(async () => {
        const keys = await queuedKeys();
        if (keys.length > 0) await storage.multiRemove(keys);
        index = [];
      }),
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      const result = lock.then(task, task);
      lock = result.catch(() => {});
      return result;
    },
  };
}
