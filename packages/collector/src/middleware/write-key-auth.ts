import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from '../errors.js';
import { type KeyResolver, originAllowed } from '../services/key-resolver.js';
import type { RateLimiter } from '../services/rate-limit.js';
import type { WriteKey } from '../storage/types.js';
import { basicAuthKey } from './client.js';
import { corsHeaders } from './cors.js';

/**
 * The write key of a request, as ingest takes it: Basic auth, else `writeKey` in the body
 * (sendBeacon cannot set headers). 401 for none or an unknown key, 403 for an origin the key
 * does not allow.
 */
export async function authenticateWriteKey(c: Context, bodyKey: unknown, keys: KeyResolver): Promise<WriteKey> {
  const origin = c.req.header('origin');
  const cors = corsHeaders(origin);
  const id = basicAuthKey(c.req.header('authorization')) ?? (typeof bodyKey === 'string' ? bodyKey : null);
  if (!id)
    throw new HttpError(
      401,
      'missing_write_key',
      'send the write key as Basic auth or as "writeKey" in the body',
      cors,
    );
  const key = await keys.get(id);
  if (!key) throw new HttpError(401, 'unknown_write_key', 'unknown write key', cors);
  if (!originAllowed(key, origin))
    throw new HttpError(403, 'origin_not_allowed', `origin ${origin} is not allowed for this write key`);
  return key;
}

/** Parses a JSON body sent as application/json or text/plain (sendBeacon); 400 otherwise. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not valid JSON', corsHeaders(c.req.header('origin')));
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'not_an_object', 'body must be a JSON object', corsHeaders(c.req.header('origin')));
  }
  return body as Record<string, unknown>;
}

/**
 * The body limit of a small browser-facing POST (a consent record, an erase request, a count):
 * 413 with CORS headers past `maxBytes`, so the page can read why.
 */
export function smallBody(maxBytes: number, what: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      throw new HttpError(
        413,
        'request_too_large',
        `${what} is at most ${maxBytes} bytes`,
        corsHeaders(c.req.header('origin')),
      );
    },
  });
}

/** Takes a token for `id` from `limiter`; 429 with `Retry-After` (and CORS headers) when there is none. */
export function takeOrRefuse(limiter: RateLimiter, id: string, cors: Record<string, string>, message: string): void {
  const wait = limiter.take(id);
  if (wait > 0) throw new HttpError(429, 'rate_limited', message, { ...cors, 'Retry-After': String(wait) });
}
