import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeStore } from '../contract.js';
import { createSqliteStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-sqlite-contract-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStore('SQLite store (worker writer)', async () => createSqliteStore({ path: join(dir, `${++n}.db`) }));
describeStore('SQLite store (inline writer)', async () =>
  createSqliteStore({ path: join(dir, `${++n}.db`), writer: 'inline' }),
);
// No indexer thread: every read must itself move what was acknowledged into the events table.
describeStore('SQLite store (ingest log, indexed by readers only)', async () =>
  createSqliteStore({ path: join(dir, `${++n}.db`), indexerThread: false }),
);
