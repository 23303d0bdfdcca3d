// CPU per event of the acknowledging half of the SQLite ingest log (createLogAppender: the duplicate
// checks and the group's log entry, committed), on groups of 500 rows of the run.js events, with a
// million events already indexed (the table each duplicate check reads). Side by side with another
// build of ingest-log.js, copied beside the built one so its relative imports resolve, e.g.
//   npm run build
//   git show <commit>:packages/collector/src/storage/sqlite/ingest-log.js > packages/collector/dist/storage/sqlite/ingest-log.old.js
//   node bench/ingest/ack.js packages/collector/dist/storage/sqlite/ingest-log.old.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { batchTemplate, prefill, storedRow } from './cpu-cost.js';

const dist = new URL('../../packages/collector/dist/storage/sqlite/', import.meta.url);
const builds = [new URL('ingest-log.js', dist).href];
for (const path of process.argv.slice(2)) builds.push(pathToFileURL(resolve(path)).href);
const { createEventInserter, openDatabase } = await import(new URL('event-writer.js', dist).href);
const { migrate } = await import(new URL('schema.js', dist).href);
const { encodeRows } = await import(new URL('wire.js', dist).href);

const WRITE_KEY = 'wk_0123456789abcdef0123456789abcdef';
const GROUPS = 40;
const ROWS = 500;
const template = JSON.parse(batchTemplate()).batch[1];
const now = new Date().toISOString();

/** A fresh database holding a million indexed events, and groups of new ones encoded as the writer receives them. */
function prepare(log) {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-ack-'));
  const path = join(dir, 'loupe.db');
  const db = openDatabase(path);
  migrate(db);
  prefill(db, WRITE_KEY);
  const logDb = openDatabase(log.ingestLogPath(path));
  log.migrateIngestLog(logDb, path);
  let n = 0;
  const groups = Array.from({ length: GROUPS + 5 }, () =>
    encodeRows(
      Array.from({ length: ROWS }, () => {
        const messageId = `r${n++}`;
        return storedRow(template, WRITE_KEY, messageId, `anon-${n % 500}`, now);
      }),
    ),
  );
  return { db, logDb, groups, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function cpuPerEvent(href) {
  const log = await import(href);
  const { db, logDb, groups, done } = prepare(log);
  const appender = log.createLogAppender(logDb, db);
  const indexer = log.createLogIndexer(db, logDb, createEventInserter(db));
  for (const group of groups.slice(0, 5)) appender.append(group.texts, group.ids); // warm-up
  while (indexer.step().indexed > 0);
  let fresh = 0;
  const start = process.cpuUsage();
  for (const group of groups.slice(5))
    for (const outcome of appender.append(group.texts, group.ids).outcomes) fresh += outcome;
  const used = process.cpuUsage(start);
  db.close();
  logDb.close();
  done();
  if (fresh !== GROUPS * ROWS) throw new Error(`${fresh} of ${GROUPS * ROWS} new events acknowledged as new`);
  return (used.user + used.system) / (GROUPS * ROWS);
}

// Alternating builds three times, so drift of the machine falls on each of them alike.
for (let round = 1; round <= 3; round++) {
  const figures = [];
  for (const href of builds)
    figures.push(`${(await cpuPerEvent(href)).toFixed(2)} µs/event (${href.split('/').slice(-1)[0]})`);
  console.log(`round ${round}: ${figures.join(' vs ')}`);
}
