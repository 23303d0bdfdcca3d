import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer } from '@loupe/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireBuiltCli } from '../helpers/collector-child.js';
import { basicAuth } from './harness.js';

/**
 * `loupe export` on a SQLite file a collector filled over HTTP: newline-delimited JSON, one stored
 * event a line, oldest first, with the filters a warehouse load needs. Needs `npm run build`.
 */
let dir: string;
let db: string;
let shop: string;
let blog: string;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

beforeAll(async () => {
  requireBuiltCli('export test');
  dir = mkdtempSync(join(tmpdir(), 'loupe-export-'));
  db = join(dir, 'loupe.db');
  const server = await startServer({ db, port: 0, hostname: '127.0.0.1' });
  try {
    shop = (await server.store.createKey({ origins: ['*'] })).key;
    blog = (await server.store.createKey({ origins: ['*'] })).key;
    const send = async (key: string, batch: Record<string, unknown>[], userAgent = 'Mozilla/5.0 (X11; Linux)') => {
      const res = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key), 'User-Agent': userAgent },
        body: JSON.stringify({ batch }),
      });
      expect(res.status).toBe(200);
    };
    const event = (messageId: string, timestamp: string, extra: Record<string, unknown> = {}) => ({
      type: 'track',
      event: 'Product Viewed',
      anonymousId: 'anon-export',
      messageId,
      timestamp,
      ...extra,
    });
    // Sent newest first: the export puts them in time order.
    await send(shop, [event('shop-new', ago(1)), event('shop-mid', ago(3), { context: { ip: '203.0.113.77' } })]);
    await send(shop, [event('shop-old', ago(5))], 'Googlebot/2.1 (+http://www.google.com/bot.html)');
    await send(blog, [event('blog-1', ago(2))]);
  } finally {
    await server.close();
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function exportLines(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, 'export', '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOUPE_DATABASE_URL: '' },
  });
  expect(run.status, run.stderr).toBe(0);
  return {
    events: run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
    stderr: run.stderr,
  };
}
const ids = (events: Record<string, unknown>[]) => events.map((e) => e.messageId);

describe('loupe export', () => {
  it('writes every event as one JSON line, oldest first, as stored (enriched, the IP truncated)', () => {
    const { events, stderr } = exportLines();
    expect(ids(events)).toEqual(['shop-old', 'shop-mid', 'blog-1', 'shop-new']);
    expect(stderr).toBe('export: 4 events\n');
    const mid = events[1] as { context: { ip: string }; receivedAt: string; type: string };
    expect(mid.context.ip).toBe('203.0.113.0');
    expect(mid.type).toBe('track');
    expect(Date.parse(mid.receivedAt)).toBeGreaterThan(Date.now() - DAY);
  });

  it('filters by time, by write key and leaves bots out when asked', () => {
    expect(ids(exportLines('--since', '4d').events)).toEqual(['shop-mid', 'blog-1', 'shop-new']);
    expect(ids(exportLines('--since', ago(2.5)).events)).toEqual(['blog-1', 'shop-new']);
    expect(ids(exportLines('--key', blog).events)).toEqual(['blog-1']);
    expect(ids(exportLines('--key', shop, '--no-bots').events)).toEqual(['shop-mid', 'shop-new']);
  });

  it('writes to a new file with --to, never over an existing one, and every export is in the audit log', () => {
    const to = join(dir, 'events.ndjson');
    const { events, stderr } = exportLines('--to', to);
    expect(events).toEqual([]);
    expect(stderr).toBe(`export: 4 events to ${to}\n`);
    expect(readFileSync(to, 'utf8')).toBe(
      exportLines()
        .events.map((e) => `${JSON.stringify(e)}\n`)
        .join(''),
    );
    const nowhere = spawnSync(process.execPath, [CLI, 'export', '--db', db, '--to', join(dir, 'missing', 'x.ndjson')], {
      encoding: 'utf8',
    });
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toContain('ENOENT');
    const again = spawnSync(process.execPath, [CLI, 'export', '--db', db, '--to', to], { encoding: 'utf8' });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists');

    const file = new Database(db, { readonly: true });
    const audits = file.prepare("SELECT subject, detail FROM audit_log WHERE action = 'events.export'").all() as {
      subject: string;
      detail: string;
    }[];
    file.close();
    expect(audits.length).toBeGreaterThanOrEqual(8);
    expect(audits.some((a) => a.subject === blog && JSON.parse(a.detail).events === 1)).toBe(true);
  });

  it('stops quietly when the reader closes the pipe', async () => {
    // More than a pipe holds (64 KB), so the export is still writing when `head` has its line.
    const big = join(dir, 'big.db');
    const server = await startServer({ db: big, port: 0, hostname: '127.0.0.1' });
    try {
      const { key } = await server.store.createKey({ origins: ['*'] });
      for (let b = 0; b < 4; b++) {
        const batch = Array.from({ length: 500 }, (_, i) => ({
          type: 'track',
          event: 'Scroll Depth Reached',
          anonymousId: `anon-${i}`,
          messageId: `big-${b}-${i}`,
          properties: { depth: 50, note: 'x'.repeat(100) },
        }));
        const res = await fetch(`${server.url}/v1/batch`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) },
          body: JSON.stringify({ batch }),
        });
        expect(res.status).toBe(200);
      }
    } finally {
      await server.close();
    }
    const run = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${CLI}" export --db "${big}" | head -1; exit \${PIPESTATUS[0]}`],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toContain('(the reader closed the pipe)');
    expect(run.stderr).not.toContain('EPIPE');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
