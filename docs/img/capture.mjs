// Captures the screenshots in docs/img from a real `loupe demo` in Chromium:
//   npm run build && node docs/img/capture.mjs
// shop-new-visitor.png  a first visit after "Accept all" (New visitors: the first-order offer)
// shop-power-user.png   the same shop for one of the simulated Power users (the welcome-back offer)
// report.png            the segment report that `loupe demo` writes next to its database
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = fileURLToPath(new URL('./', import.meta.url));
const cli = join(root, 'packages/collector/dist/cli/main.js');
const { createSqliteStore } = await import(pathToFileURL(join(root, 'packages/collector/dist/index.js')).href);
const { segmentStoreOf } = await import(pathToFileURL(join(root, 'packages/collector/dist/storage/segment-store-of.js')).href);
const VIEWPORT = { width: 1100, height: 720 };
const USERS = 600;
const SEED = 7;

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = s.address();
    s.close(() => resolve(free));
  });
});
const cwd = mkdtempSync(join(tmpdir(), 'loupe-docs-'));
const demo = spawn(process.execPath, [cli, 'demo', '--users', String(USERS), '--seed', String(SEED)], {
  cwd,
  env: { ...process.env, PORT: String(port), LOUPE_HOST: '127.0.0.1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let printed = '';
await new Promise((resolve, reject) => {
  demo.stdout.on('data', (chunk) => {
    printed += chunk;
    if (printed.includes('Loupe demo ready')) resolve();
  });
  demo.once('exit', (code) => reject(new Error(`loupe demo exited (${code}):\n${printed}`)));
});
const url = `http://127.0.0.1:${port}`;
console.log(printed);

const browser = await chromium.launch({
  executablePath: process.env.LOUPE_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  // 1. A first visit: the banner, Accept all, and the offer for New visitors.
  const first = await browser.newContext({ viewport: VIEWPORT });
  const page = await first.newPage();
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-loupe-segment'), null, { timeout: 20_000 });
  await page.getByRole('button', { name: 'See it work' }).click();
  await page.waitForTimeout(2500);
  await page.screenshot({ path: join(out, 'shop-new-visitor.png') });
  const decision = await page.evaluate(() => localStorage.getItem('loupe_consent'));

  // 2. The same shop for a simulated Power user: their anonymous id on this device, consent recorded for it.
  const store = createSqliteStore({ path: join(cwd, 'data/loupe.db') });
  let power = null;
  for (let i = 0; i < USERS && !power; i++) {
    const profile = await segmentStoreOf(store).findProfile({ anonymousId: `anon-${SEED}-${i}` });
    if (profile?.segmentId === 'power-users') power = `anon-${SEED}-${i}`;
  }
  await store.close();
  if (!power) throw new Error('no simulated Power user found');
  const recorded = await fetch(`${url}/v1/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      writeKey: 'wk_demo_local',
      anonymousId: power,
      categories: { analytics: true, personalization: true, marketing: false },
      source: 'api',
      reason: 'grant',
      policyVersion: '1',
      timestamp: new Date().toISOString(),
    }),
  });
  if (!recorded.ok) throw new Error(`consent record: ${recorded.status} ${await recorded.text()}`);
  const second = await browser.newContext({ viewport: VIEWPORT });
  await second.addInitScript(
    ([id, consent]) => {
      if (!localStorage.getItem('loupe_user')) {
        localStorage.setItem('loupe_user', JSON.stringify({ anonymousId: id, userId: null, traits: {} }));
        localStorage.setItem('loupe_consent', consent);
      }
    },
    [power, decision],
  );
  const returning = await second.newPage();
  await returning.goto(`${url}/`);
  await returning.waitForFunction(() => document.documentElement.getAttribute('data-loupe-segment') === 'power-users', null, { timeout: 20_000 });
  await returning.getByRole('button', { name: 'See it work' }).click();
  await returning.waitForTimeout(2500);
  await returning.screenshot({ path: join(out, 'shop-power-user.png') });

  // 3. The report.
  const report = await first.newPage();
  await report.setViewportSize({ width: 1100, height: 900 });
  await report.goto(pathToFileURL(join(cwd, 'data/report.html')).href);
  await report.screenshot({ path: join(out, 'report.png') });
  console.log(`wrote ${['shop-new-visitor.png', 'shop-power-user.png', 'report.png'].map((f) => join(out, f)).join(', ')}`);
} finally {
  await browser.close();
  demo.kill('SIGTERM');
  await new Promise((resolve) => demo.once('exit', resolve));
  rmSync(cwd, { recursive: true, force: true });
}
