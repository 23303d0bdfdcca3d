import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface StaticSite {
  /** `http://127.0.0.1:<port>`: the page's origin. */
  url: string;
  close(): Promise<void>;
}

/**
 * A site on 127.0.0.1 (a port the OS picks) for a page that loads a third-party library: `/` is
 * `html`; a path in `files` is that file; a path under a prefix in `dirs` (ending in `/`) is the
 * file of that name in the directory. Anything else is a 404.
 */
export async function startStaticSite(
  html: string,
  files: Record<string, string>,
  dirs: Record<string, string> = {},
): Promise<StaticSite> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const prefix = Object.keys(dirs).find((p) => path.startsWith(p));
    const name = prefix ? path.slice(prefix.length) : '';
    const file = files[path] ?? (prefix && /^[\w.-]+$/.test(name) ? join(dirs[prefix] as string, name) : undefined);
    let body: Buffer | undefined;
    try {
      body = file ? readFileSync(file) : undefined;
    } catch {
      body = undefined;
    }
    if (body) res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
