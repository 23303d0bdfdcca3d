import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type Context, Hono } from 'hono';
import { HttpError } from '../errors.js';
import { type Coding, noneMatch, pickCoding } from '../middleware/conditional.js';

/** One representation of a script: its bytes and its strong ETag (each coding has its own, RFC 9110 §8.8.3). */
interface Variant {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/**
 * A script as built and compressed once, when first asked for: at the best settings (Brotli 11,
 * gzip 9), which cost tens of milliseconds a file once instead of CPU on every request. Each
 * script-tag page load then carries loupe.js's compressed size (the budget's number), not its
 * minified size, which is more than twice that.
 */
function loadAsset(path: string): Record<Coding, Variant> | null {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = new Uint8Array(readFileSync(path));
  } catch {
    return null;
  }
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return {
    identity: { body, etag: `"${hash}"` },
    gzip: { body: new Uint8Array(gzipSync(body, { level: 9 })), etag: `"${hash}-gzip"` },
    br: {
      body: new Uint8Array(
        brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        }),
      ),
      etag: `"${hash}-br"`,
    },
  };
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
 * `GET /loupe.js`: the tracker bundle, Brotli- or gzip-compressed for clients that accept it
 * (`Vary: Accept-Encoding`), with a strong ETag per coding. Cached for five minutes and revalidated,
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
  const assets = new Map<string, Record<Coding, Variant>>();
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
    const coding = pickCoding(c.req.header('accept-encoding'));
    const { body, etag } = asset[coding];
    const headers: Record<string, string> = {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400',
      ETag: etag,
      Vary: 'Accept-Encoding',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (noneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    if (coding !== 'identity') headers['Content-Encoding'] = coding;
    return c.body(body, 200, headers);
  };
  routes.get('/loupe.js', serve('/loupe.js'));
  routes.get('/loupe-x.js', serve('/loupe-x.js'));
  routes.get('/loupe-consent.js', serve('/loupe-consent.js'));
  return routes;
}
