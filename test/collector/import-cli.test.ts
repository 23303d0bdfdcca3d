import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../packages/collector/dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'loupe-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Four customers' purchases in CDNOW's layout: id, date, quantity, amount.
const LINES = [
  ' 00001 20210101  1   11.77',
  ' 00002 20210112  1   12.00',
  ' 00002 20210112  5   77.00',
  ' 00003 20210102  2   20.76',
  ' 00004 20210301  1   9.99',
];

describe('loupe import', () => {
  it('stores a purchase history as Order Completed events in the SQLite file, and a second import stores nothing new', () => {
    expect(existsSync(cli), `${cli} is missing: run npm run build`).toBe(true);
    const file = join(dir, 'orders.txt');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    const db = join(dir, 'loupe.db');
    const run = () =>
      spawnSync(
        process.execPath,
        [
          cli,
          'import',
          '--file',
          file,
          '--format',
          'whitespace',
          '--no-header',
          '--columns',
          'user=1,time=2,quantity=3,amount=4',
          '--time-format',
          'YYYYMMDD',
          '--db',
          db,
        ],
        { encoding: 'utf8', timeout: 30_000 },
      );
    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/: 0 stored, \d+ already there/);
    const stored = new Database(db, { readonly: true });
    try {
      const rows = stored.prepare('SELECT user_id, name FROM events ORDER BY user_id').all() as {
        user_id: string;
        name: string;
      }[];
      expect(rows.length).toBeGreaterThanOrEqual(4);
      expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set(['00001', '00002', '00003', '00004']));
      expect(rows.every((r) => r.name === 'Order Completed')).toBe(true);
    } finally {
      stored.close();
    }
  });
});
