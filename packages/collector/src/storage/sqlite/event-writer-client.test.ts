import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../../dist/index.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'loupe-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the worker-thread event writer', () => {
  it('keeps a plain script alive until its insert and close settle, then lets it exit', () => {
    expect(existsSync(dist), `${dist} is missing: run npm run build`).toBe(true);
    const script = `
      import { createSqliteStore } from ${JSON.stringify(dist)};
      const store = createSqliteStore({ path: ${JSON.stringify(join(dir, 'loupe.db'))} });
      const row = { writeKey: 'k', messageId: 'm', type: 'track', anonymousId: 'a', userId: null, name: 'x',
        timestamp: 't', receivedAt: 't', sessionId: null, ip: null, isBot: false, payload: {} };
      const outcomes = await store.insertEvents([row, row]);
      await store.close();
      console.log(JSON.stringify(outcomes));`;
    const file = join(dir, 'insert-and-exit.mjs');
    writeFileSync(file, script);
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['inserted', 'duplicate']);
  });
});
