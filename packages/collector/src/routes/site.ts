import { realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

export interface SiteRoutesOptions {
  /** Absolute path of the directory to serve (the demo shop). */
  root: string;
}

/** A path segment that is empty, `.`/`..`, hidden (`.git`), or carries a separator or NUL. */
const UNSAFE_SEGMENT = /^\.|[\\\0]/;

/**
 * `GET /*`: static files from one directory, for `loupe demo`'s shop. Registered after the API so
 * it never shadows a route. Refuses dot-segments, hidden files, encoded separators and anything
 * whose real path (symlinks resolved) is outside `root`; everything refused is a plain 404.
 */
export function siteRoutes({ root }: SiteRoutesOptions): Hono {
  const base = realpathSync(root);
  const routes = new Hono();
  const files = serveStatic({ root: base });
  routes.get('*', async (c, next) => {
    const path = c.req.path;
    // Encoded bytes are never needed by the shop's file names and hide `..%2f` tricks.
    if (path.includes('%')) return next();
    const segments = path.split('/').slice(1);
    if (segments.some((s, i) => (s === '' ? i < segments.length - 1 : UNSAFE_SEGMENT.test(s)))) return next();
    const target = `${base}${path}`;
    let real: string;
    try {
      real = realpathSync(target);
    } catch {
      return next();
    }
    if (real !== base && !real.startsWith(base + sep)) return next();
    const response = await files(c, next);
    if (response) {
      // The demo's files change while someone edits the shop: always revalidate.
      response.headers.set('Cache-Control', 'no-cache');
      response.headers.set('X-Content-Type-Options', 'nosniff');
    }
    return response;
  });
  return routes;
}
