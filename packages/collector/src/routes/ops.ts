import { Hono } from 'hono';
import type { GroupCommitter } from '../services/group-commit.js';
import type { Metrics } from '../services/metrics.js';

/** Liveness and Prometheus metrics. */
export function opsRoutes({ metrics, committer }: { metrics: Metrics; committer: GroupCommitter }): Hono {
  const routes = new Hono();
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  routes.get('/metrics', (c) =>
    c.text(metrics.render({ loupe_write_backlog_rows: committer.backlog }), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    }),
  );
  return routes;
}
