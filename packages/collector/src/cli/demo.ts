import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteRoutes } from '../routes/site.js';
import type { Store } from '../storage/types.js';
import { DEMO_SHOPPERS, demoDataState, segmentOnce, simulateShoppers } from './demo-data.js';
import { defaultDbPath, defaultPort, list, parse, portFrom, str, UsageError } from './args.js';
import { openStore } from './open-store.js';
import { runUntilSignal } from './serve.js';

const USAGE =
  'loupe demo [--db ./data/loupe.db] [--port 3000] [--host 0.0.0.0] [--origin http://…]… [--shop DIR] [--users 600] [--days 60] [--seed 7]';
/** A fixed key so the shop's config.js and a reused database agree across runs. */
export const DEMO_WRITE_KEY = 'wk_demo_local';

/** examples/shop in the repository this CLI was built in (dist/cli → ../../../../examples/shop). */
export function defaultShopRoot(): string {
  return fileURLToPath(new URL('../../../../examples/shop/', import.meta.url));
}

/**
 * `loupe demo`, what `npm start` runs: the collector on ./data/loupe.db with the example shop at
 * `/`, a demo key for the shop's origin, simulated shoppers so segments exist from the first
 * minute, and a short printout of where to look. A second run reuses the data.
 */
export async function demoCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      db: { type: 'string', default: defaultDbPath() },
      port: { type: 'string', default: defaultPort() },
      host: { type: 'string', default: process.env.LOUPE_HOST || '0.0.0.0' },
      origin: { type: 'string', multiple: true },
      shop: { type: 'string', default: process.env.LOUPE_DEMO_SHOP || defaultShopRoot() },
      users: { type: 'string', default: process.env.LOUPE_DEMO_USERS || String(DEMO_SHOPPERS.users) },
      days: { type: 'string', default: String(DEMO_SHOPPERS.days) },
      seed: { type: 'string', default: String(DEMO_SHOPPERS.seed) },
    },
    USAGE,
  );
  const shop = resolve(str(args, 'shop') as string);
  if (!existsSync(`${shop}/index.html`))
    throw new UsageError(`no shop at ${shop} (expected index.html there): pass --shop DIR`);
  const [users, days, seed] = (['users', 'days', 'seed'] as const).map((name) => Number(str(args, name)));
  if (![users, days, seed].every(Number.isInteger) || (users as number) < 1 || (days as number) < 1) {
    throw new UsageError('--users, --days and --seed take whole numbers');
  }
  const db = resolve(str(args, 'db') as string);
  const report = join(dirname(db), 'report.html');
  const store = await openStore({ db });
  const server = await runUntilSignal({
    store,
    port: portFrom(str(args, 'port')),
    hostname: str(args, 'host') as string,
    site: siteRoutes({ root: shop }),
  });
  const url = `http://localhost:${server.port}`;
  await ensureDemoKey(store, server.port, list(args, 'origin'));
  const out = (text: string) => process.stdout.write(text);
  out(`\nLoupe demo: the shop is up at ${url}/ (collector and shop on one port, data in ${db})\n`);

  try {
    const before = await demoDataState(store, DEMO_WRITE_KEY, report);
    let simulated = false;
    if (before.events === 0) {
      out(`  simulating ${users} shoppers over ${days} days through ${url}/v1/batch…\n`);
      const started = Date.now();
      const sent = await simulateShoppers({
        url: `http://127.0.0.1:${server.port}`,
        writeKey: DEMO_WRITE_KEY,
        users: users as number,
        days: days as number,
        seed: seed as number,
      });
      await server.collector.drain();
      out(`  ${sent.toLocaleString('en')} events stored in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      simulated = true;
    } else {
      out(`  reusing ${before.events.toLocaleString('en')} stored events (delete ${dirname(db)} to start over)\n`);
    }
    if (simulated || !before.run || !before.report) {
      out('  segmenting…\n');
      // Live assignment must not write profiles of the old model over the new run's.
      await server.collector.segments?.flush();
      const { run } = await segmentOnce(store, report);
      server.collector.segments?.invalidate();
      out(`  ${run.profiles.toLocaleString('en')} profiles, k=${run.k}: ${run.reason}\n`);
    }
    const after = await demoDataState(store, DEMO_WRITE_KEY, report);
    out(`\nSegments (last run ${after.run?.at ?? 'never'}):\n`);
    for (const s of after.segments)
      out(`  ${s.name.padEnd(20)} ${String(s.size).padStart(6)} people   data-loupe-show="${s.id}"\n`);
    out(`Report: ${report}\n`);
  } catch (error) {
    // The shop and the collector keep working; only the ready-made segments are missing.
    out(`\n  could not prepare the demo data: ${(error as Error).message}\n`);
  }
  out(
    `\nLoupe demo ready: open ${url}/\n` +
      '  See your own segment: accept the banner, browse, add something to the cart, leave and come\n' +
      '  back: the offer under the header follows your segment (a cart reminder for Cart abandoners).\n' +
      '  "See it work" (bottom right) shows your consent, anonymous id, segment and the events sent.\n' +
      `  Report: ${report}   Health: ${url}/healthz\n\n`,
  );
  return new Promise<number>(() => {}); // runs until a signal
}

/** The demo key, allowing the shop's origins on this port (and those of earlier runs and `--origin`). */
async function ensureDemoKey(store: Store, port: number, extra: readonly string[]): Promise<void> {
  const existing = await store.getKey(DEMO_WRITE_KEY);
  const origins = [
    `http://localhost:${port}`,
    `http://127.0.0.1:${port}`,
    `http://[::1]:${port}`,
    ...extra.map((o) => new URL(o).origin),
  ];
  await store.createKey({
    key: DEMO_WRITE_KEY,
    name: 'demo shop',
    origins: [...new Set([...(existing?.origins ?? []), ...origins])],
    requireConsent: true,
  });
}
