import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Context, Hono } from 'hono';
import { HttpError } from '../errors.js';

interface Asset {
  body: string;
  etag: string;
}

function loadAsset(path: string): Asset | null {
  try {
    const body = readFileSync(path, 'utf8');
    return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
  } catch {
    return null;
  }
}

/** The built tracker next to this package in the workspace, or from an installed @loupe/tracker. */
export function defaultTrackerBundlePath(): string {
  return fileURLToPath(new URL('../../../tracker/dist/loupe.js', import.meta.url));
}

/** The built consent banner (`loupe-consent.js`) next to this package in the workspace. */
export function defaultConsentBundlePath(): string {
  return fileURLToPath(new URL('../../../consent/dist/loupe-consent.js', import.meta.url));
}

/**
 * `GET /loupe.js`: the tracker bundle with a strong ETag. Cached for five minutes and revalidated,
 * so a new release reaches pages quickly while repeat views cost a 304. `GET /loupe-x.js`, the
 * markup-driven features loupe.js loads when a page uses them, is built beside it and served the same way.
 */
export function staticRoutes({
  trackerBundlePath,
  consentBundlePath = defaultConsentBundlePath(),
}: {
  trackerBundlePath: string;
  /** `GET /loupe-consent.js`, the consent banner, served the same way. */
  consentBundlePath?: string;
}): Hono {
  const routes = new Hono();
  const assets = new Map<string, Asset>();
  const bundles: Record<string, [path: string, code: string]> = {
    '/loupe.js': [trackerBundlePath, 'tracker_not_built'],
    '/loupe-x.js': [join(dirname(trackerBundlePath), 'loupe-x.js'), 'tracker_not_built'],
    '/loupe-consent.js': [consentBundlePath, 'consent_banner_not_built'],
  };
  const serve = (name: string) => (c: Context) => {
    const [path, code] = bundles[name] as [string, string];
    const asset = assets.get(name) ?? loadAsset(path);
    if (!asset) throw new HttpError(404, code, `${name.slice(1)} is not built: run \`npm run build\``);
    assets.set(name, asset);
    const headers = {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400',
      ETag: asset.etag,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
    return c.body(asset.body, 200, headers);
  };
  routes.get('/loupe.js', serve('/loupe.js'));
  routes.get('/loupe-x.js', serve('/loupe-x.js'));
  routes.get('/loupe-consent.js', serve('/loupe-consent.js'));
  return routes;
}
