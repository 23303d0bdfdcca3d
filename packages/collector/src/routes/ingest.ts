import { EVENT_TYPES, type EventType, LIMITS, type SegmentRef } from '@loupe/schema';
import { type Context, Hono } from 'hono';
import type { CollectorConfig } from '../config.js';
import { BacklogFullError, HttpError, StorageError } from '../errors.js';
import { corsHeaders } from '../middleware/cors.js';
import { basicAuthKey, clientIp } from '../middleware/client.js';
import { readBodyText } from '../middleware/read-body.js';
import type { IngestResult, IngestService } from '../services/ingest.js';
import { type KeyResolver, originAllowed } from '../services/key-resolver.js';
import type { Metrics } from '../services/metrics.js';
import { scanBody } from '../services/body-scan.js';
import type { RateLimiter } from '../services/rate-limit.js';
import type { StoredEvent, WriteKey } from '../storage/types.js';

export interface IngestRouteDeps {
  config: CollectorConfig;
  keys: KeyResolver;
  ingest: IngestService;
  metrics: Metrics;
  keyLimiter: RateLimiter;
  ipLimiter: RateLimiter;
  /** Runs after a commit; its answer rides on the response so the page learns its segment. */
  afterCommit?: (
    key: WriteKey,
    stored: readonly StoredEvent[],
    ids: { anonymousId: string | null; userId: string | null },
  ) => Promise<SegmentRef | null | undefined> | SegmentRef | null | undefined;
}

/**
 * `v1`: the Segment-compatible routes, mounted at `/v1`. `beacon`: RudderStack's JavaScript SDK
 * sends batches with `navigator.sendBeacon` (opt-in) to `/beacon/v1/batch?writeKey=…`.
 */
