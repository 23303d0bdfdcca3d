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
 * One transaction runs at a time; rows that arrive meanwhile form the next group, which commits
 * as soon as the current one is done, so a slow disk makes groups larger rather than queues longer.
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
  /** The transaction in flight, if any. */
  let inFlight: Promise<void> | undefined;

  function schedule(): void {
    if (inFlight) return; // the group forming now commits when the one in flight is done
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

  /** Takes whole waiters from the queue, up to maxRows rows (at least one waiter). */
  function takeGroup(): { group: Waiter[]; rows: number } {
    let rows = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || rows + (queue[n] as Waiter).rows.length <= maxRows)) {
      rows += (queue[n] as Waiter).rows.length;
      n++;
    }
    const group = n === queue.length ? queue : queue.slice(0, n);
    queue = n === queue.length ? [] : queue.slice(n);
    queuedRows -= rows;
    return { group, rows };
  }

  function commit(): Promise<void> {
    if (inFlight) return inFlight;
    if (queue.length === 0) return Promise.resolve();
    if (timer) clearTimeout(timer);
    timer = undefined;
    const { group, rows } = takeGroup();
    committingRows += rows;
    inFlight = (async () => {
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
        // A store that refuses for backlog (the ingest log's indexer behind) is asking for a retry later, not failing.
        const failure =
          error instanceof BacklogFullError
            ? error
            : new StorageError('the store could not commit the batch', { cause: error });
        for (const waiter of group) waiter.reject(failure);
      } finally {
        committingRows -= rows;
        inFlight = undefined;
        // What queued up meanwhile has waited at least as long as this commit took: it goes next.
        if (queue.length > 0) void commit();
      }
    })();
    return inFlight;
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
      while (inFlight || queue.length > 0) await commit();
    },
  };
}
