// CPU per event of the request-body scan (scanBody) on the same 20-event batches as run.js.
// Side by side with another build of it, e.g. an older dist copied aside:
//   npm run build && node bench/ingest/body-scan.js [path/to/other/body-scan.js ...]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { batchTemplate } from './cpu-cost.js';

const builds = [new URL('../../packages/collector/dist/services/body-scan.js', import.meta.url).href];
for (const path of process.argv.slice(2)) builds.push(pathToFileURL(resolve(path)).href);
const bodies = Array.from({ length: 200 }, (_, i) => batchTemplate().replaceAll('@@', `x${i}`));

async function cpuPerEvent(href) {
  const { scanBody } = await import(href);
  let bounded = 0;
  const pass = (times) => {
    for (let k = 0; k < times; k++) for (const body of bodies) bounded += scanBody(body).sizeBounded ? 1 : 0;
  };
  pass(200); // warm-up
  const start = process.cpuUsage();
  pass(1000);
  const used = process.cpuUsage(start);
  if (bounded === 0) throw new Error('every body came back unbounded: not the bench batches');
  return (used.user + used.system) / (1000 * bodies.length * 20);
}

// Alternating builds three times, so drift of the machine falls on each of them alike.
for (let round = 1; round <= 3; round++) {
  const figures = [];
  for (const href of builds)
    figures.push(`${(await cpuPerEvent(href)).toFixed(2)} µs/event (${href.split('/').slice(-3).join('/')})`);
  console.log(`round ${round}: ${figures.join(' vs ')}`);
}
