// One segmentation run over a prepared SQLite file, in its own process so its peak memory is its own.
// Prints one JSON line: wall time, peak RSS, events, profiles, k.
import { createSqliteStore } from '@loupe/collector';
import { runSegmentation } from '@loupe/segmenter';

const [path, k = 'auto'] = process.argv.slice(2);
const store = createSqliteStore({ path, writer: 'inline' });
const started = performance.now();
const result = await runSegmentation(store, { k: k === 'auto' ? 'auto' : Number(k), seed: 42 });
const ms = performance.now() - started;
await store.close();
console.log(
  JSON.stringify({
    ms,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    events: result.run.events,
    profiles: result.run.profiles,
    k: result.run.k,
  }),
);
