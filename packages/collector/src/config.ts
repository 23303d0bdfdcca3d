/** Collector settings; every field has a default, and `fromEnv` reads `LOUPE_*` variables. */
export interface CollectorConfig {
  /** Bearer token for /v1/admin and /dashboard; admin routes answer 401 while it is unset. */
  adminToken: string | null;
  /** Requests per second allowed per write key and per client IP (0 turns a limit off). */
  rateLimitPerKey: number;
  rateLimitPerIp: number;
  /** Group commit: the longest an event waits for company, and the most rows in one transaction. */
  commitDelayMs: number;
  commitMaxRows: number;
  /** Pending rows past which ingest answers 503 with Retry-After instead of growing memory. */
  maxBacklogRows: number;
  /** Take the client IP from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** Mount every route under this prefix, e.g. `/t` when proxied as `shop.example/t/*`. */
  basePath: string;
  quarantineDays: number;
  /** Where the tracker's `loupe.js` is read from; null resolves it from @loupe/tracker. */
  trackerBundlePath: string | null;
}

export const DEFAULT_CONFIG: CollectorConfig = {
  adminToken: null,
  rateLimitPerKey: 20_000,
  rateLimitPerIp: 10_000,
  commitDelayMs: 2,
  commitMaxRows: 2_000,
  maxBacklogRows: 100_000,
  trustProxy: false,
  basePath: '',
  quarantineDays: 7,
  trackerBundlePath: null,
};

function number(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`expected a non-negative number, got "${value}"`);
  return n;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<CollectorConfig> {
  return {
    adminToken: env.LOUPE_ADMIN_TOKEN || null,
    rateLimitPerKey: number(env.LOUPE_RATE_LIMIT_PER_KEY, DEFAULT_CONFIG.rateLimitPerKey),
    rateLimitPerIp: number(env.LOUPE_RATE_LIMIT_PER_IP, DEFAULT_CONFIG.rateLimitPerIp),
    commitDelayMs: number(env.LOUPE_COMMIT_DELAY_MS, DEFAULT_CONFIG.commitDelayMs),
    commitMaxRows: number(env.LOUPE_COMMIT_MAX_ROWS, DEFAULT_CONFIG.commitMaxRows),
    maxBacklogRows: number(env.LOUPE_MAX_BACKLOG_ROWS, DEFAULT_CONFIG.maxBacklogRows),
    trustProxy: env.LOUPE_TRUST_PROXY === '1' || env.LOUPE_TRUST_PROXY === 'true',
    basePath: (env.LOUPE_BASE_PATH ?? '').replace(/\/+$/, ''),
    quarantineDays: number(env.LOUPE_QUARANTINE_DAYS, DEFAULT_CONFIG.quarantineDays),
    trackerBundlePath: env.LOUPE_TRACKER_BUNDLE || null,
  };
}

/** The SQLite store's ingest-log settings from `LOUPE_*` variables (see storage/sqlite/ingest-log.js). */
export function sqliteOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  indexerNice?: number;
  maxPendingRows?: number;
  indexerThread?: boolean;
} {
  return {
    // `off`: no indexer thread; whatever reads events (a segment run, an export, SIGTERM) indexes first.
    ...(env.LOUPE_INDEXER_THREAD === 'off' ? { indexerThread: false } : {}),
    ...(env.LOUPE_INDEXER_NICE ? { indexerNice: number(env.LOUPE_INDEXER_NICE, 10) } : {}),
    ...(env.LOUPE_MAX_UNINDEXED_ROWS ? { maxPendingRows: number(env.LOUPE_MAX_UNINDEXED_ROWS, 1_000_000) } : {}),
  };
}
