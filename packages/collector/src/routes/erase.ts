import { Hono } from 'hono';
import { HttpError } from '../errors.js';
import { clientIp } from '../middleware/client.js';
import { corsHeaders } from '../middleware/cors.js';
import { authenticateWriteKey, jsonBody, smallBody, takeOrRefuse } from '../middleware/write-key-auth.js';
import type { KeyResolver } from '../services/key-resolver.js';
import type { PrivacyService } from '../services/privacy.js';
import type { RateLimiter } from '../services/rate-limit.js';

export interface EraseRouteDeps {
  keys: KeyResolver;
  privacy: PrivacyService;
  limiter: RateLimiter;
  trustProxy: boolean;
}

const MAX_BODY = 4 * 1024;

/**
 * `POST /v1/erase {anonymousId}`: a browser withdrawing consent asks the collector to forget it
 * (the tracker's `eraseOnRevoke`). Write-key auth and CORS as for ingest; only that anonymous id's
 * own data goes (events, links, profile), and its later events are suppressed. Audited.
 */
export function eraseRoutes({ keys, privacy, limiter, trustProxy }: EraseRouteDeps): Hono {
  const routes = new Hono();
  routes.post('/erase', smallBody(MAX_BODY, 'an erase request'), async (c) => {
    const cors = corsHeaders(c.req.header('origin'));
    const body = await jsonBody(c);
    const key = await authenticateWriteKey(c, body.writeKey, keys);
    takeOrRefuse(limiter, clientIp(c, trustProxy) ?? key.key, cors, 'too many erase requests');
    const { anonymousId } = body;
    if (
      typeof anonymousId !== 'string' ||
      anonymousId.length === 0 ||
      anonymousId.length > 256 ||
      anonymousId.includes('\u0000')
    ) {
      throw new HttpError(
        400,
        'invalid_anonymous_id',
        'anonymousId must be a non-empty string of at most 256 characters',
        cors,
      );
    }
    const report = await privacy.eraseAnonymous(anonymousId, `key:${key.key.slice(0, 8)}`);
    return c.json({ erased: true, deleted: report.deleted }, 200, cors);
  });
  return routes;
}
