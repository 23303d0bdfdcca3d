// The read-back bench's collector: a SQLite file filled with simulated shoppers (through the store),
// one segmentation run, then the built collector serving on a free loopback port. Prints one JSON
// line {url, writeKey, anonymousIds} when ready; runs until killed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, startServer } from '@loupe/collector';
import { simulatePerson } from '@loupe/segmenter';
import { storedSimulated } from '../simulated-row.js';
import { segmentAndSave } from '../../packages/collector/dist/cli/segment.js';

const users = Number(process.argv[2] ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-readback-'));
const path = join(dir, 'loupe.db');
const writeKey = 'wk_bench_readback';
const store = createSqliteStore({ path, writer: 'inline' });
await store.createKey({ key: writeKey, origins: ['*'] });
const receivedAt = new Date().toISOString();
const start = new Date(Date.now() - 30 * 86_400_000).toISOString();
const anonymousIds = [];
let page = [];
for (let i = 0; i < users; i++) {
  const { person, events } = simulatePerson(i, { users, days: 30, seed: 21, start });
  anonymousIds.push(...person.anonymousIds);
  for (const e of events) {
    page.push(storedSimulated(e, writeKey, receivedAt));
  }
  if (page.length >= 5000) {
    await store.insertEvents(page);
    page = [];
  }
}
if (page.length > 0) await store.insertEvents(page);
await segmentAndSave(store, { k: 'auto' });
await store.close();

const server = await startServer({ db: path, port: 0, hostname: '127.0.0.1', logger: { log() {} } });
process.stdout.write(`${JSON.stringify({ url: server.url, writeKey, anonymousIds, dir })}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
