// Read-back benchmark: GET /v1/profile on the built collector (SQLite file, one segmentation run
// over simulated shoppers), driven by autocannon from this process while the collector runs in its
// own. Server time is what the collector reports in its Server-Timing header (`app;dur=`), read from
// every answer; client latency and requests/s come from autocannon.
//
//   npm run build && node bench/readback/run.js [--duration 10] [--connections 20] [--pipelining 1] [--users 5000] [--write]
//
// --write replaces the "Read-back" section of bench/RESULTS.md with this run's figures.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '20' },
    // HTTP/1.1 pipelining: fewer client syscalls per request, so a load generator sharing the
    // cores with the collector measures more of the collector and less of itself.
    pipelining: { type: 'string', default: '1' },
    users: { type: 'string', default: '5000' },
    write: { type: 'boolean', default: false },
  },
});
const TARGET_P99_MS = 2;
const TARGET_RPS = 5000;
const root = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

const child = spawn(process.execPath, [join(here, 'server.js'), args.users], { stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await new Promise((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the bench collector exited (${code})`)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const entry = JSON.parse(line);
      if (entry.url) resolve(entry);
    } catch {}
  });
});
const { url, writeKey, anonymousIds, dir } = ready;
// Known visitors, plus one in ten never seen (answered with the first-visit segment).
const ids = [...anonymousIds, ...anonymousIds.slice(0, Math.ceil(anonymousIds.length / 10)).map((a) => `unseen-${a}`)];

async function load(seconds, record) {
  let next = 0;
  const serverMs = [];
  const result = await autocannon({
    url,
    connections: Number(args.connections),
    pipelining: Number(args.pipelining),
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const id = ids[next++ % ids.length];
          return { ...request, path: `/v1/profile?anonymousId=${encodeURIComponent(id)}&writeKey=${writeKey}` };
        },
        onResponse: (status, _body, _context, headers) => {
          if (!record || status !== 200) return;
          const timing = /app;dur=([\d.]+)/.exec(headers['server-timing'] ?? '');
          if (timing) serverMs.push(Number(timing[1]));
        },
      },
    ],
  });
  return { result, serverMs };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const before = loadavg()[0];
await load(Number(args.warmup), false);
const { result, serverMs } = await load(Number(args.duration), true);
const after = loadavg()[0];
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });

serverMs.sort((a, b) => a - b);
const figures = {
  requests: result.requests.total,
  rps: result.requests.average,
  non2xx: result.non2xx,
  errors: result.errors,
  serverP50: quantile(serverMs, 0.5),
  serverP99: quantile(serverMs, 0.99),
  serverMax: serverMs[serverMs.length - 1],
  clientP50: result.latency.p50,
  clientP99: result.latency.p99,
};
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
const verdict = `server time p99 ${figures.serverP99.toFixed(3)} ms (target ≤ ${TARGET_P99_MS} ms: ${figures.serverP99 <= TARGET_P99_MS ? 'met' : 'not met'}) at ${Math.round(figures.rps).toLocaleString('en')} requests/s (target ≥ ${TARGET_RPS.toLocaleString('en')}: ${figures.rps >= TARGET_RPS ? 'met' : 'not met'})`;
console.log(`  ${figures.requests.toLocaleString('en')} requests, ${figures.non2xx} non-2xx, ${figures.errors} errors`);
console.log(
  `  server time (Server-Timing) p50 ${figures.serverP50.toFixed(3)} ms, p99 ${figures.serverP99.toFixed(3)} ms, max ${figures.serverMax.toFixed(3)} ms`,
);
console.log(`  client latency p50 ${figures.clientP50} ms, p99 ${figures.clientP99} ms`);
console.log(`  ${verdict}`);
console.log(`  machine: ${machine}; load average ${before.toFixed(1)} before, ${after.toFixed(1)} after`);

if (args.write) {
  const command = `npm run build && node bench/readback/run.js --duration ${args.duration} --connections ${args.connections} --pipelining ${args.pipelining} --users ${args.users} --write`;
  const section = [
    '## Read-back',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} on ${machine}; the load generator (autocannon) and the collector share those cores. Load average ${before.toFixed(1)} before the run, ${after.toFixed(1)} after.`,
    '',
    `Command: \`${command}\``,
    '',
    `Load: ${args.connections} connections, GET /v1/profile with the write key as a query parameter, cycling through ${ids.length.toLocaleString('en')} anonymous ids (${anonymousIds.length.toLocaleString('en')} simulated shoppers' ids in a SQLite file with one segmentation run, and one in ten never seen), ${args.duration} s after a ${args.warmup} s warm-up. Server time is the collector's own \`Server-Timing: app;dur=\` on every 200 answer (the route from the key check to the body, consent gate included); client latency includes HTTP and the load generator.`,
    '',
    '| requests/s | server p50 ms | server p99 ms | server max ms | client p50 ms | client p99 ms | non-2xx |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${Math.round(figures.rps).toLocaleString('en')} | ${figures.serverP50.toFixed(3)} | ${figures.serverP99.toFixed(3)} | ${figures.serverMax.toFixed(3)} | ${figures.clientP50} | ${figures.clientP99} | ${figures.non2xx} |`,
    '',
    `Read-back: ${verdict}.`,
    ...(Math.max(before, after) > cpus().length
      ? [
          '',
          `Caveat: the load average exceeded the ${cpus().length} cores (other work on the machine), and the load generator shares them with the collector, so requests/s here is a floor set by the machine, not the collector's ceiling; the server-time figures are per request and hold under that load.`,
        ]
      : []),
    '',
  ].join('\n');
  const path = join(root, 'bench/RESULTS.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n\n';
  const pattern = /## Read-back\n[\s\S]*?(?=\n## |$)/;
  const next = pattern.test(current)
    ? current.replace(pattern, `${section.trimEnd()}\n`)
    : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
  console.log(`  wrote the "Read-back" section of ${path}`);
}
