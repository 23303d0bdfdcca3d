// Consent banner sizes: loupe-consent.js (banner, CSS, bridges) beside Klaro, vanilla-cookieconsent
// and Osano's cookieconsent, each as its browser build with its CSS, minified + gzip -9; and the
// consent gate's share of loupe.js.
// Setup (once, outside the root lockfile): npm install --prefix bench/consent
// --write replaces the "Consent" section of bench/RESULTS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { consentGateCost } from './gate-size.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const mods = join(root, 'bench/consent/node_modules');

const TARGETS = [
  {
    name: 'Loupe loupe-consent.js (banner + CSS + GPC/TCF/Consent Mode bridges)',
    files: ['packages/consent/dist/loupe-consent.js'],
    base: root,
  },
  { name: 'Klaro 0.7.22 klaro.js (CSS and translations inside)', files: ['klaro/dist/klaro.js'], base: mods },
  {
    name: 'Klaro 0.7.22 klaro-no-translations-no-css.js + klaro-no-translations.min.css',
    files: ['klaro/dist/klaro-no-translations-no-css.js', 'klaro/dist/klaro-no-translations.min.css'],
    base: mods,
  },
  {
    name: 'vanilla-cookieconsent 3.1.0 cookieconsent.umd.js + cookieconsent.css',
    files: ['vanilla-cookieconsent/dist/cookieconsent.umd.js', 'vanilla-cookieconsent/dist/cookieconsent.css'],
    base: mods,
  },
  {
    name: 'Osano cookieconsent 3.1.1 cookieconsent.min.js + cookieconsent.min.css',
    files: ['cookieconsent/build/cookieconsent.min.js', 'cookieconsent/build/cookieconsent.min.css'],
    base: mods,
  },
];

const rows = [];
for (const { name, files, base } of TARGETS) {
  const paths = files.map((f) => join(base, f));
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    console.log(`  ${name}: missing ${missing.join(', ')} (npm run build; npm install --prefix bench/consent)`);
    continue;
  }
  const buffers = paths.map((p) => readFileSync(p));
  const raw = buffers.reduce((n, b) => n + b.length, 0);
  // Each file is fetched on its own, so each is gzipped on its own.
  const gzip = buffers.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  rows.push({ name, raw, gzip });
  console.log(`  ${name}: ${raw} B raw, ${gzip} B gzip`);
}
const gate = await consentGateCost();
console.log(
  `  consent gate inside loupe.js: ${gate.gate} B gzip (loupe.js ${gate.full} B, with the gate stubbed ${gate.stubbed} B)`,
);

if (process.argv.includes('--write')) {
  const loupe = rows[0];
  const kb = (n) => (n / 1024).toFixed(1);
  const section = [
    '## Consent',
    '',
    `Run ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.`,
    '',
    'Command: `npm run build && npm install --prefix bench/consent && node bench/consent/run.js --write`',
    '',
    'Sizes: each browser build as shipped by its package (minified), with its CSS; `gzip -9` per file, summed. The others are installed under bench/consent only, never in the root lockfile.',
    '',
    '| bundle | raw bytes | gzip bytes | gzip KB |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.name} | ${r.raw.toLocaleString('en')} | ${r.gzip.toLocaleString('en')} | ${kb(r.gzip)} |`,
    ),
    '',
    loupe
      ? `loupe-consent.js: **${kb(loupe.gzip)} KB** gzip with its CSS (target ≤ 8 KB: ${loupe.gzip <= 8192 ? 'met' : 'not met'}).`
      : 'loupe-consent.js: not built.',
    `Consent gate inside loupe.js: **${gate.gate} B** gzip (target ≤ 1 KB: ${gate.gate <= 1024 ? 'met' : 'not met'}): loupe.js is ${gate.full.toLocaleString('en')} B gzip as built, ${gate.stubbed.toLocaleString('en')} B with @loupe/consent replaced by a stub that grants everything (bench/consent/gate-size.js).`,
    '',
  ].join('\n');
  const path = join(root, 'bench/RESULTS.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n\n';
  const pattern = /## Consent\n[\s\S]*?(?=\n## |$)/;
  const next = pattern.test(current)
    ? current.replace(pattern, `${section.trimEnd()}\n`)
    : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
  console.log(`  wrote the "Consent" section of ${path}`);
}
