import { MessageChannel, Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { BacklogFullError } from '../../errors.js';
import type { InsertOutcome, StoredEvent } from '../types.js';
import { createEventInserter, createEventWriter, openDatabase } from './event-writer.js';
import { createLogIndexer, createLogPruner } from './ingest-log.js';
import { decodeRows, encodeRows } from './wire.js';

export interface EventWriter {
  /** Resolves once the rows are committed to disk, one outcome per row. */
  write(rows: readonly StoredEvent[]): Promise<InsertOutcome[]>;
  /** Moves every acknowledged row into the events table, in this thread, at once. */
  catchUp(): void;
  /** The same, a transaction at a time with the event loop free in between: what readers await first. */
  catchUpAsync(): Promise<void>;
  /** Rows acknowledged but not yet in the events table. */
  readonly pendingRows: number;
  /** Writes run on another thread, in order: several may be handed over at once. */
  readonly pipelined: boolean;
  /** Deletes the log entries already indexed now, rather than with a later commit (after an erasure). */
  pruneIndexed(): void;
  close(): Promise<void>;
}

/** In this thread, straight into the events table: for `:memory:` databases, which another thread cannot open. */
export function createInlineWriter(db: Database.Database): EventWriter {
  const write = createEventWriter(db);
  return {
    async write(rows) {
      if (rows.length === 0) return [];
      // One entry, however large: nothing crosses a thread here.
      const [text] = encodeRows(rows, Number.POSITIVE_INFINITY).texts;
      const { rows: tuples, links } = decodeRows(text as string);
      return toOutcomes(write(tuples, links));
    },
    catchUp() {},
    async catchUpAsync() {},
    pendingRows: 0,
    pipelined: false,
    pruneIndexed() {},
    async close() {},
  };
}

export interface LoggedWriterOptions {
  db: Database.Database;
  path: string;
  logPath: string;
  /** The indexer thread's nice value (Linux); 0 keeps the process's priority. */
  indexerNice?: number;
  /** Acknowledged rows not yet indexed past which writes are refused (503 + Retry-After). */
  maxPendingRows?: number;
  /**
   * Run the indexer thread (default). Without it the events table is filled only when something
   * reads it (`catchUp`): for one-shot tools, and for tests that need the log to stay behind.
   */
  indexerThread?: boolean;
}

interface Pending {
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (error: Error) => void;
}

/**
 * Acknowledges through the ingest log (see ingest-log.js): a writer thread commits each group to
 * the log file and answers; an indexer thread, at a lower priority, fills the events table behind it.
 * SQLite's inserts, index upkeep and fsyncs all run off the thread that answers requests.
 */
export function createLoggedWriter({
  db,
  path,
  logPath,
  indexerNice = 10,
  maxPendingRows = 1_000_000,
  indexerThread = true,
}: LoggedWriterOptions): EventWriter {
  let writer: Worker | null = null;
  let indexer: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  // Entries acknowledged and not yet indexed, oldest first, as [entry id, rows]. Counting from the
  // indexed progress (not from what this process indexed) keeps the lag right when another process,
  // a `loupe segment` run say, indexes entries for us.
  const unindexed: [entry: number, rows: number][] = [];
  let unindexedRows = 0;
  let progress = 0;
  let closed = false;
  let local: { log: Database.Database; indexer: ReturnType<typeof createLogIndexer> } | null = null;

  function localIndexer() {
    if (!local) {
      const log = new Database(logPath, { readonly: true });
      log.pragma('busy_timeout = 5000');
      local = { log, indexer: createLogIndexer(db, log, createEventInserter(db)) };
    }
    return local.indexer;
  }

  function indexedUpTo(entry: number): void {
    if (entry <= progress) return;
    progress = entry;
    while (unindexed.length > 0 && (unindexed[0] as [number, number])[0] <= entry) {
      unindexedRows -= (unindexed.shift() as [number, number])[1];
    }
  }

  function acknowledged(entry: number, outcomes: Uint8Array): void {
    if (entry <= progress) return; // the indexer's word came first
    let rows = 0;
    for (const outcome of outcomes) rows += outcome;
    unindexed.push([entry, rows]);
    unindexedRows += rows;
  }

  /** Deletes the log entries up to the indexed progress: the writer thread does it with its commits, this at once. */
  function prune(): void {
    const log = openDatabase(logPath);
    try {
      const pruneUpTo = createLogPruner(log);
      log.transaction(() => pruneUpTo(localIndexer().progress()))();
    } finally {
      log.close();
    }
  }

  /** Indexes everything acknowledged so far, in this thread; without an indexer thread, prunes after it. */
  function catchUp(): void {
    const here = localIndexer();
    const target = here.head();
    let indexed = 0;
    while (here.progress() < target) indexed += here.step().indexed;
    indexedUpTo(here.progress());
    if (indexed > 0 && !indexerThread) prune();
  }

  function failAll(error: Error): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function start(): Worker {
    const channel = new MessageChannel();
    const url = (file: string) => new URL(file, import.meta.url);
    const w = new Worker(url('./event-writer.js'), {
      workerData: { role: 'loupe-event-writer', path, logPath, indexer: channel.port1 },
      transferList: [channel.port1],
    });
    w.on(
      'message',
      (message: { id: number; outcomes?: Uint8Array; logId?: number; error?: string; closed?: boolean }) => {
        const p = pending.get(message.id);
        if (!p) return;
        pending.delete(message.id);
        if (pending.size === 0) w.unref();
        if (message.error !== undefined) return p.reject(new Error(message.error));
        if (message.outcomes && message.logId) acknowledged(message.logId, message.outcomes);
        p.resolve(message.outcomes ? toOutcomes(message.outcomes) : []);
      },
    );
    w.on('error', (error) => failAll(error));
    w.on('exit', (code) => {
      if (writer === w) writer = null; // a new pair starts with the next write
      failAll(new Error(`event writer exited with code ${code}`));
      const paired = indexer;
      indexer = null;
      void paired?.terminate();
    });
    // Referenced only while a write is pending: an idle writer never keeps the process alive,
    // and a pending one always does (else awaiting its answer could end the process first).
    w.unref();
    if (!indexerThread) {
      channel.port2.close();
      return w;
    }
    const ix = new Worker(url('./event-indexer.js'), {
      workerData: { role: 'loupe-event-indexer', path, logPath, writer: channel.port2, nice: indexerNice },
      transferList: [channel.port2],
    });
    ix.on('message', (message: { progress?: number }) => {
      if (message.progress) indexedUpTo(message.progress);
    });
    ix.on('error', () => undefined); // the log keeps what it had not indexed; readers and the next start catch up
    ix.on('exit', () => {
      if (indexer !== ix) return;
      indexer = null;
      void w.terminate(); // the pair restarts with the next write; the log keeps the rest
    });
    ix.unref();
    indexer = ix;
    return w;
  }

  function send(w: Worker, message: Record<string, unknown>): Promise<InsertOutcome[]> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (pending.size === 0) w.ref();
      pending.set(id, { resolve, reject });
      w.postMessage({ id, ...message });
    });
  }

  // What a crash left in the log is indexed before anything reads or writes.
  catchUp();

  return {
    write(rows) {
      if (closed) return Promise.reject(new Error('the store is closed'));
      // Before refusing, the progress as it stands: another process may have indexed meanwhile.
      if (unindexedRows + rows.length > maxPendingRows) indexedUpTo(localIndexer().progress());
      if (unindexedRows + rows.length > maxPendingRows) {
        return Promise.reject(
          new BacklogFullError(`more than ${maxPendingRows} acknowledged rows wait for the indexer`),
        );
      }
      // A few texts cross to the writer thread, and the ids as flat arrays of strings: cloning the
      // rows as tuples cost this thread a tenth of its time, while a text is one copy, and a flat
      // array of strings clones for about what its JSON costs to write (see wire.js).
      writer ??= start();
      return send(writer, encodeRows(rows));
    },
    catchUp() {
      if (!closed) catchUp();
    },
    async catchUpAsync() {
      if (closed) return;
      const here = localIndexer();
      const target = here.head();
      // A server under load may be far behind: a transaction of 2,000 rows (a few ms), then the
      // requests waiting meanwhile, then the next, rather than one long stall of the event loop.
      let indexed = 0;
      while (!closed && here.progress() < target) {
        indexed += here.step(2000).indexed;
        indexedUpTo(here.progress());
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (indexed > 0 && !indexerThread && !closed) prune();
    },
    pruneIndexed() {
      if (!closed) prune();
    },
    get pendingRows() {
      return unindexedRows;
    },
    pipelined: true,
    async close() {
      if (closed) return;
      closed = true;
      const w = writer;
      const ix = indexer;
      writer = null;
      indexer = null;
      if (ix) {
        ix.ref(); // awaiting its answer must keep the process alive
        await new Promise<void>((resolve) => {
          ix.once('exit', () => resolve());
          ix.on('message', (m: { closed?: boolean }) => m.closed && resolve());
          ix.postMessage({ close: true });
        });
        await ix.terminate();
      }
      if (w) {
        await send(w, { close: true }).catch(() => undefined);
        await w.terminate();
      }
      catchUp();
      prune(); // the log is left empty at rest
      local?.log.close();
      local = null;
    },
  };
}

function toOutcomes(codes: Uint8Array): InsertOutcome[] {
  const outcomes: InsertOutcome[] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) outcomes[i] = codes[i] === 1 ? 'inserted' : 'duplicate';
  return outcomes;
}
