// Plain JavaScript on purpose: a worker thread's entry (see event-writer.js).
//
// The indexer thread: moves acknowledged groups from the ingest log into the events table, at a
// lower CPU priority than the threads that answer requests, so under load the acknowledgements keep
// the cores and the indexing catches up in the gaps (see ingest-log.js).
import { setPriority } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createLogIndexer } from './ingest-log.js';
import { createEventInserter, openDatabase } from './event-writer.js';

if (!isMainThread && parentPort && workerData?.role === 'loupe-event-indexer') {
  const port = parentPort;
  /** @type {import('node:worker_threads').MessagePort} */
  const writer = workerData.writer;
  // Linux keeps a nice value per thread, and pid 0 names the calling thread: only this one yields.
  // Elsewhere the call would renice the whole process, so it is not made.
  if (process.platform === 'linux' && workerData.nice > 0) {
    try {
      setPriority(0, workerData.nice);
    } catch {}
  }
  const db = openDatabase(workerData.path);
  const log = new Database(workerData.logPath, { readonly: true });
  log.pragma('busy_timeout = 5000');
  const indexer = createLogIndexer(db, log, createEventInserter(db));
  let head = indexer.head();
  let running = false;
  let closing = false;

  const run = () => {
    if (closing) return;
    try {
      const { progress, indexed } = indexer.step();
      if (indexed > 0 || progress >= head) {
        port.postMessage({ progress, indexed });
      }
      if (progress < head) {
        setImmediate(run); // let messages in between transactions
        return;
      }
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      setTimeout(run, 1000).unref(); // SQLITE_BUSY past the timeout, a full disk: try again later
      return;
    }
    running = false;
  };
  const wake = () => {
    if (running || closing) return;
    running = true;
    setImmediate(run);
  };

  writer.on('message', (/** @type {{head?: number}} */ message) => {
    if (message.head && message.head > head) head = message.head;
    wake();
  });
  port.on('message', (/** @type {{close?: boolean}} */ message) => {
    if (!message.close) return;
    closing = true;
    db.close();
    log.close();
    writer.close();
    port.postMessage({ closed: true });
    port.close();
  });
  wake();
}
