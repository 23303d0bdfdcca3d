import { BacklogFullError, StorageError } from '../errors.js';
import type { EventStore, InsertOutcome, StoredEvent } from '../storage/types.js';

export interface GroupCommitOptions {
  store: Pick<EventStore, 'insertEvents'>;
  /** The longest a row waits for others before its transaction starts. */
  maxDelayMs?: number;
  /** Rows per transaction; a full group commits at once. */
  maxRows?: number;
  /** Pending rows (queued and committing) past which `submit` refuses. */
  maxBacklogRows?: number;
  onCommit?: (rows: number, ms: number) => void;
}

export interface GroupCommitter {
  /** Resolves once the rows are committed, with one outcome per row. */
  submit(rows: readonly StoredEvent[]): Promise<InsertOutcome[]>;
  /** Rows accepted but not yet committed. */
  readonly backlog: number;
  /** Commits everything pending now; resolves when the store has it. */
  flush(): Promise<void>;
}

interface Waiter {
  rows: readonly StoredEvent[];
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (error: Error) => void;
}

/**
 * Many requests, one transaction: rows from concurrent requests wait a few milliseconds and
 * commit together, so a durable ack costs one fsync per group instead of one per request.
 */
export function createGroupCommitter({
  store,
  maxDelayMs = 2,
  maxRows = 2000,
  maxBacklogRows = 100_000,
  onCommit,
}: GroupCommitOptions): GroupCommitter {
  let queue: Waiter[] = [];
  let queuedRows = 0;
  let committingRows = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();

  function schedule(): void {
    if (queuedRows >= maxRows) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      void commit();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        void commit();
      }, maxDelayMs);
    }
  }

  function commit(): Promise<void> {
    const group = queue;
    const rows = queuedRows;
    queue = [];
    queuedRows = 0;
    if (group.length === 0) return chain;
    committingRows += rows;
    // One transaction at a time: the next group forms while this one commits.
    chain = chain.then(async () => {
      const started = performance.now();
      try {
        const all = group.length === 1 ? (group[0] as Waiter).rows : group.flatMap((w) => w.rows);
        const outcomes = await store.insertEvents(all);
        let offset = 0;
        for (const waiter of group) {
          waiter.resolve(outcomes.slice(offset, offset + waiter.rows.length));
          offset += waiter.rows.length;
        }
        onCommit?.(all.length, performance.now() - started);
      } catch (error) {
        const failure = new StorageError('the store could not commit the batch', { cause: error });
        for (const waiter of group) waiter.reject(failure);
      } finally {
        committingRows -= rows;
      }
    });
    return chain;
  }

  return {
    submit(rows) {
      if (rows.length === 0) return Promise.resolve([]);
      if (queuedRows + committingRows + rows.length > maxBacklogRows) {
        return Promise.reject(new BacklogFullError(`write backlog above ${maxBacklogRows} rows`));
      }
      return new Promise<InsertOutcome[]>((resolve, reject) => {
        queue.push({ rows, resolve, reject });
        queuedRows += rows.length;
        schedule();
      });
    },
    get backlog() {
      return queuedRows + committingRows;
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await commit();
    },
  };
}
