// CPU cost per event, measured as CPU time (process.cpuUsage) rather than wall time, so it holds
// up on a machine shared with other work, where the HTTP benchmark's rates do not. In-process,
// without sockets (Hono's app.request), for the same 20-event batches as run.js:
//   collector request path  createApp with every check, a store whose commit is free
//   bare request path       Hono parse-and-ack
//   ack commit              rows encoded and committed to the ingest log, groups of 500 rows
//   indexing                the ingest log moved into the events table (after the acknowledgement)
//   (the indexing also one commit group a transaction, as the indexer thread does when it keeps up)
// Importable (measureCpuCost) and runnable: node bench/ingest/cpu-cost.js [--uuid | --loupe-ids] [--visitors N]
// node bench/ingest/cpu-cost.js --gzip: the request path for plain and gzipped bodies, side by side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const dist = new URL('../../packages/collector/dist/', import.meta.url);
const EVENTS = 20;
const PREFILL = 1_000_000;
const START = Date.UTC(2026, 10, 1);

/** The i-th message id of a kind; `loupe` ids advance a millisecond every 50 events (a busy site's pace). */
function messageIdOf(ids, sequential, i) {
  if (ids === 'uuid') return crypto.randomUUID();
  if (ids === 'loupe') return Math.floor(START + i / 50).toString(36) + crypto.randomUUID();
  return sequential;
}

/**
 * The anonymous id of the i-th event or batch: `anon-<i mod 50,000>` by default (in order, as the
 * index sees them), or one of `visitors` random v4 UUIDs (what loupe.js sends: each insert lands on
 * a page of its own in the anonymous-id index, as on a real site's traffic).
 */
export function visitorPool(visitors) {
  if (!visitors) return (i) => `anon-${i % 50_000}`;
  // Random ids: consecutive draws land far apart in the index, so taking them in turn scatters enough.
  const pool = Array.from({ length: visitors }, () => crypto.randomUUID());
  return (i) => pool[i % visitors];
}

/** Fills the events table (its unique message-id index is what each acknowledgement reads) like a site's after a few weeks. */
export function prefill(db, writeKey, ids = 'sequential', visitor = visitorPool(0)) {
  const insert = db.prepare(
    `INSERT INTO events (write_key, message_id, type, anonymous_id, name, ts, received_at, payload) VALUES (?, ?, 'track', ?, 'Product Viewed', ?, ?, '{}')`,
  );
  const now = new Date(0).toISOString();
  const fill = db.transaction((from, to) => {
    for (let i = from; i < to; i++) insert.run(writeKey, messageIdOf(ids, `p${i}`, i), visitor(i), now, now);
  });
  for (let i = 0; i < PREFILL; i += 100_000) fill(i, i + 100_000);
}

/** A row as the route hands it to storage: one of `batchTemplate`'s events, stored with these ids. */
export function storedRow(template, writeKey, messageId, anonymousId, now) {
  return {
    writeKey,
    messageId,
    type: 'track',
    anonymousId,
    userId: null,
    name: 'Product Viewed',
    timestamp: now,
    receivedAt: now,
    sessionId: 'sess',
    ip: '127.0.0.0',
    isBot: false,
    payload: { ...template, messageId, anonymousId, receivedAt: now },
  };
}

/** A batch body template shared by both benchmarks; `@@` is replaced per request so every messageId is unique. */
export function batchTemplate(events = EVENTS) {
  const now = new Date().toISOString();
  const batch = Array.from({ length: events }, (_, i) => ({
    type: i % 5 === 0 ? 'page' : 'track',
    ...(i % 5 === 0 ? { name: 'Product' } : { event: 'Product Viewed' }),
    messageId: `@@-${i}`,
    anonymousId: 'anon-@@',
    timestamp: now,
    properties: { product_id: `sku-${i}`, price: 19.9 + i, currency: 'EUR', url: 'https://shop.example/p/sku' },
    context: {
      page: {
        url: 'https://shop.example/p/sku',
        path: '/p/sku',
        referrer: 'https://shop.example/',
        title: 'A product',
      },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
      locale: 'en-US',
      library: { name: 'loupe.js', version: '0.1.0' },
      sessionId: 'sess-@@',
      consent: { categories: { analytics: true } },
    },
  }));
  return JSON.stringify({ batch, sentAt: now });
}

