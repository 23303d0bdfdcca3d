// Collector ingest benchmark: the built collector (SQLite file, durable acks, default config)
// against a bare Hono parse-and-ack server, each in its own child process, driven by autocannon
// with the same load: 50 connections POSTing batches of 20 unique events to /v1/batch.
//
//   npm run build && node bench/ingest/run.js [--duration 10] [--connections 50] [--write] [--cpu-prof DIR]
//
// --write replaces the "Collector ingest" section of bench/RESULTS.md with this run's figures;
// --cpu-prof writes the collector process's V8 CPU profile to DIR (open it in Chrome DevTools).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { batchTemplate, measureCpuCost } from './cpu-cost.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    write: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const EVENTS_PER_BATCH = 20;
const TARGET_EVENTS_PER_S = 50_000;
const TARGET_RATIO = 0.5;

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'packages/collector/dist/cli/main.js');
if (!existsSync(cli)) {
  console.error(`bench/ingest: ${cli} is missing; run npm run build first`);
  process.exit(1);
}

/** Starts a child and resolves with the URL from the first JSON line on `stream` that carries one. */
function startChild(command, childArgs, stream, env = {}, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, command, ...childArgs], {
    stdio: ['ignore', stream === 'stdout' ? 'pipe' : 'ignore', stream === 'stderr' ? 'pipe' : 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start`)), 30_000);
    createInterface({ input: child[stream] }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {}
    });
    exited.then(() => reject(new Error(`${command} exited before listening`)));
  });
  return { child, exited, url };
}

function drive(url, headers, durationS, tag) {
  const template = batchTemplate(EVENTS_PER_BATCH);
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: durationS,
        requests: [
          {
            method: 'POST',
            path: '/v1/batch',
            headers: { 'content-type': 'application/json', ...headers },
            setupRequest: (req) => ({ ...req, body: template.replaceAll('@@', `${tag}${(n++).toString(36)}`) }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function summarize(result) {
  const ok = result['2xx'];
  return {
    eventsPerS: (ok * EVENTS_PER_BATCH) / result.duration,
    requestsPerS: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    acked: ok * EVENTS_PER_BATCH,
  };
}

async function benchCollector() {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-ingest-'));
  const db = join(dir, 'loupe.db');
  try {
    const created = spawnSync(process.execPath, [cli, 'keys', 'create', '--origin', '*', '--db', db], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(created.stderr);
    const key = created.stdout.trim();
    const { child, exited, url } = startChild(cli, ['serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], 'stderr', { LOUPE_LOG_LEVEL: 'info' }, args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : []);
    const target = await url;
    const headers = { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
    await drive(target, headers, WARMUP_S, 'w');
    const result = summarize(await drive(target, headers, DURATION_S, 'r'));
    child.kill('SIGTERM');
    const { code } = await exited;
    if (code !== 0) throw new Error(`collector exited with ${code}`);
    // Sanity, not a measurement: durable acks mean the file holds at least what was acknowledged.
    const file = new Database(db, { readonly: true });
    const stored = file.prepare("SELECT count(*) AS n FROM events WHERE message_id LIKE 'r%'").get().n;
    file.close();
    if (stored < result.acked) throw new Error(`only ${stored} of ${result.acked} acknowledged events are in the file`);
    return { ...result, stored };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchBare() {
  const { child, exited, url } = startChild(fileURLToPath(new URL('./bare-server.js', import.meta.url)), [], 'stdout');
  const target = await url;
  await drive(target, {}, WARMUP_S, 'w');
  const result = summarize(await drive(target, {}, DURATION_S, 'r'));
  child.kill('SIGTERM');
  await exited;
  return result;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
/** How busy the machine was: the load average and the share of time runnable tasks waited for a CPU (PSI, Linux). */
function contention() {
  const load = loadavg()[0].toFixed(1);
  let pressure = '';
  try {
    const some = /some avg10=[\d.]+ avg60=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    if (some) pressure = `, CPU pressure (some, 60 s) ${some[1]} %`;
  } catch {}
  return `load average ${load}${pressure}`;
}
const before = contention();
const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}`;

console.log(`collector ingest: ${CONNECTIONS} connections, ${EVENTS_PER_BATCH} unique events per batch, ${DURATION_S} s per target (after ${WARMUP_S} s warm-up)`);
const collector = await benchCollector();
console.log(`  collector (SQLite, durable acks): ${fmt(collector.eventsPerS)} events/s, p50 ${collector.p50} ms, p99 ${collector.p99} ms, non-2xx ${collector.non2xx}, errors ${collector.errors}; ${fmt(collector.acked)} acknowledged, ${fmt(collector.stored)} stored (requests in flight at the end are stored but not counted)`);
const bare = await benchBare();
console.log(`  bare Hono parse-and-ack:          ${fmt(bare.eventsPerS)} events/s, p50 ${bare.p50} ms, p99 ${bare.p99} ms, non-2xx ${bare.non2xx}, errors ${bare.errors}`);
const ratio = collector.eventsPerS / bare.eventsPerS;
const meetsAbsolute = collector.eventsPerS >= TARGET_EVENTS_PER_S;
const meetsRatio = ratio >= TARGET_RATIO;
console.log(`  ratio collector / bare: ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}); absolute target ≥ ${fmt(TARGET_EVENTS_PER_S)} events/s: ${meetsAbsolute ? 'met' : 'NOT met'}`);
const cost = await measureCpuCost();
const costTotal = cost.collector + cost.insert;
console.log(`  CPU per event (in-process, CPU time): collector request path ${cost.collector.toFixed(1)} µs + SQLite commit ${cost.insert.toFixed(1)} µs = ${costTotal.toFixed(1)} µs; bare ${cost.bare.toFixed(1)} µs; CPU-bound ratio ${(cost.bare / costTotal).toFixed(2)}; 2-core ceiling ${fmt(2e6 / costTotal)} events/s (request thread alone ${fmt(1e6 / cost.collector)})`);
const after = contention();
console.log(`  machine: ${machine}; before: ${before}; after: ${after}`);

if (args.write) {
  const command = `npm run build && node bench/ingest/run.js --duration ${DURATION_S} --connections ${CONNECTIONS} --write`;
  const section = [
    '## Collector ingest',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} on ${machine}; load generator, collector and its writer thread share those cores. Other work on the machine: before the run ${before}; after it ${after}.`,
    '',
    `Command: \`${command}\``,
    '',
    `Load: autocannon, ${CONNECTIONS} connections, POST /v1/batch, ${EVENTS_PER_BATCH} unique events (~${Math.round(batchTemplate().length / 1024)} KB) per request, ${DURATION_S} s after a ${WARMUP_S} s warm-up, each server in its own process.`,
    '',
    '| target | events/s | requests/s | p50 ms | p99 ms | non-2xx |',
    '|---|---:|---:|---:|---:|---:|',
    `| collector (SQLite file, WAL, synchronous=FULL, 200 after commit) | ${fmt(collector.eventsPerS)} | ${fmt(collector.requestsPerS)} | ${collector.p50} | ${collector.p99} | ${collector.non2xx} |`,
    `| bare Hono + @hono/node-server, parse and ack | ${fmt(bare.eventsPerS)} | ${fmt(bare.requestsPerS)} | ${bare.p50} | ${bare.p99} | ${bare.non2xx} |`,
    '',
    `CPU time per event, measured in-process by \`bench/ingest/cpu-cost.js\` (robust to other work on the machine, unlike the rates above): collector request path ${cost.collector.toFixed(1)} µs (main thread: parse, validate, enrich) + SQLite commit ${cost.insert.toFixed(1)} µs (writer thread) = ${costTotal.toFixed(1)} µs; bare parse-and-ack ${cost.bare.toFixed(1)} µs. When CPU-bound the ratio is about ${(cost.bare / costTotal).toFixed(2)}, and two cores with nothing else on them top out near ${fmt(2e6 / costTotal)} events/s (the request thread alone at ${fmt(1e6 / cost.collector)}).`,
    '',
    `Ratio collector / bare: **${ratio.toFixed(2)}** (target ≥ ${TARGET_RATIO}: ${meetsRatio ? 'met' : 'not met'}). Absolute: **${fmt(collector.eventsPerS)} events/s** (target ≥ ${fmt(TARGET_EVENTS_PER_S)}: ${meetsAbsolute ? 'met' : 'not met'}). Afterwards the file held ${fmt(collector.stored)} events of the measured run for ${fmt(collector.acked)} acknowledged (requests in flight when the run ends are stored but not counted by autocannon).`,
    '',
  ].join('\n');
  const path = join(root, 'bench/RESULTS.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n\nEach section is written by its benchmark (`npm run bench` runs them all); figures are from the machine named in the section.\n\n';
  const pattern = /## Collector ingest\n[\s\S]*?(?=\n## |$)/;
  const next = pattern.test(current) ? current.replace(pattern, section.trimEnd() + '\n') : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
  console.log(`  wrote the "Collector ingest" section of ${path}`);
}
