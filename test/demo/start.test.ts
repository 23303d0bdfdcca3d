import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type DemoProcess, freePort, spawnDemo } from './demo-process.js';

/**
 * `npm start` on a fresh clone is `npm ci && npm run build && node packages/collector/dist/cli/main.js demo`.
 * `npm ci` is too slow for a test, so this runs the built CLI the way `npm start` does, in an empty
 * directory (no ./data yet) with PORT set, and holds it to the one-minute promise.
 */
const MINUTE = 60_000;

let cwd: string;
let demo: DemoProcess | undefined;

beforeAll(() => {
  assertBuilt();
  cwd = mkdtempSync(join(tmpdir(), 'loupe-start-'));
});
afterAll(async () => {
  await demo?.stop(2000);
  rmSync(cwd, { recursive: true, force: true });
});

async function get(url: string): Promise<Response | null> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch {
    return null;
  }
}

describe('npm start on a fresh copy', () => {
  it(
    'serves the shop at /, /loupe.js and /healthz within a minute, then stops cleanly on SIGTERM',
    async () => {
      const port = await freePort();
      const started = Date.now();
      demo = spawnDemo({ cwd, port });
      const { url } = demo;

      let health: Response | null = null;
      while (Date.now() - started < MINUTE) {
        health = await get(`${url}/healthz`);
        if (health?.ok) break;
        if (demo.child.exitCode !== null) throw new Error(`loupe demo exited early:\n${demo.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(health?.status, `no /healthz within a minute:\n${demo.output()}`).toBe(200);

      const home = await get(`${url}/`);
      expect(home?.status).toBe(200);
      expect(home?.headers.get('content-type')).toMatch(/^text\/html/);
      const html = (await home?.text()) ?? '';
      expect(html).toContain('Fernhill');
      expect(html).toContain('window.loupe = window.loupe || []');
      expect(html).toContain('data-loupe-show="cart-abandoners"');

      for (const asset of [
        '/config.js',
        '/assets/shop.js',
        '/assets/cart.js',
        '/assets/views.js',
        '/assets/shop.css',
        '/assets/panel.js',
      ]) {
        expect((await get(`${url}${asset}`))?.status, asset).toBe(200);
      }

      const tracker = await get(`${url}/loupe.js`);
      expect(tracker?.status, `GET /loupe.js: ${await tracker?.clone().text()}`).toBe(200);
      expect(tracker?.headers.get('content-type')).toMatch(/javascript/);
      expect(((await tracker?.text()) ?? '').length).toBeGreaterThan(1000);

      expect(Date.now() - started).toBeLessThan(MINUTE);
      await demo.waitFor(`http://localhost:${port}/`, 5000);
      expect(existsSync(join(cwd, 'data', 'loupe.db'))).toBe(true);

      expect(await demo.stop()).toBe(0);
    },
    2 * MINUTE,
  );

  it(
    'simulates shoppers and segments them once; a second start reuses the data',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'loupe-start-twice-'));
      try {
        const env = { LOUPE_DEMO_USERS: '150' };
        const first = spawnDemo({ cwd: dir, port: await freePort(), env });
        demo = first;
        await first.waitFor('Loupe demo ready', 2 * MINUTE);
        expect(first.output()).toMatch(/simulating 150 shoppers over 60 days/);
        expect(first.output()).toMatch(/Segments \(last run /);
        expect(first.output()).toContain(join(dir, 'data', 'report.html'));
        expect(existsSync(join(dir, 'data', 'report.html'))).toBe(true);
        expect(await first.stop()).toBe(0);

        const second = spawnDemo({ cwd: dir, port: await freePort(), env });
        demo = second;
        await second.waitFor('Loupe demo ready', MINUTE);
        expect(second.output()).toMatch(/reusing [\d,]+ stored events/);
        expect(second.output()).not.toContain('simulating');
        expect(second.output()).not.toContain('segmenting');
        expect((await get(`${second.url}/healthz`))?.status).toBe(200);
        expect(await second.stop()).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    4 * MINUTE,
  );
});
