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
  /**
   * Groups handed to the store before the first of them is answered. 1 (default): one transaction
   * at a time. More suits a store that commits in order on a thread of its own (SQLite's writer):
   * the next group waits there, not for this thread to read the previous answer.
   */
  maxInFlight?: number;
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
  maxInFlight = 1,
  onCommit,
}: GroupCommitOptions): GroupCommitter {
  let queue: Waiter[] = [];
  let queuedRows = 0;
  let committingRows = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The transactions in flight, oldest first. */
  const inFlight = new Set<Promise<void>>();

  function schedule(): void {
    if (inFlight.size >= maxInFlight) return; // the group forming now commits when one in flight is done
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
    if (inFlight.size >= maxInFlight) return Promise.race(inFlight);
    if (queue.length === 0) return Promise.resolve();
    if (timer) clearTimeout(timer);
    timer = undefined;
    const { group, rows } = takeGroup();
    committingRows += rows;
    const all = group.length === 1 ? (group[0] as Waiter).rows : group.flatMap((w) => w.rows);
    const run = async () => {
      const started = performance.now();
      let outcomes: InsertOutcome[] | undefined;
      let failure: Error | undefined;
      try {
        outcomes = await store.insertEvents(all);
      } catch (error) {
        // A store that refuses for backlog (the ingest log's indexer behind) is asking for a retry later, not failing.
        failure =
          error instanceof BacklogFullError
            ? error
            : new StorageError('the store could not commit the batch', { cause: error });
      }
      // Before the waiters hear of it, so a caller sees the backlog without its rows.
      committingRows -= rows;
      inFlight.delete(transaction);
      if (outcomes) {
        let offset = 0;
        for (const waiter of group) {
          waiter.resolve(outcomes.slice(offset, offset + waiter.rows.length));
          offset += waiter.rows.length;
        }
        onCommit?.(all.length, performance.now() - started);
      } else {
        for (const waiter of group) waiter.reject(failure as Error);
      }
      finish();
      // What queued up meanwhile has waited at least as long as this commit took: it goes next.
      if (queue.length > 0) void commit();
    };
    let finish!: () => void;
    const transaction = new Promise<void>((resolve) => (finish = resolve));
    inFlight.add(transaction);
    void run();
    return transaction;
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
      while (inFlight.size > 0 || queue.length > 0) await (queue.length > 0 ? commit() : Promise.race(inFlight));
    },
  };
}
