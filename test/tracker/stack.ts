import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, type StoredEvent, startServer } from '@loupe/collector';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, until } from '../helpers/chromium.js';

export const TRACKER_BUNDLE = fileURLToPath(new URL('../../packages/tracker/dist/loupe.js', import.meta.url));

export interface Stack {
  collector: RunningServer;
  writeKey: string;
  /** The site's origin (another port than the collector's: cross-origin, as in production). */
  site: string;
  /** Serves `html` at `path` on the site; returns its URL. */
  page(path: string, html: string): string;
  browser: Browser;
  close(): Promise<void>;
}

/** A real collector on a temporary SQLite file, a site on another port, and Chromium. */
export async function startStack(): Promise<Stack> {
  if (!existsSync(TRACKER_BUNDLE)) throw new Error(`${TRACKER_BUNDLE} is missing: run npm run build`);
  const dir = mkdtempSync(join(tmpdir(), 'loupe-tracker-'));
  const collector = await startServer({ db: join(dir, 'loupe.db'), port: 0 });
  const pages = new Map<string, string>();
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    // A first-party proxy, as a site puts the collector under its own domain: /lp/* → the collector,
    // the script under another name (/lp/a.js) so nothing depends on "loupe.js".
    if (path.startsWith('/lp/')) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const target = collector.url + (path === '/lp/a.js' ? '/loupe.js' : (req.url ?? '').slice(3));
      const upstream = await fetch(target, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'text/plain', origin: req.headers.origin ?? site },
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/plain' });
      return void res.end(Buffer.from(await upstream.arrayBuffer()));
    }
    const html = pages.get(path);
    if (html === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { key } = await collector.store.createKey({ origins: [site] });
  const browser = await launchChromium();
  return {
    collector,
    writeKey: key,
    site,
    browser,
    page(path, html) {
      pages.set(path, html);
      return site + path;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page that embeds loupe.js from the collector with one script tag, after an optional snippet. */
export function embed(stack: Stack, { body = '', before = '', attributes = '' } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script>window.loupe = window.loupe || [];${before}</script>
<script src="${stack.collector.url}/loupe.js" data-write-key="${stack.writeKey}" ${attributes} async></script>
</head><body>${body}</body></html>`;
}

/** Waits for loupe.js to have replaced the snippet queue. */
export async function loaded(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof (window as { loupe?: { track?: unknown } }).loupe?.track === 'function');
}

export const anonymousIdOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { loupe: { anonymousId(): string } }).loupe.anonymousId());

/** Stored events of one visitor, waiting until `count` are there. */
export async function storedFor(stack: Stack, anonymousId: string, count: number): Promise<StoredEvent[]> {
  return until(async () => {
    const events = await stack.collector.store.eventsForIds([anonymousId]);
    return events.length >= count ? events : null;
  });
}

/** The messageIds carried by every batch request the context sends (fetch or beacon), request by request. */
export function recordBatches(context: BrowserContext): string[][] {
  const batches: string[][] = [];
  context.on('request', (request) => {
    if (!request.url().includes('/v1/batch')) return;
    const body = JSON.parse(request.postData() ?? '{"batch":[]}') as { batch: { messageId: string }[] };
    batches.push(body.batch.map((event) => event.messageId));
  });
  return batches;
}

/** Storage the page's origin holds: localStorage/sessionStorage keys, cookies, IndexedDB names. */
export function originStorage(page: Page): Promise<string[]> {
  return page.evaluate(async () => [
    ...Object.keys(localStorage).map((key) => `localStorage:${key}`),
    ...Object.keys(sessionStorage).map((key) => `sessionStorage:${key}`),
    ...(document.cookie ? document.cookie.split('; ').map((cookie) => `cookie:${cookie}`) : []),
    ...(await indexedDB.databases()).map((db) => `indexedDB:${db.name}`),
  ]);
}

/** Events waiting in the IndexedDB queue (0 when the database does not exist). */
export function queuedCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        indexedDB.databases().then((dbs) => {
          if (!dbs.some((db) => db.name === 'loupe')) return resolve(0);
          const open = indexedDB.open('loupe');
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('queue')) return resolve((db.close(), 0));
            const count = db.transaction('queue').objectStore('queue').count();
            count.onsuccess = () => resolve((db.close(), count.result));
          };
        });
      }),
  );
}
