import { Hono } from 'hono';
import { adminAuth } from '../middleware/admin-auth.js';
import type { PrivacyService } from '../services/privacy.js';
import type { Store } from '../storage/types.js';

export interface AdminRouteDeps {
  adminToken: string | null;
  privacy: PrivacyService;
  store: Store;
}

/** `/v1/admin/*`: subject rights and the audit trail, behind the admin token. */
export function adminRoutes({ adminToken, privacy, store }: AdminRouteDeps): Hono {
  const routes = new Hono();
  routes.use('*', adminAuth(adminToken));
  const actor = (c: { get: (k: never) => unknown }) => String(c.get('adminActor' as never) ?? 'admin');

  routes.get('/users/:id/export', async (c) => {
    const exported = await privacy.exportUser(c.req.param('id'), actor(c));
    c.header('Content-Disposition', `attachment; filename="loupe-export.json"`);
    return c.json(exported);
  });

  routes.delete('/users/:id', async (c) => c.json(await privacy.eraseUser(c.req.param('id'), actor(c))));

  routes.get('/audit', async (c) => {
    const limit = Math.min(Number(c.req.query('limit') ?? 1000) || 1000, 10_000);
    return c.json({ entries: await store.listAudit(limit) });
  });

  routes.get('/keys', async (c) => c.json({ keys: await store.listKeys() }));
  return routes;
}
