// What a person's export and erasure cost on a large SQLite store, and what storing the events
// that make it large cost: the trade the id filters make (packages/collector/src/storage/sqlite/id-filter.js).
// Events come through the store's own insert, 500 a call, from `--visitors` random v4 UUIDs (one
// in ten events also with a user id), as a site's traffic looks to the events table.
//
//   node bench/ingest/person-lookup.js [--events 1000000] [--visitors 50000] [--vs <checkout>]
//
// `--vs` runs the same in another checkout's build (built there with `npm run build`), in turn.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    visitors: { type: 'string', default: '50000' },
    vs: { type: 'string' },
    dist: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('node bench/ingest/person-lookup.js [--events N] [--visitors N] [--vs <checkout>]');
  process.exit(0);
}
const events = Number(values.events);
const visitors = Number(values.visitors);

async function measure(distDir) {
  const { createSqliteStore } = await import(join(distDir, 'storage/sqlite/index.js'));
  const dir = mkdtempSync(join(tmpdir(), 'loupe-person-lookup-'));
  try {
    const store = createSqliteStore({ path: join(dir, 'loupe.db'), writer: 'inline' });
    const pool = Array.from({ length: visitors }, () => crypto.randomUUID());
    const start = Date.UTC(2026, 10, 1);
    const row = (i) => {
      const anonymousId = pool[Math.floor(Math.random() * visitors)];
      const userId = i % 10 === 0 ? `user-${anonymousId.slice(0, 8)}` : null;
      const at = new Date(start + i * 10).toISOString();
      return {
        writeKey: 'wk_bench',
        messageId: Math.floor(start / 1000 + i / 50).toString(36) + crypto.randomUUID(),
        type: 'track',
        anonymousId,
        userId,
        name: 'Product Viewed',
        timestamp: at,
        receivedAt: at,
        sessionId: null,
        ip: '203.0.113.0',
        isBot: false,
        payload: { type: 'track', event: 'Product Viewed', anonymousId, properties: { sku: `sku-${i % 300}` } },
      };
    };
    const cpu = process.cpuUsage();
    for (let i = 0; i < events; i += 500) {
      await store.insertEvents(Array.from({ length: Math.min(500, events - i) }, (_, k) => row(i + k)));
    }
    const used = process.cpuUsage(cpu);
    const insertUs = (used.user + used.system) / events;
    const time = async (fn) => {
      const t = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const exportMs = [];
    const eraseMs = [];
    let found = 0;
    let erased = 0;
    for (let k = 0; k < 10; k++) {
      const person = pool[k];
      exportMs.push(
        await time(async () => (found += (await store.eventsForIds([person, `user-${person.slice(0, 8)}`])).length)),
      );
    }
    for (let k = 10; k < 20; k++) {
      const person = pool[k];
      eraseMs.push(
        await time(async () => (erased += await store.deleteEventsForIds([person, `user-${person.slice(0, 8)}`]))),
      );
    }
    await store.close();
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { insertUs, exportMs: median(exportMs), eraseMs: median(eraseMs), found: found / 10, erased: erased / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const here = fileURLToPath(new URL('../../packages/collector/dist/', import.meta.url));
if (values.dist) {
  console.log(JSON.stringify(await measure(values.dist)));
} else {
  const builds = [['this checkout', here]];
  if (values.vs) builds.push([values.vs, join(values.vs, 'packages/collector/dist/')]);
  console.log(
    `${events.toLocaleString('en')} events from ${visitors.toLocaleString('en')} visitors, inserted 500 a call (inline writer)`,
  );
  for (const [name, dist] of builds) {
    // A process each: the same heap and page cache state for both builds.
    const out = execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--events', String(events), '--visitors', String(visitors), '--dist', dist],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop());
    console.log(
      `${name}: storing ${r.insertUs.toFixed(1)} µs of CPU an event; a person's export ${r.exportMs.toFixed(1)} ms (${r.found.toFixed(1)} events), erasure ${r.eraseMs.toFixed(1)} ms (${r.erased.toFixed(1)} events), medians of 10`,
    );
  }
}
