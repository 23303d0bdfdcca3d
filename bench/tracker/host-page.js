// What loupe.js costs the page it is on, beyond each event, side by side with the same page without it
// in each round, in Chromium against a real collector:
// - churn: a page that re-renders every frame (15,000 elements, a counter and a row inserted and
//   removed per animation frame, no Loupe markup): main-thread script ms a second (what the markup
//   observer costs a page that never uses the markup);
// - click: one click on a long article's body (a container of 600,000 characters, no link or button
//   around it): main-thread ms per click (what reading the clicked element's text costs).
//   npm run build && node bench/tracker/host-page.js [--rounds 3] [--seconds 5] [--vs path/to/other/loupe.js]
// --vs also runs another loupe.js build (served by route from the collector's origin) in each round.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '@loupe/collector';
import { launchChromium } from './chromium.js';

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
const browser = await launchChromium();

const body = `<div id="root">${'<div class="row"><span>item</span><a href="#">link</a></div>'.repeat(ROWS)}</div><p id="tick">0</p>
<script>let n = 0; (function frame() {
  document.getElementById('tick').textContent = String(n++);
  document.getElementById('root').appendChild(document.createElement('div')).remove();
  requestAnimationFrame(frame);
})();</script>`;

const article = `<div id="article">${'<p>Lorem ipsum dolor sit amet, call 0612345678 or write to someone@example.com about order 123456.</p>\n    '.repeat(5000)}</div>`;

/** A page with `tag`, ready once loupe.js (if any) is. */
async function open(name, tag, html) {
  const page = await browser.newPage();
  const url = `${collector.url}/host-${name}.html`;
  if (args.vs)
    await page.route(`${collector.url}/vs/loupe.js`, (route) =>
      route.fulfill({ contentType: 'application/javascript', body: readFileSync(args.vs) }),
    );
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>${tag}${html}` }));
  await page.goto(url);
  if (tag) await page.waitForFunction(() => window.loupe?.ready).then(() => page.evaluate(() => window.loupe.ready));
  return page;
}

/** Main-thread ms per click on the article's body: 20 clicks, after 5 to warm up. */
async function clickCost(name, tag) {
  const page = await open(name, tag, article);
  const ms = await page.evaluate(() => {
    const body = document.getElementById('article');
    for (let i = 0; i < 5; i++) body.click();
    const start = performance.now();
    for (let i = 0; i < 20; i++) body.click();
    return (performance.now() - start) / 20;
  });
  await page.close();
  return ms;
}

/** Main-thread script and task milliseconds per second of the page, after a second to settle. */
async function measure(name, tag) {
  const page = await open(name, tag, body);
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

const tags = {
  none: '',
  loupe: `<script src="${collector.url}/loupe.js" data-write-key="${key}" data-consent="analytics"></script>`,
  vs: `<script src="${collector.url}/vs/loupe.js" data-host="${collector.url}" data-write-key="${key}" data-consent="analytics"></script>`,
};
const targets = ['none', 'loupe', ...(args.vs ? ['vs'] : [])];
const label = { none: 'without loupe.js', loupe: 'loupe.js as built', vs: `--vs ${args.vs}` };
console.log(
  `churn: a page of ${(ROWS * 3).toLocaleString('en')} elements re-rendering every frame, ${SECONDS} s a measure; click: a container of 600,000 characters`,
);
for (let round = 1; round <= Number(args.rounds); round++) {
  const order = round % 2 ? targets : [...targets].reverse();
  const results = {};
  const clicks = {};
  for (const target of order) {
    results[target] = await measure(`${target}-${round}`, tags[target]);
    clicks[target] = await clickCost(`${target}-${round}-click`, tags[target]);
  }
  console.log(
    `  round ${round}: churn, script ms a second: ${targets.map((t) => `${label[t]} ${results[t].script.toFixed(1)}`).join(', ')}; loupe.js adds ${(results.loupe.script - results.none.script).toFixed(1)}${args.vs ? `, the --vs build ${(results.vs.script - results.none.script).toFixed(1)}` : ''}`,
  );
  console.log(
    `           click on the article, ms: ${targets.map((t) => `${label[t]} ${clicks[t].toFixed(2)}`).join(', ')}`,
  );
}
await browser.close();
await collector.close();
rmSync(dir, { recursive: true, force: true });
