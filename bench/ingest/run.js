// Collector ingest benchmark: the built collector (SQLite file, durable acks, default config)
// against a bare Hono parse-and-ack server, each in its own child process, driven by autocannon
// with the same load: 50 connections POSTing batches of 20 unique events to /v1/batch.
//
//   npm run build && node bench/ingest/run.js [--duration 10] [--connections 50] [--write] [--cpu-prof DIR]
//     [--visitors N] [--rate R] [--vs-env KEY=VALUE | --vs-cli PATH]
//
// --write replaces the "Collector ingest" section of bench/RESULTS.md with this run's figures;
// --cpu-prof writes the collector process's V8 CPU profile to DIR (open it in Chrome DevTools).
// --visitors N draws each batch's anonymous id from N random v4 UUIDs (loupe.js's ids, scattered
// over the anonymous-id index as a real site's are) instead of one in order per request.
// --rate R holds the load to R requests a second (R × 20 events), below what the collector can take:
// what a setting costs where the machine is not saturated (CPU an event); never --write.
// --vs-env KEY=VALUE also runs, in each round, the collector with that variable set: a setting side
// by side with the default on the same load (a diagnosis: never --write). --vs-cli PATH does the
// same with another build's packages/collector/dist/cli/main.js (a git worktree of an older commit).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { batchTemplate, measureCpuCost, visitorPool } from './cpu-cost.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    // The acknowledging stage alone: no indexer thread (LOUPE_INDEXER_THREAD=off), the events are
    // indexed when the collector stops. Shows what indexing on the same cores costs; never --write.
    'indexer-off': { type: 'boolean', default: false },
    visitors: { type: 'string', default: '0' },
    rate: { type: 'string', default: '0' },
    'vs-env': { type: 'string' },
    'vs-cli': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  // The usage is the file's opening comment.
  const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  console.log(source.slice(0, source.indexOf('\nimport ')).replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const EVENTS_PER_BATCH = 20;
const TARGET_EVENTS_PER_S = 50_000;
const TARGET_RATIO = 0.5;
const VISITORS = Number(args.visitors);
const RATE = Number(args.rate);
const visitor = visitorPool(VISITORS);

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'packages/collector/dist/cli/main.js');
if (!existsSync(cli)) {
  console.error(`bench/ingest: ${cli} is missing; run npm run build first`);
  process.exit(1);
}
/** What --vs-env or --vs-cli runs beside the default collector in each round. */
const vs =
  args['vs-env'] || args['vs-cli']
    ? {
        label: args['vs-env'] ?? args['vs-cli'],
        env: args['vs-env'] ? Object.fromEntries([args['vs-env'].split(/=(.*)/s).slice(0, 2)]) : {},
        cli: args['vs-cli'] ?? cli,
      }
    : null;

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

/**
 * CPU time so far of a process's threads (Linux, /proc), in µs: all of them, and those above nice 0
 * (the indexer thread). Null elsewhere.
 */
function threadCpu(pid) {
  try {
    let total = 0;
    let niced = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const fields = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1].split(' ');
      const us = ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // USER_HZ is 100 on Linux
      total += us;
      if (Number(fields[16]) > 0) niced += us;
    }
    return { total, niced };
  } catch {
    return null;
  }
}

