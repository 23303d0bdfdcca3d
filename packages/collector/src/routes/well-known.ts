import { Hono } from 'hono';

/**
 * `/.well-known/gpc.json` (GPC spec §3.4): this collector honours Global Privacy Control.
 * `lastUpdate` is the date GPC handling last changed in Loupe.
 */
export function wellKnownRoutes({ lastUpdate = '2026-11-01' }: { lastUpdate?: string } = {}): Hono {
  const routes = new Hono();
  routes.get('/.well-known/gpc.json', (c) =>
    c.json({ gpc: true, lastUpdate }, 200, {
      'Cache-Control': 'public, max-age=86400',
      'Access-Control-Allow-Origin': '*',
    }),
  );
  return routes;
}
