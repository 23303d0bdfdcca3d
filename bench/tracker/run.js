// Tracker: loupe.js beside the script-tag builds of Segment (analytics-next standalone), PostHog
// (array.js) and RudderStack (v3 UMD), each minified with terser and gzipped at level 9; and the
// main-thread cost of one captured event in Chromium against a real collector.
// Setup (once, outside the root lockfile): npm install --prefix bench/tracker
// Run: npm run build && node bench/tracker/run.js [--events N] [--write]
// --write replaces the "Tracker" section of bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startServer } from '@loupe/collector';
import { launchChromium } from './chromium.js';
import { minify } from 'terser';

const root = fileURLToPath(new URL('../../', import.meta.url));
const mods = join(root, 'bench/tracker/node_modules');
const args = process.argv.slice(2);
const events = Number(args[args.indexOf('--events') + 1]) || 5000;
const write = args.includes('--write');

const TARGETS = [
  { name: 'Loupe loupe.js', file: join(root, 'packages/tracker/dist/loupe.js') },
  {
    name: 'Loupe loupe-x.js (loaded by loupe.js only for pages with data-loupe-view/-cart/-show markup)',
    file: join(root, 'packages/tracker/dist/loupe-x.js'),
  },
  {
    name: 'Segment @segment/analytics-next 1.84.3 (standalone.js, destinations load later)',
    file: join(mods, '@segment/analytics-next/dist/umd/standalone.js'),
  },
  { name: 'PostHog posthog-js 1.449.2 (array.js, the snippet’s script)', file: join(mods, 'posthog-js/dist/array.js') },
  {
    name: 'RudderStack @rudderstack/analytics-js 3.34.1 (modern UMD, plugins load later)',
    file: join(mods, '@rudderstack/analytics-js/dist/npm/modern/umd/index.js'),
  },
];

async function sizes() {
  if (!existsSync(mods))
    execFileSync(
      'npm',
      ['install', '--prefix', join(root, 'bench/tracker'), '--no-audit', '--no-fund', '--ignore-scripts'],
      { stdio: 'inherit' },
    );
  const rows = [];
  for (const { name, file } of TARGETS) {
    if (!existsSync(file)) throw new Error(`${file} is missing (npm run build; npm install --prefix bench/tracker)`);
    const source = readFileSync(file, 'utf8');
    // Minified again with the same terser settings for all, so "min" means the same thing everywhere.
    const { code } = await minify(source, { compress: { passes: 2 }, mangle: true, format: { comments: false } });
    rows.push({
      name,
      min: code.length,
      gzip: gzipSync(code, { level: 9 }).length,
      shipped: gzipSync(source, { level: 9 }).length,
    });
  }
  return rows;
}

