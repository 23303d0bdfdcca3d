import { Hono } from 'hono';
import type { GroupCommitter } from '../services/group-commit.js';
import type { Metrics } from '../services/metrics.js';
import type { Store } from '../storage/types.js';

/** Liveness and Prometheus metrics. */
export function opsRoutes({
  metrics,
  committer,
  store,
}: {
  metrics: Metrics;
  committer: GroupCommitter;
  store: Pick<Store, 'pendingIndexRows'>;
}): Hono {
  const routes = new Hono();
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  routes.get('/metrics', (c) =>
    c.text(
      metrics.render({
        loupe_write_backlog_rows: committer.backlog,
        // Acknowledged and on disk, not yet indexed for readers: how far the indexer is behind.
        loupe_ingest_unindexed_rows: store.pendingIndexRows ?? 0,
      }),
      200,
      {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
      },
    ),
  );
  return routes;
}
