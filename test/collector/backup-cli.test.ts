import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer } from '@loupe/collector';
import { describe, expect, it } from 'vitest';
import { CLI, type CollectorChild, collectorFiles, startCollectorChild } from '../helpers/collector-child.js';

/**
 * `loupe backup` against a running `loupe serve` child: the copy holds every event acknowledged
 * before it started, exactly once, including those still in the ingest log, and opens as a
 * collector database of its own. Needs `npm run build` (which `npm test` runs first).
 */
const BATCH = 20;

const files = collectorFiles('backup test');

const auth = () => `Basic ${Buffer.from(`${files.writeKey}:`).toString('base64')}`;
let sequence = 0;
const batchOf = (tag: string) =>
  Array.from({ length: BATCH }, () => ({
    type: 'track',
    event: 'Backup Load',
    anonymousId: `backup-anon-${sequence % 13}`,
    messageId: `${tag}-${sequence++}`,
  }));

async function post(url: string, batch: Record<string, unknown>[]) {
  const res = await fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: auth() },
    body: JSON.stringify({ batch }),
  });
  return { status: res.status, body: (await res.json()) as { accepted: number; duplicates: number } };
}

/** `loupe backup` in a child process, awaited without blocking this one (the load goes on meanwhile). */
function backup(to: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'backup', '--db', files.db, '--to', to], {
    env: { ...process.env, LOUPE_DATABASE_URL: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Occurrences of each message id in a database file. */
function messageIds(file: string): Map<string, number> {
  const copy = new Database(file, { readonly: true });
  try {
    const rows = copy
      .prepare('SELECT message_id AS id, count(*) AS n FROM events WHERE write_key = ? GROUP BY message_id')
      .all(files.writeKey) as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  } finally {
    copy.close();
  }
}

async function stop(collector: CollectorChild) {
  collector.child.kill('SIGTERM');
  expect(await collector.exited).toEqual({ code: 0, signal: null });
}

describe('loupe backup', () => {
  it('copies the acknowledged events still in the ingest log, which a copy of loupe.db misses', async () => {
    // No indexer thread: every acknowledged event stays in loupe.db-ingest until something reads.
    const collector = await startCollectorChild(files.db, { LOUPE_INDEXER_THREAD: 'off' });
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) {
      const batch = batchOf('log');
      const { status, body } = await post(collector.url, batch);
      expect(status).toBe(200);
      expect(body.accepted).toBe(BATCH);
      acked.push(...batch.map((e) => e.messageId));
    }

    const naive = join(files.dir, 'naive.db');
    copyFileSync(files.db, naive);
    const ids = messageIds(naive);
    expect(acked.filter((id) => ids.has(id))).toEqual([]);

    const to = join(files.dir, 'from-log.db');
    const run = await backup(to);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^backup: [\d,]+ events \(100 of them acknowledged but not yet indexed\) in /);
    const copied = messageIds(to);
    expect(acked.every((id) => copied.get(id) === 1)).toBe(true);
    // Nothing partial is left beside it.
    expect(readdirSync(files.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    await stop(collector);
  });

  it('taken under concurrent load, holds every event acknowledged before it started exactly once, and restores as a collector', async () => {
    const collector = await startCollectorChild(files.db);
    const acked = new Set<string>();
    let stopping = false;
    let errors = 0;
    const sender = async () => {
      while (!stopping) {
        const batch = batchOf('load');
        const { status } = await post(collector.url, batch);
        if (status === 200) for (const e of batch) acked.add(e.messageId);
        else errors++;
      }
    };
    const senders = [sender(), sender(), sender()];
    while (acked.size < 60 * BATCH) await new Promise((r) => setTimeout(r, 20));

    const before = new Set(acked);
    const to = join(files.dir, 'under-load.db');
    const run = await backup(to);
    const during = acked.size - before.size;
    stopping = true;
    await Promise.all(senders);
    expect(run.status, run.stderr).toBe(0);
    expect(errors).toBe(0);
    expect(during).toBeGreaterThan(0); // the load went on while the backup ran

    const copied = messageIds(to);
    expect([...before].filter((id) => copied.get(id) !== 1)).toEqual([]);
    expect([...copied.values()].every((n) => n === 1)).toBe(true);
    const check = new Database(to, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    await stop(collector);

    // Restoring is serving the copy: an event it holds, sent again, is a duplicate; a new one is stored.
    const restored = await startServer({ db: to, port: 0, hostname: '127.0.0.1' });
    try {
      const old = [...before]
        .slice(0, 1)
        .map((messageId) => ({ type: 'track', event: 'Backup Load', anonymousId: 'backup-anon-0', messageId }));
      expect((await post(restored.url, old)).body).toMatchObject({ accepted: 0, duplicates: 1 });
      expect((await post(restored.url, batchOf('after-restore'))).body).toMatchObject({ accepted: BATCH });
    } finally {
      await restored.close();
    }
  });

  it('never overwrites a file, and sends PostgreSQL users to pg_dump', async () => {
    const to = join(files.dir, 'taken.db');
    writeFileSync(to, 'keep me');
    const run = await backup(to);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('exists: a backup never overwrites a file');
    expect(readFileSync(to, 'utf8')).toBe('keep me');

    const pg = spawnSync(
      process.execPath,
      [CLI, 'backup', '--to', join(files.dir, 'pg.db'), '--database-url', 'postgres://x'],
      {
        encoding: 'utf8',
      },
    );
    expect(pg.status).toBe(2);
    expect(pg.stderr).toContain('pg_dump');
    expect(existsSync(join(files.dir, 'pg.db'))).toBe(false);
  });
});
