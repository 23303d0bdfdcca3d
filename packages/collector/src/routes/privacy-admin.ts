import { Hono } from 'hono';
import { HttpError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import type { ConsentRecordService } from '../services/consent-records.js';
import type { CookielessStore } from '../storage/privacy-types.js';
import type { AuditStore } from '../storage/types.js';

export interface PrivacyAdminDeps {
  adminToken: string | null;
  records: ConsentRecordService;
  cookieless: Pick<CookielessStore, 'cookielessCounts'>;
  store: Pick<AuditStore, 'appendAudit'>;
  clock: () => Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `/v1/admin/consent/verify` and `/v1/admin/cookieless`, behind the admin token. */
export function privacyAdminRoutes({ adminToken, records, cookieless, store, clock }: PrivacyAdminDeps): Hono {
  const routes = new Hono();
  routes.use('*', adminAuth(adminToken));

  routes.get('/consent/verify', async (c) => {
    const check = await records.verify();
    await store.appendAudit({
      at: clock().toISOString(),
      actor: String(c.get('adminActor' as never) ?? 'admin'),
      action: 'consent.verify',
      subject: 'consent_records',
      detail: { ok: check.ok, checked: check.checked, ...(check.broken ? { brokenSeq: check.broken.seq } : {}) },
    });
    return c.json(check, check.ok ? 200 : 409);
  });

  routes.get('/cookieless', async (c) => {
    const key = c.req.query('key');
    const today = clock().toISOString().slice(0, 10);
    const from = c.req.query('from') ?? today;
    const to = c.req.query('to') ?? today;
    if (!key || !DAY.test(from) || !DAY.test(to)) {
      throw new HttpError(400, 'invalid_query', 'key is required; from and to are YYYY-MM-DD');
    }
    return c.json({ key, from, to, counts: await cookieless.cookielessCounts(key, from, to) });
  });
  return routes;
}