/**
 * CPU µs per event for `requests` batches sent by 50 concurrent callers, after a warm-up. With
 * `encode`, every body is made (and encoded: gzipped, say) before the clock starts, so only the
 * app's work is counted.
 */
async function cpuPerEvent(app, headers, requests = 4000, encode = undefined) {
  const template = batchTemplate();
  let n = 0;
  let made = [];
  const body = () => {
    if (encode) return made.pop();
    return template.replaceAll('@@', `c${n++}`);
  };
  const loop = async (count) => {
    for (let i = 0; i < count; i++) {
      const res = await app.request('/v1/batch', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: body(),
      });
      if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  const run = async (count) => {
    if (encode) made = Array.from({ length: count }, () => encode(template.replaceAll('@@', `c${n++}`)));
    const start = process.cpuUsage();
    await Promise.all(Array.from({ length: 50 }, () => loop(count / 50)));
    const used = process.cpuUsage(start);
    return (used.user + used.system) / (count * EVENTS);
  };
  await run(1000);
  return run(requests);
}

/**
 * `ids`: `sequential` (as run.js sends), `uuid` (random v4, as Segment's libraries send) or `loupe`
 * (milliseconds in base 36, then a v4 UUID, as loupe.js sends). `visitors`: 0 for anonymous ids in
 * order, or the size of a pool of random v4 UUIDs the batches' anonymous ids are drawn from.
 */
export async function measureCpuCost({ ids = 'sequential', visitors = 0 } = {}) {
  const { app, auth, key, close } = await freeCommitApp();
  const collector = await cpuPerEvent(app, auth);
  await close();

  const bareApp = new Hono();
  bareApp.post('/v1/batch', async (c) => {
    const body = await c.req.json();
    return c.json({ accepted: body.batch.length, duplicates: 0, rejected: [] });
  });
  const bare = await cpuPerEvent(bareApp, {});

  // The SQLite side, in this thread through the same modules the writer and indexer threads run:
  // the acknowledgement (rows encoded for the writer, each message id and the group's log entry
  // committed to the ingest log) and, apart, the indexing that fills the events table afterwards.
  const { createEventInserter, openDatabase } = await import(new URL('storage/sqlite/event-writer.js', dist).href);
  const { migrate } = await import(new URL('storage/sqlite/schema.js', dist).href);
  const { createLogAppender, createLogIndexer, ingestLogPath, migrateIngestLog } = await import(
    new URL('storage/sqlite/ingest-log.js', dist).href
  );
  const { encodeRows } = await import(new URL('storage/sqlite/wire.js', dist).href);
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-cpu-'));
  const path = join(dir, 'loupe.db');
  const db = openDatabase(path);
  migrate(db);
  const log = openDatabase(ingestLogPath(path));
  migrateIngestLog(log, path);
  const appender = createLogAppender(log, db);
  const indexer = createLogIndexer(db, log, createEventInserter(db));
  const now = new Date().toISOString();
  const visitor = visitorPool(visitors);
  let n = 0;
  const template = JSON.parse(batchTemplate()).batch[0];
  const row = () => {
    const messageId = messageIdOf(ids, `r${n}`, PREFILL + n);
    // A batch's 20 events share their visitor, as one browser's do.
    const anonymousId = visitors ? visitor(Math.floor(n / EVENTS)) : `anon-${n % 500}`;
    n++;
    return storedRow(template, key.key, messageId, anonymousId, now);
  };
  const groups = Array.from({ length: 85 }, () => Array.from({ length: 500 }, row));
  // A store that already holds a million events, as a site's does after some weeks: with random ids
  // the cost of each lookup and insert grows with it.
  if (PREFILL > 0) prefill(db, key.key, ids, visitor);
  const ack = (group) => {
    const { texts, ids } = encodeRows(group);
    appender.append(texts, ids);
  };
  for (const group of groups.slice(0, 5)) ack(group);
  while (indexer.step().indexed > 0);
  let start = process.cpuUsage();
  for (const group of groups.slice(5, 45)) ack(group);
  let used = process.cpuUsage(start);
  const insert = (used.user + used.system) / (40 * 500);
  start = process.cpuUsage();
  while (indexer.step().indexed > 0);
  used = process.cpuUsage(start);
  const index = (used.user + used.system) / (40 * 500);
  // The same indexing one commit group (500 rows) a transaction, as the indexer thread does when it
  // keeps up with the acknowledgements as they come.
  for (const group of groups.slice(45)) ack(group);
  start = process.cpuUsage();
  while (indexer.step(1).indexed > 0);
  used = process.cpuUsage(start);
  const indexPerGroup = (used.user + used.system) / (40 * 500);
  db.close();
  log.close();
  rmSync(dir, { recursive: true, force: true });

  return { collector, bare, insert, index, indexPerGroup };
}

/** The collector app with every check, over a store whose commit is free, and a key's Basic auth. */
async function freeCommitApp() {
  const { createApp } = await import(new URL('app.js', dist).href);
  const { createSqliteStore } = await import(new URL('storage/sqlite/index.js', dist).href);
  const inner = createSqliteStore({ path: ':memory:' });
  const key = await inner.createKey({ origins: ['*'] });
  const freeCommit = Object.create(inner, { insertEvents: { value: async (rows) => rows.map(() => 'inserted') } });
  const { app } = createApp({ store: freeCommit, logger: { log() {} } });
  return {
    app,
    auth: { authorization: `Basic ${Buffer.from(`${key.key}:`).toString('base64')}` },
    key,
    close: () => inner.close(),
  };
}

/**
 * The request path's CPU per event for the same batches sent as they are and gzipped (as
 * RudderStack's Node SDK and Segment's Java library send them), every body made before the clock
 * starts; `rounds` alternations. Decompression runs on libuv's pool: process.cpuUsage counts it.
 */
export async function measureGzipCost(rounds = 5) {
  const { app, auth, close } = await freeCommitApp();
  const plain = [];
  const gzipped = [];
  for (let r = 0; r < rounds; r++) {
    plain.push(await cpuPerEvent(app, auth, 4000, (text) => text));
    gzipped.push(await cpuPerEvent(app, { ...auth, 'content-encoding': 'gzip' }, 4000, (text) => gzipSync(text)));
  }
  await close();
  return { plain, gzipped };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--gzip')) {
  const { plain, gzipped } = await measureGzipCost();
  const show = (xs) => xs.map((x) => x.toFixed(1)).join('/');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `request path CPU per event, 5 alternations: plain ${show(plain)} µs, gzipped ${show(gzipped)} µs; medians ${median(plain).toFixed(1)} and ${median(gzipped).toFixed(1)} µs (×${(median(gzipped) / median(plain)).toFixed(2)})`,
  );
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ids = process.argv.includes('--uuid') ? 'uuid' : process.argv.includes('--loupe-ids') ? 'loupe' : 'sequential';
  const at = process.argv.indexOf('--visitors');
  const visitors = at > 0 ? Number(process.argv[at + 1]) : 0;
  console.log(
    `message ids: ${ids}, anonymous ids: ${visitors ? `${visitors.toLocaleString('en-US')} random visitors` : 'in order'}, ${PREFILL.toLocaleString('en-US')} events stored before`,
  );
  const { collector, bare, insert, index, indexPerGroup } = await measureCpuCost({ ids, visitors });
  console.log(
    `CPU per event: collector request path ${collector.toFixed(1)} µs + acknowledged commit to the ingest log ${insert.toFixed(1)} µs (+ indexing ${index.toFixed(1)} µs later, off the acknowledgement path, 4,000 rows a transaction; ${indexPerGroup.toFixed(1)} µs 500 a transaction); bare ${bare.toFixed(1)} µs`,
  );
}
