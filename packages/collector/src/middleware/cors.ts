import type { MiddlewareHandler } from 'hono';
import type { KeyResolver } from '../services/key-resolver.js';

const ALLOW_HEADERS = 'Content-Type, Content-Encoding, Authorization';
const ALLOW_METHODS = 'GET, POST, DELETE, OPTIONS';

/**
 * Preflights carry no write key, so they are answered for an origin that any key allows; the
 * request itself is then checked against its own key's origins (403 otherwise).
 */
export function corsPreflight(keys: KeyResolver): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'OPTIONS') return next();
    const origin = c.req.header('origin');
    if (!origin || !(await keys.anyKeyAllows(origin))) {
      return c.body(null, 403, { Vary: 'Origin' });
    }
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': ALLOW_METHODS,
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': '86400',
      Vary: 'Origin',
    });
  };
}

export function corsHeaders(origin: string | undefined): Record<string, string> {
  // Exposed so a cross-origin page can honour Retry-After on 429 and 503.
  return origin
    ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After', Vary: 'Origin' }
    : {};
}
