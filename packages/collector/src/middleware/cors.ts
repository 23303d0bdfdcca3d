import type { MiddlewareHandler } from 'hono';
import type { KeyResolver } from '../services/key-resolver.js';

const ALLOW_HEADERS = 'Content-Type, Content-Encoding, Authorization';
/** A list of header names, as a preflight asks for them. */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

/**
 * The headers a preflight may send: those it asks for, when they are a well-formed list (libraries
 * add their own, RudderStack's JavaScript SDK an `AnonymousId` on every event, Segment's analytics.js
 * whatever the site configures), else the ones Loupe reads. The origin is what is checked: a header
 * grants nothing.
 */
function allowedHeaders(requested: string | undefined): string {
  const list = requested?.trim();
  return list && list.length <= 2048 && HEADER_LIST.test(list) ? list : ALLOW_HEADERS;
}
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
      'Access-Control-Allow-Headers': allowedHeaders(c.req.header('access-control-request-headers')),
      'Access-Control-Max-Age': '86400',
      Vary: 'Origin, Access-Control-Request-Headers',
    });
  };
}

export function corsHeaders(origin: string | undefined): Record<string, string> {
  // Exposed so a cross-origin page can honour Retry-After on 429 and 503.
  return origin
    ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After', Vary: 'Origin' }
    : {};
}
