import { Hono } from 'hono';
import { HttpError } from '../errors.js';
import { clientIp } from '../middleware/client.js';
import { corsHeaders } from '../middleware/cors.js';
import { authenticateWriteKey, jsonBody, smallBody, takeOrRefuse } from '../middleware/write-key-auth.js';
import { consentRecordInput } from '../services/consent-input.js';
import type { ConsentRecordService } from '../services/consent-records.js';
import type { KeyResolver } from '../services/key-resolver.js';
import { hasGpcHeader } from '../services/privacy-signals.js';
import type { RateLimiter } from '../services/rate-limit.js';

export interface ConsentRouteDeps {
  keys: KeyResolver;
  records: ConsentRecordService;
  limiter: RateLimiter;
  trustProxy: boolean;
}

/** A consent record is a few hundred bytes; 16 KB leaves room for signals and nothing else. */
const MAX_BODY = 16 * 1024;

/** `POST /v1/consent`: one record per decision or withdrawal, appended to the hash chain. */
export function consentRoutes({ keys, records, limiter, trustProxy }: ConsentRouteDeps): Hono {
  const routes = new Hono();
  routes.post('/consent', smallBody(MAX_BODY, 'a consent record'), async (c) => {
    const cors = corsHeaders(c.req.header('origin'));
    const body = await jsonBody(c);
    const key = await authenticateWriteKey(c, body.writeKey, keys);
    const ip = clientIp(c, trustProxy);
    takeOrRefuse(limiter, ip ?? key.key, cors, 'too many consent records');
    const parsed = consentRecordInput.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(
        400,
        'invalid_consent_record',
        `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
        cors,
      );
    }
    const record = await records.append(parsed.data, {
      writeKey: key.key,
      ip,
      gpc: hasGpcHeader(c.req.header('sec-gpc')),
    });
    return c.json(
      { id: record.id, seq: record.seq, hash: record.hash, duplicate: record.duplicate, effective: record.effective },
      record.duplicate ? 200 : 201,
      cors,
    );
  });
  return routes;
}
