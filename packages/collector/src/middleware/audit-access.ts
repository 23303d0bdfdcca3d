import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../services/log.js';
import { createRateLimiter } from '../services/rate-limit.js';
import type { AuditStore } from '../storage/types.js';

export interface AuditAccessOptions {
  store: Pick<AuditStore, 'appendAudit'>;
  clock: () => Date;
  logger?: Logger;
  /** Refused attempts recorded per second at most, so a flood of bad tokens cannot fill the disk. */
  refusedPerSecond?: number;
}

/**
 * Records every call to the admin API (who, what, when, the answer's status) in the audit log,
 * refused ones included. The path is kept, never the query string (it may carry the token).
 * Mount it before the admin routes so it wraps them.
 */
export function auditAccess({ store, clock, logger, refusedPerSecond = 5 }: AuditAccessOptions): MiddlewareHandler {
  const refused = createRateLimiter({ perSecond: refusedPerSecond });
  return async (c, next) => {
    await next();
    const status = c.res.status;
    const actor = c.get('adminActor' as never) as string | undefined;
    if (!actor && refused.take('refused') > 0) return;
    try {
      await store.appendAudit({
        at: clock().toISOString(),
        actor: actor ?? 'unauthenticated',
        action: status === 401 ? 'admin.refused' : 'admin.access',
        subject: c.req.path,
        detail: { method: c.req.method, status },
      });
    } catch (error) {
      // The answer is already made; a failed audit write is logged, not turned into a 500 after the fact.
      logger?.log('error', 'audit write failed', { message: (error as Error).message });
    }
  };
}