/** Main-thread time per captured event: `track()` itself, and everything the page did until delivery. */
async function cost() {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-tracker-'));
  const collector = await startServer({ db: join(dir, 'loupe.db'), port: 0 });
  const { key } = await collector.store.createKey({ origins: ['*'] });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // Served (by the route) from the collector's own origin: 127.0.0.1 is a secure context.
    const url = `${collector.url}/bench.html`;
    await page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>bench</title><script src="${collector.url}/loupe.js" data-write-key="${key}" data-consent="analytics" data-capture=""></script>`,
      }),
    );
    const script = page.waitForResponse(`${collector.url}/loupe.js`);
    await page.goto(url);
    // What the browser downloaded: the body as it crossed the wire, in the coding the collector chose.
    const response = await script;
    const wire = {
      coding: (await response.headerValue('content-encoding')) ?? 'identity',
      bytes: (await response.request().sizes()).responseBodySize,
    };
    await page.waitForFunction(() => typeof window.loupe?.track === 'function');
    await page.evaluate(() => window.loupe.ready);
    // Warm-up: JIT, the database opened, the first batch sent.
    await page.evaluate(async () => {
      for (let i = 0; i < 500; i++) window.loupe.track('Warm Up', { i });
      await window.loupe.flush();
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name) => metrics.find((m) => m.name === name).value * 1000;
      return { script: value('ScriptDuration'), task: value('TaskDuration') };
    };
    const before = await busy();
    // Bursts of 250, each delivered before the next: the queue never reaches its cap (1,000), so
    // nothing is dropped and every event's whole path is counted.
    let syncMs = 0;
    for (let sent = 0; sent < events; sent += 250) {
      syncMs += await page.evaluate((from) => {
        const props = { product_id: 'sku-42', price: 19.99, quantity: 1, category: 'shoes', list: 'search results' };
        const start = performance.now();
        for (let i = from; i < from + 250; i++) window.loupe.track('Product Viewed', { ...props, i });
        return performance.now() - start;
      }, sent);
      // Waits on onDelivered inside the page: polling from here would add main-thread work of its own.
      await page.evaluate(
        (n) =>
          new Promise((resolve) => {
            const done = () => window.loupe.stats().delivered >= n && (off(), resolve());
            const off = window.loupe.onDelivered(done);
            done();
          }),
        sent + 250 + 500,
      );
    }
    const after = await busy();
    return {
      wire,
      syncUs: (syncMs * 1000) / events,
      scriptUs: ((after.script - before.script) * 1000) / events,
      totalUs: ((after.task - before.task) * 1000) / events,
    };
  } finally {
    await browser.close();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
const rows = await sizes();
const { wire, syncUs, scriptUs, totalUs } = await cost();
for (const r of rows) console.log(`${r.name}: ${r.min} B min, ${r.gzip} B min+gzip (${r.shipped} B as shipped, gzip)`);
console.log(`loupe.js as Chromium downloaded it from the collector: ${wire.bytes} B (${wire.coding})`);
console.log(
  `track(): ${syncUs.toFixed(1)} µs per event on the calling task; until delivered, per event: ${scriptUs.toFixed(1)} µs of main-thread JavaScript, ${totalUs.toFixed(1)} µs of main-thread tasks`,
);

if (write) {
  const loupe = rows[0];
  const section = [
    '## Tracker',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, Debian's Chromium (headless).`,
    '',
    `Command: \`npm run build && npm install --prefix bench/tracker && node bench/tracker/run.js --events ${events} --write\``,
    '',
    'Sizes: each script-tag build minified with the same terser settings, then gzip -9 (the last column is the file as its package ships it, gzip -9). The others load more code after their first script (destinations, plugins, recorder); only the first script is counted.',
    '',
    '| script | min B | min+gzip B | KB | as shipped, gzip B |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.min.toLocaleString('en')} | ${r.gzip.toLocaleString('en')} | ${kb(r.gzip)} | ${r.shipped.toLocaleString('en')} |`,
    ),
    '',
    `loupe.js as built: **${kb(loupe.shipped)} KB** (${loupe.shipped.toLocaleString('en')} B) min+gzip (target ≤ 6 KB, 6,144 B: ${loupe.shipped <= 6144 ? 'met' : `not met; ${(loupe.shipped - 6144).toLocaleString('en')} B over`}); loupe-x.js, which only pages with its markup load, ${rows[1].shipped.toLocaleString('en')} B. What Chromium downloads from the collector's \`GET /loupe.js\` (its body on the wire, CDP's response sizes): **${wire.bytes.toLocaleString('en')} B**, ${wire.coding === 'identity' ? 'uncompressed' : `${wire.coding}-compressed`}.`,
    '',
    `Main thread per captured event (${events.toLocaleString('en')} \`track()\` calls in bursts of 250, each delivered before the next, after 500 warm-up; consent granted, autocapture off, a real collector on 127.0.0.1; CDP Performance metrics): **${syncUs.toFixed(1)} µs** inside \`track()\` (target ≤ 50 µs: ${syncUs <= 50 ? 'met' : 'not met'}); from the first call until the collector acknowledged the last, **${scriptUs.toFixed(1)} µs** of main-thread JavaScript per event (the tracker's later work: persisting, batching, answers) and ${totalUs.toFixed(1)} µs of main-thread task time (that plus the browser's own IndexedDB, fetch and GC work on that thread).`,
    '',
  ].join('\n');
  const path = join(root, 'bench/RESULTS.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n\n';
  const pattern = /## Tracker\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(
    path,
    pattern.test(current) ? current.replace(pattern, `${section.trimEnd()}\n`) : `${current.trimEnd()}\n\n${section}`,
  );
  console.log(`  wrote the "Tracker" section of ${path}`);
}
process.exit(0);