export function ingestRoutes(deps: IngestRouteDeps): { v1: Hono; beacon: Hono } {
  const routes = new Hono();
  async function bodyText(c: Context): Promise<string> {
    const text = await readBodyText(c, LIMITS.maxRequestBytes);
    if (typeof text === 'string') return text;
    deps.metrics.countEvents(text.status === 413 ? 'request_too_large' : 'bad_request');
    throw new HttpError(text.status, text.code, text.message, corsHeaders(c.req.header('origin')));
  }

  const batch = async (c: Context) => {
    const text = await bodyText(c);
    const body = parseJson(text, c);
    if (!isRecord(body) || !Array.isArray(body.batch)) {
      deps.metrics.countEvents('bad_request');
      throw new HttpError(
        400,
        'no_batch',
        'body must be a JSON object with a "batch" array',
        corsHeaders(c.req.header('origin')),
      );
    }
    if (body.batch.length > LIMITS.maxBatchEvents) {
      deps.metrics.countEvents('request_too_large', body.batch.length);
      throw new HttpError(
        413,
        'batch_too_large',
        `a batch holds at most ${LIMITS.maxBatchEvents} events`,
        corsHeaders(c.req.header('origin')),
      );
    }
    return handle(c, body, body.batch, text, isRecord(body.context) ? body.context : undefined);
  };
  routes.post('/batch', batch);
  // The same batch under the path Segment's Ruby and Java libraries post to.
  routes.post('/import', batch);

  /** One event, of the route's type: its `writeKey` is the request's, not part of the event. */
  const single = (type: EventType) => async (c: Context) => {
    const text = await bodyText(c);
    const body = parseJson(text, c);
    if (!isRecord(body)) {
      deps.metrics.countEvents('bad_request');
      throw new HttpError(400, 'not_an_event', 'body must be a JSON object', corsHeaders(c.req.header('origin')));
    }
    const { writeKey: _key, ...fields } = body;
    const event: Record<string, unknown> = { ...fields, type: fields.type ?? type };
    if (event.type !== type) {
      deps.metrics.countEvents('bad_request');
      throw new HttpError(
        400,
        'type_mismatch',
        `event type "${String(event.type)}" sent to /v1/${type}`,
        corsHeaders(c.req.header('origin')),
      );
    }
    return handle(c, body, [event], text, undefined);
  };
  for (const type of EVENT_TYPES) {
    const handler = single(type);
    routes.post(`/${type}`, handler);
    // Segment's analytics.js posts each event to the type's first letter: /v1/t, /v1/p, /v1/s, /v1/i, /v1/a, /v1/g.
    routes.post(`/${type[0]}`, handler);
  }
  // ... and, batching, to /v1/b.
  routes.post('/b', batch);
  const beacon = new Hono();
  beacon.post('/batch', batch);

  /** `envelopeContext` is the batch's own `context`, merged under each event's (a single-event body's `context` is the event's). */
  async function handle(
    c: Context,
    body: Record<string, unknown>,
    events: unknown[],
    text: string,
    envelopeContext: Record<string, unknown> | undefined,
  ) {
    const origin = c.req.header('origin');
    const cors = corsHeaders(origin);
    const keyId =
      basicAuthKey(c.req.header('authorization')) ??
      (typeof body.writeKey === 'string' ? body.writeKey : null) ??
      (c.req.query('writeKey') || null);
    if (!keyId) {
      deps.metrics.countEvents('unauthorized', events.length);
      throw new HttpError(
        401,
        'missing_write_key',
        'send the write key as Basic auth (key as user name) or as "writeKey" in the body',
        cors,
      );
    }
    const key = await deps.keys.get(keyId);
    if (!key) {
      deps.metrics.countEvents('unauthorized', events.length);
      throw new HttpError(401, 'unknown_write_key', 'unknown write key', cors);
    }
    if (!originAllowed(key, origin)) {
      deps.metrics.countEvents('forbidden_origin', events.length);
      throw new HttpError(403, 'origin_not_allowed', `origin ${origin} is not allowed for this write key`);
    }
    const ip = clientIp(c, deps.config.trustProxy);
    const wait = Math.max(deps.keyLimiter.take(key.key), ip ? deps.ipLimiter.take(ip) : 0);
    if (wait > 0) {
      deps.metrics.countEvents('rate_limited', events.length);
      throw new HttpError(429, 'rate_limited', 'too many requests; retry after the given seconds', {
        ...cors,
        'Retry-After': String(wait),
      });
    }

    const scan = scanBody(text);
    let result: IngestResult;
    try {
      result = await deps.ingest.ingest({
        key,
        events,
        sentAt: typeof body.sentAt === 'string' ? body.sentAt : undefined,
        context: envelopeContext,
        ip,
        userAgent: c.req.header('user-agent') ?? null,
        deepCheck: scan.deepCheck,
        ...(scan.sizeBounded ? { bodyBytes: Buffer.byteLength(text) } : {}),
      });
    } catch (error) {
      if (error instanceof BacklogFullError) {
        throw new HttpError(
          503,
          'backlog_full',
          'the collector is catching up; retry shortly',
          { ...cors, 'Retry-After': '1' },
          { cause: error },
        );
      }
      if (error instanceof StorageError) {
        throw new HttpError(
          503,
          'storage_unavailable',
          'events could not be committed; retry',
          { ...cors, 'Retry-After': '1' },
          { cause: error },
        );
      }
      throw error;
    }

    const last = result.stored[result.stored.length - 1];
    const segment =
      last && deps.afterCommit
        ? await deps.afterCommit(key, result.stored, { anonymousId: last.anonymousId, userId: last.userId })
        : undefined;
    return c.json(
      {
        accepted: result.accepted,
        duplicates: result.duplicates,
        rejected: result.rejected,
        ...(segment !== undefined ? { segment } : {}),
      },
      200,
      cors,
    );
  }

  function parseJson(text: string, c: Context): unknown {
    try {
      return JSON.parse(text);
    } catch {
      deps.metrics.countEvents('bad_request');
      throw new HttpError(400, 'invalid_json', 'body is not valid JSON', corsHeaders(c.req.header('origin')));
    }
  }

  return { v1: routes, beacon };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
