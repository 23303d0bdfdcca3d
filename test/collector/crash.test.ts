import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * SIGKILL during load: a built `loupe serve` child takes concurrent batches, is killed without
 * warning several times and restarted on the same file; every batch it answered 200 must be
 * stored exactly once in the end. Needs `npm run build` (which `npm test` runs first).
 */
const CLI = fileURLToPath(new URL('../../packages/collector/dist/cli/main.js', import.meta.url));
const KILL_CYCLES = 4;
const SENDERS = 4;
const BATCH = 20;
/** Acknowledged batches to wait for before each kill (bounded by CYCLE_TIMEOUT_MS). */
const ACKS_BEFORE_KILL = 25;
const CYCLE_TIMEOUT_MS = 20_000;
const START_TIMEOUT_MS = 20_000;

let dir: string;
let db: string;
let writeKey: string;
const children = new Set<ChildProcess>();

beforeAll(() => {
  if (!existsSync(CLI)) {
    throw new Error(
      `crash test: ${CLI} is missing. Build first: npm run build (npm test does it before running the tests).`,
    );
  }
  dir = mkdtempSync(join(tmpdir(), 'loupe-crash-'));
  db = join(dir, 'loupe.db');
  const created = spawnSync(process.execPath, [CLI, 'keys', 'create', '--origin', '*', '--db', db], {
    encoding: 'utf8',
    timeout: START_TIMEOUT_MS,
  });
  if (created.status !== 0) throw new Error(`loupe keys create failed: ${created.stderr}`);
  writeKey = created.stdout.trim();
  expect(writeKey).toMatch(/^wk_/);
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Collector {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `loupe serve` on a port the OS picks and resolves with its URL from the startup log line. */
function startCollector(): Promise<Collector> {
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOUPE_LOG_LEVEL: 'info', LOUPE_ADMIN_TOKEN: '' },
  });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('loupe serve did not start in time'));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'collector listening' && entry.url) {
          clearTimeout(timer);
          resolve({ child, url: entry.url, exited });
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`loupe serve exited before listening (code ${code}, signal ${signal})`));
    });
  });
}

let sequence = 0;
function newBatch(sender: number): Record<string, unknown>[] {
  return Array.from({ length: BATCH }, () => {
    const n = sequence++;
    return {
      type: 'track',
      event: 'Crash Load',
      anonymousId: `crash-anon-${n % 97}`,
      messageId: `crash-${sender}-${n}`,
      properties: { n },
    };
  });
}

describe('SIGKILL under concurrent load', () => {
  it('loses no acknowledged event and stores each exactly once across kills and restarts', async () => {
    const acked = new Set<string>();
    let ackedBatches = 0;
    let failedRequests = 0;
    let stopping = false;
    let current: Collector | null = await startCollector();
    let onAck: (() => void) | null = null;

    /** Posts batches to whichever collector is up; a batch that gets no answer is resent unchanged (as trackers retry). */
    async function sender(id: number): Promise<Record<string, unknown>[] | null> {
      let batch = newBatch(id);
      while (!stopping) {
        const target = current;
        if (!target) {
          await new Promise((r) => setTimeout(r, 10));
          continue;
        }
        try {
          const res = await fetch(`${target.url}/v1/batch`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
            },
            body: JSON.stringify({ batch }),
          });
          const body = (await res.json()) as { accepted: number; duplicates: number };
          if (res.status !== 200) throw new Error(`status ${res.status}`);
          expect(body.accepted + body.duplicates).toBe(BATCH);
          for (const e of batch) acked.add(e.messageId as string);
          ackedBatches++;
          onAck?.();
          batch = newBatch(id);
        } catch {
          failedRequests++;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      return batch;
    }

    const senders = Array.from({ length: SENDERS }, (_, i) => sender(i));

    for (let cycle = 0; cycle < KILL_CYCLES; cycle++) {
      const target = ackedBatches + ACKS_BEFORE_KILL;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`cycle ${cycle}: no ${ACKS_BEFORE_KILL} acknowledged batches in time`)),
          CYCLE_TIMEOUT_MS,
        );
        onAck = () => {
          if (ackedBatches >= target) {
            clearTimeout(timer);
            onAck = null;
            resolve();
          }
        };
      });
      const victim = current as Collector;
      current = null;
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      current = await startCollector();
    }

    // Stop the load, then deliver each sender's unacknowledged batch to the last collector.
    stopping = true;
    const leftovers = await Promise.all(senders);
    const last = current as Collector;
    for (const batch of leftovers) {
      if (!batch) continue;
      const res = await fetch(`${last.url}/v1/batch`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        },
        body: JSON.stringify({ batch }),
      });
      expect(res.status).toBe(200);
      for (const e of batch) acked.add(e.messageId as string);
    }
    last.child.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });

    expect(ackedBatches).toBeGreaterThanOrEqual(KILL_CYCLES * ACKS_BEFORE_KILL);
    const file = new Database(db, { readonly: true });
    try {
      const counts = new Map<string, number>();
      for (const row of file
        .prepare('SELECT message_id AS id, count(*) AS n FROM events WHERE write_key = ? GROUP BY message_id')
        .all(writeKey) as { id: string; n: number }[]) {
        counts.set(row.id, row.n);
      }
      const missing = [...acked].filter((id) => !counts.has(id));
      const repeated = [...counts].filter(([, n]) => n !== 1);
      expect(
        missing,
        `acknowledged but lost (of ${acked.size}; ${failedRequests} requests failed during kills)`,
      ).toEqual([]);
      expect(repeated).toEqual([]);
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      file.close();
    }
  }, 180_000);
});
