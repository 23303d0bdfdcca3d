// Segmenter benchmark: simulated shoppers (planted personas, two days of behavior each, so that
// 1 M events make ~50 k profiles) stored in a SQLite file through the collector's store, then one
// `runSegmentation` over the file (streaming pages of events, k chosen automatically), timed in its
// own process with its peak RSS. Sizes: 100 k, 1 M and 5 M events.
//
//   npm run build && node bench/segment/run.js [--sizes 100000,1000000,5000000] [--write]
//
// --write replaces the "Segmenter" section of bench/RESULTS.md with this run's figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSqliteStore } from '@loupe/collector';
import { simulatePerson } from '@loupe/segmenter';
import { storedSimulated } from '../simulated-row.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000,5000000' },
    write: { type: 'boolean', default: false },
  },
});
const sizes = args.sizes.split(',').map(Number);
const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const DAYS = 2;
const start = '2024-03-01T00:00:00.000Z';

/** Fills a SQLite file with at least `target` simulated events; returns the people simulated. */
async function prepare(path, target) {
  const store = createSqliteStore({ path, writer: 'inline' });
  let events = 0;
  let people = 0;
  let page = [];
  const receivedAt = new Date().toISOString();
  while (events < target) {
    const { events: evs } = simulatePerson(people, { users: Number.MAX_SAFE_INTEGER, days: DAYS, seed: 7, start });
    people++;
    for (const e of evs) {
      if (events >= target) break;
      page.push(storedSimulated(e, 'wk_bench', receivedAt));
      events++;
    }
    if (page.length >= 5000) {
      await store.insertEvents(page);
      page = [];
    }
  }
  if (page.length > 0) await store.insertEvents(page);
  await store.close();
  return people;
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
const results = [];
const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-segment-'));
try {
  for (const size of sizes) {
    const path = join(dir, `events-${size}.db`);
    const t0 = performance.now();
    const people = await prepare(path, size);
    const prepareS = (performance.now() - t0) / 1000;
    const child = spawnSync(process.execPath, [join(here, 'child.js'), path], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`segmentation failed: ${child.stderr}`);
    const run = JSON.parse(child.stdout.trim().split('\n').pop());
    results.push({ size, people, prepareS, ...run });
    console.log(
      `  ${size.toLocaleString('en')} events, ${run.profiles.toLocaleString('en')} profiles: ${(run.ms / 1000).toFixed(1)} s, peak RSS ${run.maxRssMB.toFixed(0)} MB, k=${run.k} (file prepared in ${prepareS.toFixed(0)} s)`,
    );
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const at = (n) => results.find((r) => r.size === n);
const oneM = at(1_000_000);
const hundredK = at(100_000);
const tenM = at(5_000_000);
const lines = [];
if (oneM)
  lines.push(
    `1 M events: ${(oneM.ms / 1000).toFixed(1)} s (target ≤ 15 s: ${oneM.ms <= 15_000 ? 'met' : 'not met'}), ${oneM.maxRssMB.toFixed(0)} MB (target ≤ 1 GB: ${oneM.maxRssMB <= 1024 ? 'met' : 'not met'}).`,
  );
if (oneM && hundredK)
  lines.push(
    `10 × the events (100 k → 1 M): ${(oneM.ms / hundredK.ms).toFixed(1)} × the time (target ≤ 12 ×: ${oneM.ms / hundredK.ms <= 12 ? 'met' : 'not met'}).`,
  );
if (tenM && oneM) lines.push(`5 × the events (1 M → 5 M): ${(tenM.ms / oneM.ms).toFixed(1)} × the time.`);
for (const l of lines) console.log(`  ${l}`);
console.log(`  machine: ${machine}`);

if (args.write) {
  const command = `npm run build && node bench/segment/run.js --sizes ${sizes.join(',')} --write`;
  const section = [
    '## Segmenter',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    '',
    `Command: \`${command}\``,
    '',
    `Input: simulated shoppers (planted personas and bots, ${DAYS} days each) stored in a SQLite file through the collector's store. Timed: one \`runSegmentation\` in its own process, streaming the events from the file in pages, k chosen automatically (2–8), everything saved to memory; peak RSS of that process.`,
    '',
    '| events | profiles | time s | peak RSS MB | k |',
    '|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.events.toLocaleString('en')} | ${r.profiles.toLocaleString('en')} | ${(r.ms / 1000).toFixed(1)} | ${r.maxRssMB.toFixed(0)} | ${r.k} |`,
    ),
    '',
    ...lines,
    '',
  ].join('\n');
  const path = join(root, 'bench/RESULTS.md');
  const current = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmark results\n\nEach section is written by its benchmark (`npm run bench` runs them all); figures are from the machine named in the section.\n\n';
  const pattern = /## Segmenter\n[\s\S]*?(?=\n## |$)/;
  const next = pattern.test(current)
    ? current.replace(pattern, `${section.trimEnd()}\n`)
    : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
  console.log(`  wrote the "Segmenter" section of ${path}`);
}
