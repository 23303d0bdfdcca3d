// CPU cost per event, measured as CPU time (process.cpuUsage) rather than wall time, so it holds
// up on a machine shared with other work, where the HTTP benchmark's rates do not. In-process,
// without sockets (Hono's app.request), for the same 20-event batches as run.js:
//   collector request path  createApp with every check, a store whose commit is free
//   bare request path       Hono parse-and-ack
//   SQLite commit           the collector's store, a file in WAL mode, groups of 500 rows
// Importable (measureCpuCost) and runnable: node bench/ingest/cpu-cost.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const dist = new URL('../../packages/collector/dist/', import.meta.url);
const EVENTS = 20;

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
      page: { url: 'https://shop.example/p/sku', path: '/p/sku', referrer: 'https://shop.example/', title: 'A product' },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
      locale: 'en-US',
      library: { name: 'loupe.js', version: '0.1.0' },
      sessionId: 'sess-@@',
      consent: { categories: { analytics: true } },
    },
  }));
  return JSON.stringify({ batch, sentAt: now });
}

/** CPU µs per event for `requests` batches sent by 50 concurrent callers, after a warm-up. */
async function cpuPerEvent(app, headers, requests = 4000) {
  const template = batchTemplate();
  let n = 0;
  const loop = async (count) => {
    for (let i = 0; i < count; i++) {
      const res = await app.request('/v1/batch', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: template.replaceAll('@@', `c${n++}`) });
      if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  const run = async (count) => {
    const start = process.cpuUsage();
    await Promise.all(Array.from({ length: 50 }, () => loop(count / 50)));
    const used = process.cpuUsage(start);
    return (used.user + used.system) / (count * EVENTS);
  };
  await run(1000);
  return run(requests);
}

export async function measureCpuCost() {
  const { createApp } = await import(new URL('app.js', dist).href);
  const { createSqliteStore } = await import(new URL('storage/sqlite/index.js', dist).href);

  const inner = createSqliteStore({ path: ':memory:' });
  const key = await inner.createKey({ origins: ['*'] });
  const freeCommit = Object.create(inner, { insertEvents: { value: async (rows) => rows.map(() => 'inserted') } });
  const { app } = createApp({ store: freeCommit, logger: { log() {} } });
  const collector = await cpuPerEvent(app, { authorization: `Basic ${Buffer.from(`${key.key}:`).toString('base64')}` });
  await inner.close();

  const bareApp = new Hono();
  bareApp.post('/v1/batch', async (c) => {
    const body = await c.req.json();
    return c.json({ accepted: body.batch.length, duplicates: 0, rejected: [] });
  });
  const bare = await cpuPerEvent(bareApp, {});

  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-cpu-'));
  const store = createSqliteStore({ path: join(dir, 'loupe.db'), writer: 'inline' });
  const now = new Date().toISOString();
  let n = 0;
  const row = () => {
    const messageId = `r${n++}`;
    const anonymousId = `anon-${n % 500}`;
    const payload = { ...JSON.parse(batchTemplate()).batch[0], messageId, anonymousId, receivedAt: now };
    return { writeKey: key.key, messageId, type: 'track', anonymousId, userId: null, name: 'Product Viewed', timestamp: now, receivedAt: now, sessionId: 'sess', ip: '127.0.0.0', isBot: false, payload };
  };
  const groups = Array.from({ length: 45 }, () => Array.from({ length: 500 }, row));
  for (const group of groups.slice(0, 5)) await store.insertEvents(group);
  const start = process.cpuUsage();
  for (const group of groups.slice(5)) await store.insertEvents(group);
  const used = process.cpuUsage(start);
  const insert = (used.user + used.system) / (40 * 500);
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  return { collector, bare, insert };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { collector, bare, insert } = await measureCpuCost();
  console.log(`CPU per event: collector request path ${collector.toFixed(1)} µs + SQLite commit ${insert.toFixed(1)} µs; bare ${bare.toFixed(1)} µs`);
}
