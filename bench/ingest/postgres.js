#!/usr/bin/env node
/**
 * Ingest on PostgreSQL: the collector (built dist, child process) with `--database-url`, under
 * the same load as bench/ingest (batches of 20 unique events, 50 connections, durable acks),
 * then a check that the database holds exactly the acknowledged events.
 *
 *   npm run build && node bench/ingest/postgres.js [--seconds 10] [--connections 50]
 *
 * Uses LOUPE_BENCH_DATABASE_URL when set (an empty database you own); otherwise starts a
 * throwaway cluster with initdb/pg_ctl (as the postgres user when run as root) and deletes it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createPostgresStore } from '../../packages/collector/dist/index.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'packages/collector/dist/cli/main.js');
const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const BATCH = 20;
const KEY = 'wk_bench_postgres';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function findBin() {
  const dirs = [...(process.env.PATH ?? '').split(':')];
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)))
      dirs.push(`/usr/lib/postgresql/${v}/bin`);
  }
  const bin = dirs.find((d) => d && existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!bin) throw new Error('initdb/pg_ctl not found: install postgresql or set LOUPE_BENCH_DATABASE_URL');
  return bin;
}

/** A throwaway cluster, fsync on (acks must mean durable), stopped and deleted by `stop()`. */
async function startCluster() {
  const bin = findBin();
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool, args) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, tool), args, { stdio: 'pipe' });
  if (asRoot) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function batchBody() {
  const now = new Date().toISOString();
  const anonymousId = randomUUID();
  const batch = Array.from({ length: BATCH }, (_, i) => ({
    type: 'track',
    event: 'Product Viewed',
    messageId: randomUUID(),
    anonymousId,
    timestamp: now,
    properties: { product_id: `p-${i}`, price: 19.99, currency: 'EUR' },
    context: {
      page: { path: '/products/p', url: 'https://shop.example/products/p' },
      library: { name: 'bench', version: '1' },
    },
  }));
  return JSON.stringify({ batch, sentAt: now });
}

async function main() {
  const cluster = process.env.LOUPE_BENCH_DATABASE_URL ? null : await startCluster();
  const url = process.env.LOUPE_BENCH_DATABASE_URL ?? cluster.url;
  const port = await freePort();
  let collector;
  try {
    const store = await createPostgresStore({ connectionString: url });
    await store.createKey({ key: KEY, name: 'bench', origins: ['*'] });
    const before = await store.countEvents();
    await store.close();

    collector = spawn('node', [cli, 'serve', '--database-url', url, '--port', String(port), '--host', '127.0.0.1'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LOUPE_LOG_LEVEL: 'warn' },
    });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {}
      if (i > 100) throw new Error('the collector did not start');
      await new Promise((r) => setTimeout(r, 100));
    }

    let acked = 0;
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/v1/batch`,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`,
          },
          setupRequest: (req) => ({ ...req, body: batchBody() }),
          onResponse: (status, body) => {
            if (status === 200) acked += JSON.parse(body).accepted;
          },
        },
      ],
    });
    // SIGTERM commits what is pending; requests cut off at the end may be stored without an ack.
    collector.kill('SIGTERM');
    await new Promise((r) => collector.once('exit', r));
    collector = undefined;
    const reopened = await createPostgresStore({ connectionString: url });
    const stored = (await reopened.countEvents()) - before;
    await reopened.close();

    const lines = [
      `PostgreSQL ingest, batches of ${BATCH}, ${connections} connections, ${seconds} s, durable acks (fsync on)`,
      `  requests: ${result.requests.total} (${result.non2xx} non-2xx, ${result.errors} errors)`,
      `  events/s acknowledged: ${Math.round(acked / seconds)}`,
      `  latency ms p50 ${result.latency.p50} · p99 ${result.latency.p99}`,
      `  acknowledged ${acked}, stored ${stored}: ${stored >= acked ? 'every acknowledged event stored' : 'ACKNOWLEDGED EVENTS MISSING'}`,
    ];
    console.log(lines.join('\n'));
    if (stored < acked) process.exitCode = 1;
  } finally {
    if (collector) {
      collector.kill('SIGTERM');
      await new Promise((r) => collector.once('exit', r));
    }
    cluster?.stop();
  }
}

await main();
