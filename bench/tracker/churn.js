// A page that re-renders every frame (15,000 elements, a counter and a row inserted and removed per
// animation frame, no Loupe markup): main-thread script time per second with loupe.js against the
// same page without it, side by side in each round, in Chromium against a real collector. What a
// MutationObserver costs a host page that never uses the markup it watches for.
//   npm run build && node bench/tracker/churn.js [--rounds 3] [--seconds 5] [--vs path/to/other/loupe.js]
// --vs also runs another loupe.js build (served by route from the collector's origin) in each round.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '@loupe/collector';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    rows: { type: 'string', default: '5000' },
    vs: { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const ROWS = Number(args.rows);

const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-churn-'));
const collector = await startServer({ db: join(dir, 'loupe.db'), port: 0 });
const { key } = await collector.store.createKey({ origins: ['*'] });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const body = `<div id="root">${'<div class="row"><span>item</span><a href="#">link</a></div>'.repeat(ROWS)}</div><p id="tick">0</p>
<script>let n = 0; (function frame() {
  document.getElementById('tick').textContent = String(n++);
  document.getElementById('root').appendChild(document.createElement('div')).remove();
  requestAnimationFrame(frame);
})();</script>`;

/** Main-thread script and task milliseconds per second of the page, after a second to settle. */
async function measure(name, script) {
  const page = await browser.newPage();
  const url = `${collector.url}/churn-${name}.html`;
  const other = `${collector.url}/vs/loupe.js`;
  if (args.vs)
    await page.route(other, (route) =>
      route.fulfill({ contentType: 'application/javascript', body: readFileSync(args.vs) }),
    );
  const tag = {
    none: '',
    loupe: `<script src="${collector.url}/loupe.js" data-write-key="${key}" data-consent="analytics" data-capture=""></script>`,
    vs: `<script src="${other}" data-host="${collector.url}" data-write-key="${key}" data-consent="analytics" data-capture=""></script>`,
  }[script];
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>${tag}${body}` }));
  await page.goto(url);
  await page.waitForTimeout(1000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metrics();
  await page.waitForTimeout(SECONDS * 1000);
  const after = await metrics();
  await page.close();
  return {
    script: ((after.ScriptDuration - before.ScriptDuration) * 1000) / SECONDS,
    task: ((after.TaskDuration - before.TaskDuration) * 1000) / SECONDS,
  };
}

const targets = ['none', 'loupe', ...(args.vs ? ['vs'] : [])];
const label = { none: 'without loupe.js', loupe: 'loupe.js as built', vs: `--vs ${args.vs}` };
console.log(
  `a page of ${(ROWS * 3).toLocaleString('en')} elements re-rendering every frame, ${SECONDS} s a measure; main-thread script ms per s:`,
);
for (let round = 1; round <= Number(args.rounds); round++) {
  const order = round % 2 ? targets : [...targets].reverse();
  const results = {};
  for (const target of order) results[target] = await measure(`${target}-${round}`, target);
  console.log(
    `  round ${round}: ${targets.map((t) => `${label[t]} ${results[t].script.toFixed(1)} (tasks ${results[t].task.toFixed(0)})`).join(', ')}; loupe.js adds ${(results.loupe.script - results.none.script).toFixed(1)} ms/s${args.vs ? `, the --vs build ${(results.vs.script - results.none.script).toFixed(1)} ms/s` : ''}`,
  );
}
await browser.close();
await collector.close();
rmSync(dir, { recursive: true, force: true });