function drive(url, headers, durationS, tag) {
  const template = batchTemplate(EVENTS_PER_BATCH);
  let n = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        ...(RATE > 0 ? { overallRate: RATE } : {}),
        duration: durationS,
        requests: [
          {
            method: 'POST',
            path: '/v1/batch',
            headers: { 'content-type': 'application/json', ...headers },
            setupRequest: (req) => {
              const i = n++;
              const body = VISITORS ? template.replaceAll('anon-@@', visitor(i)) : template;
              return { ...req, body: body.replaceAll('@@', `${tag}${i.toString(36)}`) };
            },
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

async function benchCollector(env = {}, collectorCli = cli) {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-ingest-'));
  const db = join(dir, 'loupe.db');
  try {
    const created = spawnSync(process.execPath, [collectorCli, 'keys', 'create', '--origin', '*', '--db', db], {
      encoding: 'utf8',
    });
    if (created.status !== 0) throw new Error(created.stderr);
    const key = created.stdout.trim();
    const { child, exited, url } = startChild(
      collectorCli,
      ['serve', '--db', db, '--port', '0', '--host', '127.0.0.1'],
      'stderr',
      { LOUPE_LOG_LEVEL: 'info', ...(args['indexer-off'] ? { LOUPE_INDEXER_THREAD: 'off' } : {}), ...env },
      args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [],
    );
    const target = await url;
    const headers = { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
    await drive(target, headers, WARMUP_S, 'w');
    const cpuBefore = threadCpu(child.pid);
    const result = summarize(await drive(target, headers, DURATION_S, 'r'));
    // Acknowledged means on disk (the ingest log); readers also need the events indexed. How far
    // behind the indexer was when the load stopped, and how long it took to catch up with no load.
    const unindexed = async () =>
      Number(/^loupe_ingest_unindexed_rows (\d+)/m.exec(await (await fetch(`${target}/metrics`)).text())?.[1] ?? 0);
    const lagAtEnd = await unindexed();
    const stopped = performance.now();
    let lag = lagAtEnd;
    while (lag > 0 && !args['indexer-off'] && performance.now() - stopped < 120_000) {
      await new Promise((r) => setTimeout(r, 50));
      lag = await unindexed();
    }
    let catchUpS = (performance.now() - stopped) / 1000;
    const cpuAfter = threadCpu(child.pid);
    child.kill('SIGTERM');
    const { code } = await exited;
    if (args['indexer-off']) catchUpS = (performance.now() - stopped) / 1000; // SIGTERM indexed what was left

    if (code !== 0) throw new Error(`collector exited with ${code}`);
    // Sanity, not a measurement: durable acks mean the file holds at least what was acknowledged.
    const file = new Database(db, { readonly: true });
    const stored = file.prepare("SELECT count(*) AS n FROM events WHERE message_id LIKE 'r%'").get().n;
    file.close();
    if (stored < result.acked) throw new Error(`only ${stored} of ${result.acked} acknowledged events are in the file`);
    return {
      ...result,
      stored,
      lagAtEnd,
      catchUpS,
      indexedPerS: result.acked / (DURATION_S + catchUpS),
      // CPU of the collector process per acknowledged event, measured run and catch-up, and its indexer thread's part.
      cpuPerEvent: cpuBefore && cpuAfter ? (cpuAfter.total - cpuBefore.total) / result.acked : NaN,
      indexerCpuPerEvent: cpuBefore && cpuAfter ? (cpuAfter.niced - cpuBefore.niced) / result.acked : NaN,
    };
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
/** CPU time the hypervisor gave to other guests (the `steal` column of /proc/stat), Linux only. */
function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { steal: fields[7] ?? 0, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}
const timesBefore = cpuTimes();
const before = contention();
const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}`;

console.log(
  `collector ingest: ${CONNECTIONS} connections, ${EVENTS_PER_BATCH} unique events per batch, ${DURATION_S} s per target (after ${WARMUP_S} s warm-up), anonymous ids ${VISITORS ? `from ${fmt(VISITORS)} random visitors` : 'in order'}`,
);
// Rounds alternate collector and bare server, so that a machine whose speed drifts (other work on
// it) weighs on both alike; the figures quoted are medians and the ratio is taken round by round.
const rounds = [];
for (let round = 1; round <= ROUNDS; round++) {
  // With --vs-env or --vs-cli, the other collector runs first in even rounds, last in odd ones.
  const other = vs && round % 2 === 0 ? await benchCollector(vs.env, vs.cli) : null;
  const collector = await benchCollector();
  const bare = await benchBare();
  rounds.push({ collector, bare, ratio: collector.eventsPerS / bare.eventsPerS });
  if (vs) {
    rounds.at(-1).other = other ?? (await benchCollector(vs.env, vs.cli));
    const { other: setting } = rounds.at(-1);
    console.log(
      `  round ${round}, ${vs.label}: collector ${fmt(setting.eventsPerS)} events/s (p99 ${setting.p99} ms; ${fmt(setting.lagAtEnd)} waiting for the indexer at the end, indexed ${setting.catchUpS.toFixed(1)} s later; end to end ${fmt(setting.indexedPerS)}/s; CPU ${setting.cpuPerEvent.toFixed(1)} µs an event, indexer ${setting.indexerCpuPerEvent.toFixed(1)}), ratio ${(setting.eventsPerS / bare.eventsPerS).toFixed(2)}; default end to end ${fmt(collector.indexedPerS)}/s, CPU ${collector.cpuPerEvent.toFixed(1)} µs an event, indexer ${collector.indexerCpuPerEvent.toFixed(1)}`,
    );
  }
  console.log(
    `  round ${round}: collector ${fmt(collector.eventsPerS)} events/s (p50 ${collector.p50} ms, p99 ${collector.p99} ms, non-2xx ${collector.non2xx}; ${fmt(collector.acked)} acknowledged, ${fmt(collector.stored)} stored; ${fmt(collector.lagAtEnd)} waiting for the indexer when the load stopped, indexed ${collector.catchUpS.toFixed(1)} s later; CPU ${collector.cpuPerEvent.toFixed(1)} µs an event, indexer thread ${collector.indexerCpuPerEvent.toFixed(1)}), bare ${fmt(bare.eventsPerS)} events/s (p50 ${bare.p50} ms, p99 ${bare.p99} ms), ratio ${(collector.eventsPerS / bare.eventsPerS).toFixed(2)}`,
  );
}
const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const pick = (side, field) => median(rounds.map((r) => r[side][field]));
const collector = Object.fromEntries(Object.keys(rounds[0].collector).map((k) => [k, pick('collector', k)]));
const bare = Object.fromEntries(Object.keys(rounds[0].bare).map((k) => [k, pick('bare', k)]));
const ratio = median(rounds.map((r) => r.ratio));
const meetsAbsolute = collector.eventsPerS >= TARGET_EVENTS_PER_S;
const meetsRatio = ratio >= TARGET_RATIO;
console.log(
  `  medians over ${ROUNDS} rounds: collector ${fmt(collector.eventsPerS)} events/s, bare ${fmt(bare.eventsPerS)} events/s; ratio collector / bare: ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}); absolute target ≥ ${fmt(TARGET_EVENTS_PER_S)} events/s: ${meetsAbsolute ? 'met' : 'NOT met'}; acknowledged and indexed end to end: ${fmt(collector.indexedPerS)} events/s`,
);
if (vs) {
  const ratios = rounds.map((r) => r.other.eventsPerS / r.collector.eventsPerS);
  console.log(
    `  ${vs.label} / default, round by round: acknowledged ${ratios.map((x) => x.toFixed(2)).join(', ')}; end to end ${rounds.map((r) => (r.other.indexedPerS / r.collector.indexedPerS).toFixed(2)).join(', ')}; CPU per event ${rounds.map((r) => (r.other.cpuPerEvent / r.collector.cpuPerEvent).toFixed(2)).join(', ')}`,
  );
}
const cost = await measureCpuCost({ visitors: VISITORS });
const costTotal = cost.collector + cost.insert;
console.log(
  `  CPU per event (in-process, CPU time): collector request path ${cost.collector.toFixed(1)} µs + acknowledged commit ${cost.insert.toFixed(1)} µs = ${costTotal.toFixed(1)} µs, indexing ${cost.index.toFixed(1)} µs afterwards; bare ${cost.bare.toFixed(1)} µs`,
);
const timesAfter = cpuTimes();
const stolen =
  timesBefore && timesAfter && timesAfter.total > timesBefore.total
    ? `; CPU stolen by the hypervisor during the run ${(((timesAfter.steal - timesBefore.steal) / (timesAfter.total - timesBefore.total)) * 100).toFixed(0)} %`
    : '';
const after = contention() + stolen;
console.log(`  machine: ${machine}; before: ${before}; after: ${after}`);

if (args.write && (args['indexer-off'] || vs || RATE > 0)) {
  console.error(
    'bench/ingest: --indexer-off, --rate, --vs-env and --vs-cli are diagnoses, not the figure of record; nothing written',
  );
} else if (args.write) {
  const command = `npm run build && node bench/ingest/run.js --duration ${DURATION_S} --connections ${CONNECTIONS} --rounds ${ROUNDS}${VISITORS ? ` --visitors ${VISITORS}` : ''} --write`;
  const section = [
    '## Collector ingest',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} on ${machine}; load generator, collector and its threads share those cores. Other work on the machine: before the run ${before}; after it ${after}.`,
    '',
    `Command: \`${command}\``,
    '',
    `Load: autocannon, ${CONNECTIONS} connections, POST /v1/batch, ${EVENTS_PER_BATCH} unique events (~${Math.round(batchTemplate().length / 1024)} KB) per request, anonymous ids ${VISITORS ? `from ${fmt(VISITORS)} random visitors` : 'in order'}, ${DURATION_S} s after a ${WARMUP_S} s warm-up, each server in its own process, ${ROUNDS} rounds alternating collector and bare server.`,
    '',
    '| round | collector events/s | p50 ms | p99 ms | non-2xx | waiting for the indexer at the end | indexed after | collector CPU µs/event (indexer thread) | bare events/s | p50 ms | p99 ms | ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rounds.map(
      (r, i) =>
        `| ${i + 1} | ${fmt(r.collector.eventsPerS)} | ${r.collector.p50} | ${r.collector.p99} | ${r.collector.non2xx} | ${fmt(r.collector.lagAtEnd)} | ${r.collector.catchUpS.toFixed(1)} s | ${r.collector.cpuPerEvent.toFixed(1)} (${r.collector.indexerCpuPerEvent.toFixed(1)}) | ${fmt(r.bare.eventsPerS)} | ${r.bare.p50} | ${r.bare.p99} | ${r.ratio.toFixed(2)} |`,
    ),
    '',
    `Collector: the SQLite file in WAL mode with synchronous=FULL; a 200 is sent once the group is committed to the ingest log (\`<db>-ingest\`: each commit group one transaction of entries of at most 60,000 characters; the writer thread keeps the unindexed entries' message ids in memory), and an indexer thread at nice 10 moves it into the events table afterwards (see packages/collector/src/storage/sqlite/ingest-log.js). "Waiting for the indexer" is \`loupe_ingest_unindexed_rows\` when the load stopped; "indexed after" is how long the idle collector then took to index it; CPU is the collector process's (all threads, from \`/proc/<pid>/task/*/stat\`) from the start of the measured load until it was all indexed, per acknowledged event, and in brackets its indexer thread's. Acknowledged and indexed end to end: **${fmt(collector.indexedPerS)} events/s** (median of acknowledged events / (run + catch-up)). Bare: Hono + @hono/node-server, parse and ack.`,
    '',
    `CPU time per event, measured in-process by \`bench/ingest/cpu-cost.js\` (robust to other work on the machine, unlike the rates above): collector request path ${cost.collector.toFixed(1)} µs (main thread: parse, validate, enrich) + acknowledged commit ${cost.insert.toFixed(1)} µs (rows encoded, then the writer thread's commit to the ingest log) = ${costTotal.toFixed(1)} µs before the 200; indexing ${cost.index.toFixed(1)} µs later (indexer thread); bare parse-and-ack ${cost.bare.toFixed(1)} µs.`,
    '',
    `Ratio collector / bare (median of the rounds' ratios): **${ratio.toFixed(2)}** (target ≥ ${TARGET_RATIO}: ${meetsRatio ? 'met' : 'not met'}). Absolute: **${fmt(collector.eventsPerS)} events/s** (median; target ≥ ${fmt(TARGET_EVENTS_PER_S)}: ${meetsAbsolute ? 'met' : 'not met'}). In every round the file held at least every acknowledged event after the collector's SIGTERM (the bench fails otherwise; requests in flight when the load stops are stored but not counted by autocannon).`,
    '',
  ].join('\n');
  const path = join(root, 'bench/RESULTS.md');
  const current = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmark results\n\nEach section is written by its benchmark (`npm run bench` runs them all); figures are from the machine named in the section.\n\n';
  const pattern = /## Collector ingest\n[\s\S]*?(?=\n## |$)/;
  const next = pattern.test(current)
    ? current.replace(pattern, section.trimEnd() + '\n')
    : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
  console.log(`  wrote the "Collector ingest" section of ${path}`);
}
