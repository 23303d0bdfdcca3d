import type { LoupeEvent } from '@loupe/schema';
import type { QueuedEvent, QueueStore } from './platform.js';

/**
 * A queue in memory: the fallback where no durable storage opens (private modes, sandboxed frames),
 * and the test double (trackers given one instance behave like tabs sharing one IndexedDB queue).
 * Events are already JSON snapshots when queued, so they are kept as they are.
 */
export function createMemoryQueue(): QueueStore & { entries(): QueuedEvent[] } {
  let entries: QueuedEvent[] = [];
  let nextKey = 1;
  let lock: Promise<unknown> = Promise.resolve();
  return {
    entries: () => [...entries],
    push: async (events: readonly LoupeEvent[]) => {
      for (const event of events) entries.push({ key: nextKey++, event });
    },
    peek: async (limit) => entries.slice(0, limit),
    remove: async (keys) => {
      const gone = new Set(keys);
      entries = entries.filter((entry) => !gone.has(entry.key));
    },
    count: async () => entries.length,
    clear: async () => {
      entries = [];
    },
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      const run = lock.then(task, task);
      lock = run.catch(() => {});
      return run;
    },
  };
}
