import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { InsertOutcome, StoredEvent } from '../types.js';
import { createEventWriter, type EventTuple, type LinkTuple } from './event-writer.js';

export interface EventWriter {
  write(rows: readonly StoredEvent[]): Promise<InsertOutcome[]>;
  close(): Promise<void>;
}

/** In this thread: for `:memory:` databases, which another thread cannot open. */
export function createInlineWriter(db: Database.Database): EventWriter {
  const write = createEventWriter(db);
  return {
    async write(rows) {
      const [tuples, links] = toTuples(rows, true);
      return toOutcomes(write(tuples, links));
    },
    async close() {},
  };
}

interface Pending {
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (error: Error) => void;
}

/**
 * In a worker thread with its own connection: SQLite's inserts and the fsync of each commit
 * run on the second core while the main thread keeps parsing and answering requests.
 */
export function createWorkerWriter(path: string): EventWriter {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function failAll(error: Error): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function start(): Worker {
    const w = new Worker(new URL('./event-writer.js', import.meta.url), { workerData: { role: 'loupe-event-writer', path } });
    w.on('message', (message: { id: number; outcomes?: Uint8Array; error?: string; closed?: boolean }) => {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (pending.size === 0) w.unref();
      if (message.error !== undefined) p.reject(new Error(message.error));
      else p.resolve(message.outcomes ? toOutcomes(message.outcomes) : []);
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', (code) => {
      if (worker === w) worker = null; // a new one starts with the next write
      failAll(new Error(`event writer exited with code ${code}`));
    });
    // Referenced only while a write is pending: an idle writer never keeps the process alive,
    // and a pending one always does (else awaiting its answer could end the process first).
    w.unref();
    return w;
  }

  function send(message: Record<string, unknown>): Promise<InsertOutcome[]> {
    worker ??= start();
    const id = nextId++;
    const w = worker;
    return new Promise((resolve, reject) => {
      if (pending.size === 0) w.ref();
      pending.set(id, { resolve, reject });
      w.postMessage({ id, ...message });
    });
  }

  return {
    write(rows) {
      // One string crosses to the worker, not thousands of small values: cloning a string is a
      // copy, while cloning the tuples cost the main thread a tenth of its time. The worker
      // parses it and serializes each payload, on the core that has time for it.
      const [tuples, links] = toTuples(rows, false);
      return send({ json: JSON.stringify({ rows: tuples, links }) });
    },
    async close() {
      if (!worker) return;
      const w = worker;
      await send({ close: true }).catch(() => undefined);
      worker = null;
      await w.terminate();
    },
  };
}

function toOutcomes(codes: Uint8Array): InsertOutcome[] {
  const outcomes: InsertOutcome[] = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) outcomes[i] = codes[i] === 1 ? 'inserted' : 'duplicate';
  return outcomes;
}

/** `serialize`: the payload as JSON text (ready to insert), else as the object itself. */
function toTuples(rows: readonly StoredEvent[], serialize: boolean): [EventTuple[], LinkTuple[]] {
  const tuples: EventTuple[] = new Array(rows.length);
  const links: LinkTuple[] = [];
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i] as StoredEvent;
    tuples[i] = [
      e.writeKey,
      e.messageId,
      e.type,
      e.anonymousId,
      e.userId,
      e.name,
      e.timestamp,
      e.receivedAt,
      e.sessionId,
      e.ip,
      e.isBot ? 1 : 0,
      serialize ? JSON.stringify(e.payload) : (e.payload as unknown as string),
    ];
    if (e.anonymousId && e.userId) links.push([i, e.anonymousId, e.userId, e.timestamp]);
    if (e.type === 'alias' && e.userId && 'previousId' in e.payload && e.payload.previousId) {
      const previous = String(e.payload.previousId);
      if (previous !== e.userId) links.push([i, previous, e.userId, e.timestamp]);
    }
  }
  return [tuples, links];
}
