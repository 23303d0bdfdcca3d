import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
export const CONSENT_BUNDLE = root('packages/consent/dist/loupe-consent.js');
export const TRACKER_BUNDLE = root('packages/tracker/dist/loupe.js');
export const AXE = root('node_modules/axe-core/axe.min.js');

export interface Page {
  html: string;
  headers?: Record<string, string>;
}

export interface Site {
  url: string;
  /** Adds or replaces a page at `path`. */
  page(path: string, page: Page): void;
  close(): Promise<void>;
}

/** A site on 127.0.0.1 (a secure context) serving the given pages and the built bundles. */
export async function startSite(): Promise<Site> {
  const pages = new Map<string, Page>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const bundle = path === '/loupe-consent.js' ? CONSENT_BUNDLE : path === '/loupe.js' ? TRACKER_BUNDLE : null;
    if (bundle) {
      res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8' });
      res.end(readFileSync(bundle));
      return;
    }
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...page.headers });
    res.end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    page: (path, page) => pages.set(path, page),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A plain page around `body`, in English, with a heading and a landmark (what axe expects of any page). */
export function pageHtml({ head = '', body = '' }: { head?: string; body?: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>${head}</head>
<body><main><h1>Shop</h1><p>Products.</p><a href="#more">More</a>${body}</main></body></html>`;
}
