import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteRoutes } from '../routes/site.js';
import type { Store } from '../storage/types.js';
import { defaultDbPath, defaultPort, list, parse, portFrom, str, UsageError } from './args.js';
import { openStore } from './open-store.js';
import { runUntilSignal } from './serve.js';

const USAGE = 'loupe demo [--db ./data/loupe.db] [--port 3000] [--host 0.0.0.0] [--origin http://…]… [--shop DIR]';
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
    },
    USAGE,
  );
  const shop = resolve(str(args, 'shop') as string);
  if (!existsSync(`${shop}/index.html`))
    throw new UsageError(`no shop at ${shop} (expected index.html there): pass --shop DIR`);
  const db = str(args, 'db') as string;
  const store = await openStore({ db });
  const server = await runUntilSignal({
    store,
    port: portFrom(str(args, 'port')),
    hostname: str(args, 'host') as string,
    site: siteRoutes({ root: shop }),
  });
  const url = `http://localhost:${server.port}`;
  await ensureDemoKey(store, server.port, list(args, 'origin'));
  process.stdout.write(
    `\nLoupe demo\n` +
      `  shop:       ${url}/\n` +
      `  collector:  ${url}  (write key ${DEMO_WRITE_KEY}, data in ${resolve(db)})\n` +
      `  health:     ${url}/healthz\n\n` +
      `See your own segment: accept the banner, browse, add something to the cart and leave;\n` +
      `open "See it work" in the shop's corner to watch your events and segment change.\n\n`,
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
