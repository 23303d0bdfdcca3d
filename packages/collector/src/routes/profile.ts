import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { HttpError } from '../errors.js';
import { basicAuthKey } from '../middleware/client.js';
import { corsHeaders } from '../middleware/cors.js';
import { type KeyResolver, originAllowed } from '../services/key-resolver.js';
import type { SegmentService } from '../services/segment-service.js';

export interface ProfileRouteDeps {
  keys: KeyResolver;
  segments: SegmentService | null;
}

/**
 * GET /v1/profile?anonymousId=…: the visitor's segment for the page to personalize itself. The write
 * key comes as Basic auth or `writeKey` (a script tag cannot set headers on a cached GET). Answers
 * carry an ETag, so a page polling for changes gets 304s while nothing moved.
 */
export function profileRoutes({ keys, segments }: ProfileRouteDeps): Hono {
  const routes = new Hono();
  routes.get('/profile', async (c) => {
    const started = performance.now();
    const origin = c.req.header('origin');
    const cors = corsHeaders(origin);
    const keyId = basicAuthKey(c.req.header('authorization')) ?? c.req.query('writeKey') ?? null;
    if (!keyId)
      throw new HttpError(
        401,
        'missing_write_key',
        'send the write key as Basic auth or as the writeKey query parameter',
        cors,
      );
    const key = await keys.get(keyId);
    if (!key) throw new HttpError(401, 'unknown_write_key', 'unknown write key', cors);
    if (!originAllowed(key, origin))
      throw new HttpError(403, 'origin_not_allowed', `origin ${origin} is not allowed for this write key`);
    const anonymousId = c.req.query('anonymousId');
    if (!anonymousId || anonymousId.length > 200) {
      throw new HttpError(
        400,
        'missing_anonymous_id',
        'give the anonymousId query parameter (at most 200 characters)',
        cors,
      );
    }
    if (!segments) throw new HttpError(501, 'not_supported', 'this storage adapter does not keep segments yet', cors);
    const body = await segments.profile(key, anonymousId, c.req.header('sec-gpc') === '1');
    const text = JSON.stringify(body);
    const etag = `"${createHash('sha1').update(text).digest('base64url')}"`;
    const headers = {
      ...cors,
      ETag: etag,
      // Time spent answering, for the read-back benchmark and browser devtools (no personal data).
      'Server-Timing': `app;dur=${(performance.now() - started).toFixed(3)}`,
      'Cache-Control': 'private, no-cache',
      Vary: 'Origin, Authorization',
      ...(origin ? { 'Access-Control-Expose-Headers': 'ETag, Server-Timing' } : {}),
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(text, 200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  });
  return routes;
}
