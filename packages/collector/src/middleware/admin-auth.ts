import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from '../errors.js';
import { bearerToken } from './client.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Bearer admin token, compared in constant time; with no token configured every admin call is refused. */
export function adminAuth(adminToken: string | null): MiddlewareHandler {
  const expected = adminToken ? digest(adminToken) : null;
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization')) ?? c.req.query('token') ?? null;
    if (!expected) throw new HttpError(401, 'admin_disabled', 'set LOUPE_ADMIN_TOKEN to use the admin API');
    if (!token || !timingSafeEqual(digest(token), expected)) {
      throw new HttpError(401, 'invalid_admin_token', 'a valid admin token is required (Authorization: Bearer …)');
    }
    c.set('adminActor' as never, `token:${digest(token).toString('hex').slice(0, 8)}` as never);
    await next();
  };
}
