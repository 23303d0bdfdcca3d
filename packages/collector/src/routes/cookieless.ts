import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from '../errors.js';
import { clientIp } from '../middleware/client.js';
import { corsHeaders } from '../middleware/cors.js';
import { authenticateWriteKey, jsonBody } from '../middleware/write-key-auth.js';
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
  routes.post(
    '/count',
    bodyLimit({
      maxSize: 2048,
      onError: (c) => {
        throw new HttpError(413, 'request_too_large', 'a count is at most 2 KB', corsHeaders(c.req.header('origin')));
      },
    }),
    async (c) => {
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
      const wait = limiter.take(ip ?? key.key);
      if (wait > 0)
        throw new HttpError(429, 'rate_limited', 'too many counts', { ...cors, 'Retry-After': String(wait) });
      await counter.count({ writeKey: key.key, path: body.path, ip, userAgent: c.req.header('user-agent') ?? null });
      return c.body(null, 204, cors);
    },
  );
  return routes;
}
