import { existsSync, linkSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createEventInserter } from './event-writer.js';
import { createLogIndexer, ingestLogPath } from './ingest-log.js';

export interface BackupResult {
  /** Events in the backup. */
  events: number;
  /** Of those, the acknowledged events that were still in the ingest log, indexed into the copy. */
  fromLog: number;
  bytes: number;
}

/**
 * A consistent copy of a SQLite collector's data as one self-contained file, safe to take while
 * `loupe serve` is ingesting. Copying `loupe.db` by hand is not: the last acknowledged events may
 * still be in the ingest log beside it (`loupe.db-ingest`), and a file copy of a database in WAL
 * mode can catch it mid-commit.
 *
 * How it stays consistent without stopping the writer: a read transaction on the log first
 * (snapshot L), then `VACUUM INTO` the copy (its own snapshot E of the database, taken after L, so
 * E's indexing progress is at least what L's pruning assumed), then the entries of L past E's
 * progress are indexed into the copy. Every event acknowledged before the backup started is in it
 * once; some acknowledged during it may be too. The copy opens as a collector database of its own
 * (`loupe serve --db <copy>`): restoring is using it.
 *
 * The copy is written beside `to` and linked into place once whole (a link, unlike a rename, never
 * replaces a file that appeared meanwhile), so `to` is never a partial backup nor someone else's file lost.
 *
 * @throws when `dbPath` is missing or `to` exists (a backup never overwrites a file)
 */
export function backupSqlite(dbPath: string, to: string): BackupResult {
  if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}`);
  if (existsSync(to)) throw new Error(`${to} exists: a backup never overwrites a file`);
  const partial = `${to}.partial-${process.pid}`;
  const logPath = ingestLogPath(dbPath);
  const log = existsSync(logPath) ? new Database(logPath, { readonly: true, fileMustExist: true }) : null;
  try {
    log?.pragma('busy_timeout = 5000');
    // A read transaction's snapshot starts at its first read.
    log?.exec('BEGIN');
    log?.prepare('SELECT count(*) FROM ingest_log').get();
    const source = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      source.prepare('VACUUM INTO ?').run(partial);
    } finally {
      source.close();
    }
    const copy = new Database(partial);
    try {
      let fromLog = 0;
      if (log) {
        const indexer = createLogIndexer(copy, log, createEventInserter(copy));
        for (let before = -1; before !== indexer.progress(); ) {
          before = indexer.progress();
          fromLog += indexer.step().indexed;
        }
      }
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the backup failed SQLite's check: ${String(check)}`);
      const events = copy.prepare('SELECT count(*) FROM events').pluck().get() as number;
      copy.close();
      linkSync(partial, to);
      return { events, fromLog, bytes: statSync(to).size };
    } finally {
      if (copy.open) copy.close();
    }
  } finally {
    log?.close();
    for (const file of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`])
      rmSync(file, { force: true });
  }
}
