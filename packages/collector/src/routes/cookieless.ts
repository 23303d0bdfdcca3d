import { Hono } from 'hono';
import { HttpError } from '../errors.js';
import { clientIp } from '../middleware/client.js';
import { corsHeaders } from '../middleware/cors.js';
import { authenticateWriteKey, jsonBody, smallBody, takeOrRefuse } from '../middleware/write-key-auth.js';
import type { CookielessCounter } from '../services/cookieless.js';
import type { KeyResolver } from '../services/key-resolver.js';
import type { RateLimiter } from '../services/rate-limit.js';
import type { KeyPrivacyStore } from '../storage/privacy-types.js';

export interface CookielessRouteDeps {
  keys: KeyResolver;
  settings: KeyPrivacyStore;
  counter: CookielessCounter;
  limiter: RateLimiter;
  trustProxy: boolean;
}

/**
 * `POST /v1/count` `{writeKey, path}`: an anonymous page count from a visitor who declined, for a
 * key with cookieless measurement on. Takes no ids; answers 204 so nothing comes back to store.
 */
export function cookielessRoutes({ keys, settings, counter, limiter, trustProxy }: CookielessRouteDeps): Hono {
  const routes = new Hono();
  routes.post('/count', smallBody(2048, 'a count'), async (c) => {
    const cors = corsHeaders(c.req.header('origin'));
    const body = await jsonBody(c);
    const key = await authenticateWriteKey(c, body.writeKey, keys);
    if (!(await settings.getKeyPrivacy(key.key))?.cookieless) {
      throw new HttpError(
        403,
        'cookieless_off',
        'cookieless measurement is off for this key (loupe keys create --cookieless)',
        cors,
      );
    }
    if (typeof body.path !== 'string') throw new HttpError(400, 'invalid_count', 'path must be a string', cors);
    const ip = clientIp(c, trustProxy);
    takeOrRefuse(limiter, ip ?? key.key, cors, 'too many counts');
    await counter.count({ writeKey: key.key, path: body.path, ip, userAgent: c.req.header('user-agent') ?? null });
    return c.body(null, 204, cors);
  });
  return routes;
}
