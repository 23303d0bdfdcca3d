import { createLogger } from '../services/log.js';
import { defaultDbPath, defaultPort, parse, portFrom, str } from './args.js';
import { runUntilSignal } from './serve.js';
import { openStore } from './open-store.js';

const USAGE = 'loupe demo [--db ./data/loupe.db] [--port 3000]';
/** A fixed key so the demo page and a reused database agree across runs. */
export const DEMO_WRITE_KEY = 'wk_demo_local';

export async function demoCommand(argv: string[]): Promise<number> {
  const args = parse(argv, {
    db: { type: 'string', default: defaultDbPath() },
    port: { type: 'string', default: defaultPort() },
    host: { type: 'string', default: process.env.LOUPE_HOST || '0.0.0.0' },
  }, USAGE);
  const port = portFrom(str(args, 'port'));
  const store = await openStore({ db: str(args, 'db') as string });
  const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  const existing = await store.getKey(DEMO_WRITE_KEY);
  await store.createKey({ key: DEMO_WRITE_KEY, name: 'demo', origins: [...new Set([...(existing?.origins ?? []), ...origins])] });
  const server = await runUntilSignal({ store, port, hostname: str(args, 'host') as string, homePage: demoPage(DEMO_WRITE_KEY) });
  createLogger().log('info', 'demo running', { url: `http://localhost:${server.port}/`, writeKey: DEMO_WRITE_KEY });
  process.stdout.write(`\nLoupe demo: open http://localhost:${server.port}/\n  write key: ${DEMO_WRITE_KEY}\n  health:    http://localhost:${server.port}/healthz\n\n`);
  return new Promise<number>(() => {});
}

function demoPage(writeKey: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loupe demo</title>
<script>window.loupe = window.loupe || [];</script>
<script src="/loupe.js" data-write-key="${writeKey}" async></script>
</head><body>
<h1>Loupe demo</h1>
<p>This page embeds <code>/loupe.js</code> with the demo write key. Grant consent, click around, and the events land in the collector.</p>
<p><button onclick="loupe.push ? loupe.push(['consent.grant', ['analytics','personalization']]) : loupe.consent.grant(['analytics','personalization'])">Accept analytics</button>
<button data-loupe-cart="add" data-product-id="sku-1" data-price="19.90" data-quantity="1">Add to cart</button></p>
<section data-loupe-view="promo"><h2>Promo</h2><p>Element views are tracked for this section.</p></section>
</body></html>`;
}
