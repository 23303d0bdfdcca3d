import { Hono } from 'hono';
import { type CollectorConfig, DEFAULT_CONFIG } from './config.js';
import { HttpError } from './errors.js';
import { corsPreflight } from './middleware/cors.js';
import { adminRoutes } from './routes/admin.js';
import { eraseRoutes } from './routes/erase.js';
import { type IngestRouteDeps, ingestRoutes } from './routes/ingest.js';
import { opsRoutes } from './routes/ops.js';
import { defaultTrackerBundlePath, staticRoutes } from './routes/static.js';
import { createGroupCommitter, type GroupCommitter } from './services/group-commit.js';
import { createIngestService } from './services/ingest.js';
import { createKeyResolver, type KeyResolver } from './services/key-resolver.js';
import { createLogger, type Logger } from './services/log.js';
import { createMetrics, type Metrics } from './services/metrics.js';
import { createPrivacyService, type PrivacySection } from './services/privacy.js';
import { createRateLimiter } from './services/rate-limit.js';
import type { Store } from './storage/types.js';
import { auditAccess } from './middleware/audit-access.js';
import { createPrivacyModule, type PrivacyModule } from './privacy-module.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { privacyStoreOf } from './storage/privacy-store-of.js';
import type { PrivacyStore } from './storage/privacy-types.js';
import type { SegmentStore } from '@loupe/segmenter';
import { profileRoutes } from './routes/profile.js';
import { createSegmentService, type SegmentService } from './services/segment-service.js';
import { segmentStoreOf } from './storage/segment-store-of.js';
import { dashboardRoutes, segmentAdminRoutes } from './routes/segments-admin.js';

export interface AppDeps {
  store: Store;
  config?: Partial<CollectorConfig>;
  clock?: () => Date;
  logger?: Logger;
  /** HTML served at `/` (the demo page); a short index otherwise. */
  homePage?: string;
  /** Pages served after every API route, `/` included (`loupe demo` serves the example shop). */
  site?: Hono;
  afterCommit?: IngestRouteDeps['afterCommit'];
  privacySections?: readonly PrivacySection[];
  /** Defaults to the erasure suppression list of the privacy module. */
  isSuppressed?: (writeKey: string, ids: readonly string[]) => boolean | Promise<boolean>;
  /** Consent records, suppression list, cookieless counts; found from `store` when not given. */
  privacyStore?: PrivacyStore | null;
  /** Runs, segments and profiles; found from `store` when not given (null: no segment read-back). */
  segmentStore?: SegmentStore | null;
}

export interface CollectorApp {
  app: Hono;
  config: CollectorConfig;
  committer: GroupCommitter;
  metrics: Metrics;
  keys: KeyResolver;
  /** Consent records, suppression, cookieless counts, retention and their housekeeping. */
  privacy: PrivacyModule;
  /** Commits whatever is pending; call before closing the store. */
  drain(): Promise<void>;
  /** Live segment assignment and profile read-back; null when the store keeps no segments. */
  segments: SegmentService | null;
}

/** Builds the collector's Hono app from its dependencies; tests call `app.request()` with no server. */
export function createApp({
  store,
  config: overrides = {},
  clock = () => new Date(),
  logger = createLogger(),
  homePage,
  site,
  afterCommit,
  privacySections = [],
  isSuppressed: givenIsSuppressed,
  privacyStore = privacyStoreOf(store),
  segmentStore = segmentStoreOf(store),
}: AppDeps): CollectorApp {
  const config: CollectorConfig = { ...DEFAULT_CONFIG, ...overrides };
  const metrics = createMetrics();
  const committer = createGroupCommitter({
    store,
    maxDelayMs: config.commitDelayMs,
    maxRows: config.commitMaxRows,
    maxBacklogRows: config.maxBacklogRows,
    ...(store.commitsInFlight ? { maxInFlight: store.commitsInFlight } : {}),
    onCommit: (rows, ms) => metrics.observeCommit(rows, ms),
  });
  const keys = createKeyResolver(store);
  const privacyModule = createPrivacyModule({ store, privacyStore, config, keys, clock, logger });
  const isSuppressed = givenIsSuppressed ?? privacyModule.isSuppressed;
  const ingest = createIngestService({ store, committer, metrics, clock, isSuppressed });
  const segments = segmentStore
    ? createSegmentService({ segments: segmentStore, gate: privacyModule.segmentGate, clock, logger })
    : null;
  // Profiles and segment memberships are personal data: exported and erased with the rest.
  const segmentSections: PrivacySection[] = segments
    ? [{ name: 'profiles', export: (ids) => segments.exportProfiles(ids), erase: (ids) => segments.erase(ids) }]
    : [];
  const privacy = createPrivacyService({
    store,
    clock,
    sections: [...privacySections, ...privacyModule.sections, ...segmentSections],
  });

  const root = new Hono();
  const app = config.basePath ? root.basePath(config.basePath) : root;

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    metrics.observeRequest(route, c.res.status, (performance.now() - started) / 1000);
  });
  app.use('/v1/*', corsPreflight(keys));

  const ingestApi = ingestRoutes({
    config,
    keys,
    ingest,
    metrics,
    keyLimiter: createRateLimiter({ perSecond: config.rateLimitPerKey }),
    ipLimiter: createRateLimiter({ perSecond: config.rateLimitPerIp }),
    ...(afterCommit ? { afterCommit } : segments ? { afterCommit: segments.afterCommit } : {}),
  });
  app.route('/v1', ingestApi.v1);
  app.use('/beacon/v1/*', corsPreflight(keys));
  app.route('/beacon/v1', ingestApi.beacon);

  app.route('/v1', profileRoutes({ keys, segments }));
  app.route(
    '/v1',
    eraseRoutes({ keys, privacy, limiter: createRateLimiter({ perSecond: 5 }), trustProxy: config.trustProxy }),
  );
  app.use('/v1/admin/*', auditAccess({ store, clock, logger }));
  app.route('/v1', privacyModule.v1);
  app.route('/v1/admin', privacyModule.admin);
  app.route('/', wellKnownRoutes());
  app.route('/v1/admin', adminRoutes({ adminToken: config.adminToken, privacy, store }));
  app.route('/v1/admin', segmentAdminRoutes({ adminToken: config.adminToken, segments: segmentStore, clock }));
  app.route('/', dashboardRoutes({ adminToken: config.adminToken, segments: segmentStore, clock }));
  app.route('/', opsRoutes({ metrics, committer, store }));
  app.route('/', staticRoutes({ trackerBundlePath: config.trackerBundlePath ?? defaultTrackerBundlePath() }));
  if (site) app.route('/', site);
  app.get('/', (c) => c.html(homePage ?? INDEX_PAGE));

  root.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  root.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.json({ error: { code: error.code, message: error.message } }, error.status, error.headers);
    }
    // Anything else is our bug, never the client's input: log it without the request's data.
    logger.log('error', 'unhandled error', { route: c.req.routePath, error: error.name, message: error.message });
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });

  return {
    app: root,
    config,
    committer,
    metrics,
    keys,
    privacy: privacyModule,
    drain: async () => {
      await committer.flush();
      await segments?.flush();
    },
    segments,
  };
}

const INDEX_PAGE = `<!doctype html><meta charset="utf-8"><title>Loupe collector</title>
<h1>Loupe collector</h1><p>Ingest at <code>POST /v1/batch</code>; tracker at <a href="/loupe.js">/loupe.js</a>; <a href="/healthz">health</a>, <a href="/metrics">metrics</a>.</p>`;
