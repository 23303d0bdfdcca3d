// Runs every benchmark: each bench/<name>/run.js, one after another, in name order.
// A benchmark is a plain Node script that prints its figures; extra arguments are passed through.
// `npm run bench` rewrites bench/RESULTS.md: every bench gets `--write` (each accepts it and
// replaces its own section: figures, machine, command); `--no-write` only prints.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const passThrough = flags.filter((a) => a !== '--no-write');
if (!flags.includes('--no-write') && !passThrough.includes('--write')) passThrough.push('--write');
const benches = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'run.js')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench/${name} ===`);
  const { status } = spawnSync(process.execPath, [join(here, name, 'run.js'), ...passThrough], { stdio: 'inherit' });
  if (status !== 0) {
    failed++;
    console.error(`bench/${name} failed (exit ${status})`);
  }
}
console.log(`\n${benches.length - failed} of ${benches.length} benchmarks ran`);
process.exit(failed > 0 ? 1 : 0);
