import { LIMITS } from '@loupe/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicAuth,
  countEvents,
  eventsByOutcome,
  type IngestAnswer,
  newMessageId,
  rawPost,
  rowsFor,
  SHOP,
  startTestCollector,
  type TestCollector,
  trackEvent,
} from './harness.js';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c?.close();
});

/** POST without Content-Length (Transfer-Encoding: chunked), the body in chunks of `size` bytes. */
function postChunked(url: string, text: string, size: number): Promise<Response> {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
      controller.close();
    },
  });
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth(c.key.key) },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('write key', () => {
  it('accepts the key as Basic auth, as Segment libraries send it', async () => {
    const event = trackEvent();
    const res = await c.post('/v1/batch', { batch: [event] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(1);
  });

  it('accepts the key in the body', async () => {
    const event = trackEvent();
    const res = await c.post('/v1/batch', { writeKey: c.key.key, batch: [event] }, { auth: null });
    expect(res.status).toBe(200);
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(1);
  });

  it('accepts a text/plain body with the key inside, as navigator.sendBeacon sends it', async () => {
    const event = trackEvent();
    const res = await c.post('/v1/batch', JSON.stringify({ writeKey: c.key.key, batch: [event] }), {
      auth: null,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: SHOP },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(1);
  });

  it('answers 401 for an unknown key and stores nothing', async () => {
    const event = trackEvent();
    const res = await c.post('/v1/batch', { batch: [event] }, { auth: 'wk_unknown' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unknown_write_key');
    const inBody = await c.post('/v1/batch', { writeKey: 'wk_unknown', batch: [event] }, { auth: null });
    expect(inBody.status).toBe(401);
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(0);
  });

  it('answers 401 when no key is sent', async () => {
    const res = await c.post('/v1/batch', { batch: [trackEvent()] }, { auth: null });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('missing_write_key');
  });

  it('answers 401 for a malformed Authorization header without a key in the body', async () => {
    for (const authorization of ['Basic', 'Basic !!!', 'Bearer wk_x', `Basic ${Buffer.from(':').toString('base64')}`]) {
      const res = await c.post(
        '/v1/batch',
        { batch: [trackEvent()] },
        { auth: null, headers: { Authorization: authorization } },
      );
      expect(res.status, authorization).toBe(401);
    }
  });
});

describe('CORS', () => {
  it('answers the preflight of an allowed origin', async () => {
    const res = await fetch(`${c.url}/v1/batch`, {
      method: 'OPTIONS',
      headers: {
        Origin: SHOP,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('refuses the preflight of an origin no key allows', async () => {
    const res = await fetch(`${c.url}/v1/batch`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 403 to a request from an origin its key does not allow, and stores nothing', async () => {
    const event = trackEvent();
    const res = await c.post('/v1/batch', { batch: [event] }, { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(0);
  });

  it('puts Access-Control-Allow-Origin on answers to an allowed origin, errors included', async () => {
    const ok = await c.post('/v1/batch', { batch: [trackEvent()] }, { headers: { Origin: SHOP } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    const bad = await c.post('/v1/batch', '{not json', { headers: { Origin: SHOP } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe(SHOP);
  });

  it('lets a key with * be used from any origin', async () => {
    const any = await c.createKey({ origins: ['*'] });
    const res = await c.post(
      '/v1/batch',
      { batch: [trackEvent()] },
      { auth: any.key, headers: { Origin: 'https://anywhere.example' } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
  });
});

describe('limits', () => {
  it('rejects an event over 32 KB and keeps its siblings', async () => {
    const before = trackEvent();
    const huge = trackEvent({ properties: { blob: 'x'.repeat(LIMITS.maxEventBytes) } });
    const after = trackEvent();
    const res = await c.post('/v1/batch', { batch: [before, huge, after] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as IngestAnswer;
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([expect.objectContaining({ index: 1 })]);
    expect(
      rowsFor(c.db, [before.messageId, huge.messageId, after.messageId] as string[]).map((r) => r.message_id),
    ).toEqual([before.messageId, after.messageId]);
  });

  it('measures the 32 KB in UTF-8 bytes, not characters', async () => {
    // 11,000 three-byte characters: 33 KB in UTF-8, 11 K in UTF-16 code units.
    const event = trackEvent({ properties: { text: '€'.repeat(11_000) } });
    const body = (await (await c.post('/v1/batch', { batch: [event] })).json()) as IngestAnswer;
    expect(body.accepted).toBe(0);
    expect(body.rejected).toHaveLength(1);
  });

  it('rejects an event that passes 32 KB only once its exponent numbers are written out, though the body is smaller', async () => {
    const messageId = newMessageId('expo');
    // 6,000 × "9e20" is 24 KB as sent and 126 KB as stored (900000000000000000000).
    const text = `{"batch":[{"type":"track","event":"E","userId":"u","messageId":"${messageId}","properties":{"n":[${Array(6000).fill('9e20').join(',')}]}}]}`;
    expect(text.length).toBeLessThan(LIMITS.maxEventBytes);
    const body = (await (await c.post('/v1/batch', text)).json()) as IngestAnswer;
    expect(body.accepted).toBe(0);
    expect(body.rejected[0]?.message).toMatch(/larger than/);
    expect(rowsFor(c.db, [messageId])).toHaveLength(0);
  });

  it('rejects a single-event body just under 32 KB that passes the limit once the route adds its type', async () => {
    const messageId = newMessageId('edge');
    const base = JSON.stringify({ messageId, userId: 'u', traits: { pad: '' } });
    const padded = JSON.stringify({
      messageId,
      userId: 'u',
      traits: { pad: 'p'.repeat(LIMITS.maxEventBytes - base.length - 2) },
    });
    expect(Buffer.byteLength(padded)).toBe(LIMITS.maxEventBytes - 2);
    const body = (await (await c.post('/v1/identify', padded)).json()) as IngestAnswer;
    expect(body.accepted).toBe(0);
    expect(rowsFor(c.db, [messageId])).toHaveLength(0);
  });

  it('answers 413 to a request over 500 KB, announced by Content-Length', async () => {
    const events = Array.from({ length: 20 }, () => trackEvent({ properties: { blob: 'y'.repeat(26_000) } }));
    const body = Buffer.from(JSON.stringify({ batch: events }));
    expect(body.length).toBeGreaterThan(LIMITS.maxRequestBytes);
    const res = await rawPost(`${c.url}/v1/batch`, body, {
      'Content-Type': 'application/json',
      Authorization: basicAuth(c.key.key),
    });
    expect(res.status).toBe(413);
    expect(
      rowsFor(
        c.db,
        events.map((e) => e.messageId as string),
      ),
    ).toHaveLength(0);
  });

  it('answers 413 to a chunked request over 500 KB', async () => {
    const events = Array.from({ length: 20 }, () => trackEvent({ properties: { blob: 'z'.repeat(26_000) } }));
    const res = await postChunked(`${c.url}/v1/batch`, JSON.stringify({ batch: events }), 64 * 1024);
    expect(res.status).toBe(413);
    expect(
      rowsFor(
        c.db,
        events.map((e) => e.messageId as string),
      ),
    ).toHaveLength(0);
  });

  it('stores a chunked request under the limit, and a body that starts with a UTF-8 byte-order mark', async () => {
    const chunked = trackEvent({ properties: { note: 'é'.repeat(12_000) } });
    // Split inside a two-byte character: the text is decoded once, from all the bytes.
    const res = await postChunked(`${c.url}/v1/batch`, JSON.stringify({ batch: [chunked] }), 4_097);
    expect(res.status).toBe(200);
    const [row] = rowsFor(c.db, [chunked.messageId as string]);
    expect(JSON.parse(row!.payload).properties.note).toBe('é'.repeat(12_000));

    const bom = trackEvent();
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ batch: [bom] }))]);
    const answer = await rawPost(`${c.url}/v1/batch`, withBom, {
      'Content-Type': 'text/plain',
      Authorization: basicAuth(c.key.key),
    });
    expect(answer.status).toBe(200);
    expect(rowsFor(c.db, [bom.messageId as string])).toHaveLength(1);
  });

  it('answers 413 to a batch of more than 2,500 events', async () => {
    const events = Array.from({ length: LIMITS.maxBatchEvents + 1 }, (_, i) => ({
      type: 'track',
      event: 'e',
      userId: 'u',
      messageId: `big-${process.pid}-${i}`,
    }));
    const res = await c.post('/v1/batch', { batch: events });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('batch_too_large');
    expect(rowsFor(c.db, [`big-${process.pid}-0`])).toHaveLength(0);
  });

  it('accepts a batch of exactly 2,500 events', async () => {
    const events = Array.from({ length: LIMITS.maxBatchEvents }, () => ({
      type: 'track',
      event: 'e',
      userId: 'u',
      messageId: newMessageId('full'),
    }));
    const body = (await (await c.post('/v1/batch', { batch: events })).json()) as IngestAnswer;
    expect(body.accepted).toBe(LIMITS.maxBatchEvents);
  });

  it('rejects a messageId over 100 characters and accepts one of exactly 100', async () => {
    const long = trackEvent({ messageId: 'L'.repeat(LIMITS.maxMessageIdLength + 1) });
    const exact = trackEvent({ messageId: `${newMessageId('x')}`.padEnd(LIMITS.maxMessageIdLength, 'x') });
    const body = (await (await c.post('/v1/batch', { batch: [long, exact] })).json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([expect.objectContaining({ index: 0, path: 'messageId' })]);
    expect(rowsFor(c.db, [exact.messageId as string])).toHaveLength(1);
  });
});

describe('exactly once', () => {
  it('answers a retry with duplicates and stores nothing new', async () => {
    const events = [trackEvent(), trackEvent(), trackEvent()];
    const first = (await (await c.post('/v1/batch', { batch: events })).json()) as IngestAnswer;
    expect(first).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const count = countEvents(c.db);
    const retry = (await (await c.post('/v1/batch', { batch: events })).json()) as IngestAnswer;
    expect(retry).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(countEvents(c.db)).toBe(count);
    const partial = (await (await c.post('/v1/batch', { batch: [...events, trackEvent()] })).json()) as IngestAnswer;
    expect(partial).toEqual({ accepted: 1, duplicates: 3, rejected: [] });
  });

  it('stores a messageId repeated inside one batch once', async () => {
    const event = trackEvent();
    const body = (await (
      await c.post('/v1/batch', { batch: [event, { ...event, event: 'Other' }] })
    ).json()) as IngestAnswer;
    expect(body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(1);
  });

  it('keeps the same messageId from two write keys apart', async () => {
    const other = await c.createKey({ origins: [SHOP] });
    const event = trackEvent();
    await c.post('/v1/batch', { batch: [event] });
    const body = (await (await c.post('/v1/batch', { batch: [event] }, { auth: other.key })).json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(2);
  });

  it('stores each event once when the same batch is sent concurrently', async () => {
    const events = Array.from({ length: 20 }, () => trackEvent());
    const answers = await Promise.all(
      Array.from(
        { length: 8 },
        async () => (await (await c.post('/v1/batch', { batch: events })).json()) as IngestAnswer,
      ),
    );
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(20);
    expect(answers.reduce((n, a) => n + a.duplicates, 0)).toBe(20 * 7);
    expect(
      rowsFor(
        c.db,
        events.map((e) => e.messageId as string),
      ),
    ).toHaveLength(20);
  });
});

describe('single-event routes', () => {
  it('stores an event posted to /v1/track, /v1/page, /v1/screen, /v1/identify, /v1/alias and /v1/group', async () => {
    const bodies: Record<string, Record<string, unknown>> = {
      track: { event: 'Signed Up', userId: 'u-single', properties: { plan: 'pro' } },
      page: { name: 'Home', anonymousId: 'a-single' },
      screen: { name: 'Cart', anonymousId: 'a-single' },
      identify: { userId: 'u-single', anonymousId: 'a-single', traits: { plan: 'pro' } },
      alias: { userId: 'u-single', previousId: 'a-old' },
      group: { userId: 'u-single', groupId: 'acme' },
    };
    for (const [type, fields] of Object.entries(bodies)) {
      const messageId = newMessageId(type);
      const res = await c.post(`/v1/${type}`, { ...fields, messageId });
      expect(res.status, type).toBe(200);
      const [row] = rowsFor(c.db, [messageId]);
      expect(row?.type).toBe(type);
    }
  });

  it('answers 400 when the body names another type than the route', async () => {
    const res = await c.post('/v1/track', { type: 'page', messageId: newMessageId(), userId: 'u' });
    expect(res.status).toBe(400);
  });
});

describe('enrichment', () => {
  it('truncates context.ip to /24 and never stores the whole address', async () => {
    const event = trackEvent({ context: { ip: '203.0.113.77' } });
    await c.post('/v1/batch', { batch: [event] });
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(row?.ip).toBe('203.0.113.0');
    expect(JSON.parse(row?.payload ?? '{}').context.ip).toBe('203.0.113.0');
    expect(JSON.stringify(row)).not.toContain('203.0.113.77');
  });

  it('truncates an IPv6 context.ip to /48', async () => {
    const event = trackEvent({ context: { ip: '2001:db8:85a3:8d3:1319:8a2e:370:7348' } });
    await c.post('/v1/batch', { batch: [event] });
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(row?.ip).toBe('2001:db8:85a3::');
    expect(row?.payload).not.toContain('7348');
  });

  it('takes the socket address, truncated, when the event carries no IP', async () => {
    const event = trackEvent();
    await c.post('/v1/batch', { batch: [event] });
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(row?.ip).toBe('127.0.0.0');
    expect(JSON.parse(row?.payload ?? '{}').context.ip).toBe('127.0.0.0');
  });

  it('drops a context.ip that is not an address rather than store it', async () => {
    const event = trackEvent({ context: { ip: 'not-an-ip 203.0.113.77' } });
    await c.post('/v1/batch', { batch: [event] });
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(row?.payload).not.toContain('203.0.113.77');
  });

  it('merges the batch envelope context under each event, a batch of one included', async () => {
    const event = trackEvent({ context: { locale: 'de-DE' } });
    await c.post('/v1/batch', {
      batch: [event],
      context: { library: { name: 'envelope-lib', version: '1.0.0' }, locale: 'en-US' },
    });
    const payload = JSON.parse(rowsFor(c.db, [event.messageId as string])[0]?.payload ?? '{}');
    expect(payload.context.library).toEqual({ name: 'envelope-lib', version: '1.0.0' });
    expect(payload.context.locale).toBe('de-DE');
  });

  it('flags bots by user agent', async () => {
    const bot = trackEvent();
    const human = trackEvent();
    await c.post('/v1/batch', { batch: [bot] }, { headers: { 'User-Agent': 'curl/8.5.0' } });
    await c.post(
      '/v1/batch',
      { batch: [human] },
      { headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0' } },
    );
    const fromContext = trackEvent({
      context: { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    });
    await c.post('/v1/batch', { batch: [fromContext] });
    const flags = Object.fromEntries(
      rowsFor(
        c.db,
        [bot, human, fromContext].map((e) => e.messageId as string),
      ).map((r) => [r.message_id, r.is_bot]),
    );
    expect(flags).toEqual({
      [bot.messageId as string]: 1,
      [human.messageId as string]: 0,
      [fromContext.messageId as string]: 1,
    });
  });

  it('drops events without analytics consent for a key that requires it, without quarantining them', async () => {
    const strict = await c.createKey({ origins: [SHOP], requireConsent: true });
    const consented = trackEvent({ context: { consent: { categories: { analytics: true } } } });
    const denied = trackEvent({ context: { consent: { categories: { analytics: false } } } });
    const silent = trackEvent();
    const quarantined = (c.db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
    const body = (await (
      await c.post('/v1/batch', { batch: [consented, denied, silent] }, { auth: strict.key })
    ).json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(
      rowsFor(
        c.db,
        [consented, denied, silent].map((e) => e.messageId as string),
      ),
    ).toHaveLength(1);
    expect((c.db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n).toBe(quarantined);
  });
});

describe('quarantine', () => {
  it('keeps each rejected event with its reason, as sent', async () => {
    const good = trackEvent();
    const noId = { type: 'track', event: 'Lost', messageId: newMessageId('q') };
    const res = await c.post('/v1/batch', { batch: [good, noId, 'not an event'] });
    const body = (await res.json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2]);
    const rows = c.db
      .prepare('SELECT reason, path, raw, write_key FROM quarantine WHERE raw LIKE ? OR raw = \'"not an event"\'')
      .all(`%${noId.messageId}%`) as {
      reason: string;
      path: string;
      raw: string;
      write_key: string;
    }[];
    expect(rows).toHaveLength(2);
    const byRaw = rows.find((r) => r.raw.includes(noId.messageId));
    expect(JSON.parse(byRaw?.raw ?? 'null')).toEqual(noId);
    expect(byRaw?.reason).toMatch(/^invalid: /);
    expect(byRaw?.path).toBe('anonymousId');
    expect(byRaw?.write_key).toBe(c.key.key);
  });

  it('keeps a truncated IP in quarantine, never the whole one', async () => {
    const bad = { type: 'track', messageId: newMessageId('qip'), anonymousId: 'a', context: { ip: '198.51.100.23' } };
    await c.post('/v1/batch', { batch: [bad] });
    const row = c.db.prepare('SELECT raw FROM quarantine WHERE raw LIKE ?').get(`%${bad.messageId}%`) as {
      raw: string;
    };
    expect(row.raw).toContain('198.51.100.0');
    expect(row.raw).not.toContain('198.51.100.23');
  });
});

describe('timestamps', () => {
  it('corrects client clock skew from sentAt and keeps the original timestamp', async () => {
    const skewMs = 3_600_000; // the client's clock runs an hour fast
    const clientNow = Date.now() + skewMs;
    const original = new Date(clientNow - 5_000).toISOString();
    const event = trackEvent({ timestamp: original });
    const sentBefore = Date.now();
    await c.post('/v1/batch', { batch: [event], sentAt: new Date(clientNow).toISOString() });
    const sentAfter = Date.now();
    const [row] = rowsFor(c.db, [event.messageId as string]);
    const payload = JSON.parse(row?.payload ?? '{}');
    expect(payload.originalTimestamp).toBe(original);
    const receivedAt = Date.parse(row?.received_at ?? '');
    expect(receivedAt).toBeGreaterThanOrEqual(sentBefore);
    expect(receivedAt).toBeLessThanOrEqual(sentAfter);
    // timestamp = receivedAt - (sentAt - original): exactly the 5 s the client measured.
    expect(receivedAt - Date.parse(row?.ts ?? '')).toBe(5_000);
    expect(payload.timestamp).toBe(row?.ts);
  });

  it('corrects an originalTimestamp the same way when no timestamp is sent, as RudderStack’s SDKs send it', async () => {
    const clientNow = Date.now() - 7 * 60_000; // this client's clock runs 7 minutes slow
    const original = new Date(clientNow - 90_000).toISOString(); // queued offline for 90 s
    const event = trackEvent({ originalTimestamp: original });
    delete event.timestamp;
    await c.post('/v1/batch', { batch: [event], sentAt: new Date(clientNow).toISOString() });
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(Date.parse(row?.received_at ?? '') - Date.parse(row?.ts ?? '')).toBe(90_000);
    expect(JSON.parse(row?.payload ?? '{}').originalTimestamp).toBe(original);
  });

  it('uses the receipt time for an event without a timestamp', async () => {
    const event = trackEvent();
    delete event.timestamp;
    await c.post('/v1/batch', { batch: [event] });
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(row?.ts).toBe(row?.received_at);
  });

  it('stores a sane timestamp for absurd timestamp and sentAt pairs', async () => {
    const event = trackEvent({ timestamp: '0001-01-01T00:00:00.000Z', sentAt: '+275760-09-13T00:00:00.000Z' });
    const res = await c.post('/v1/batch', { batch: [event] });
    expect(res.status).toBe(200);
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(row?.ts).toBe(row?.received_at);
  });

  it('ignores an envelope sentAt that is not a date instead of copying it into every event', async () => {
    const events = Array.from({ length: 50 }, () => trackEvent());
    const res = await c.post('/v1/batch', { batch: events, sentAt: 's'.repeat(100_000) });
    expect(res.status).toBe(200);
    const rows = rowsFor(
      c.db,
      events.map((e) => e.messageId as string),
    );
    expect(rows).toHaveLength(50);
    for (const row of rows) expect(row.payload.length).toBeLessThan(1_000);
  });
});

describe('/metrics', () => {
  it('counts every event that was not stored, by reason', async () => {
    const before = await eventsByOutcome(c.url);
    const dup = trackEvent();
    await c.post('/v1/batch', { batch: [dup] });
    await c.post('/v1/batch', {
      batch: [dup, { type: 'track' }, trackEvent({ properties: { blob: 'x'.repeat(LIMITS.maxEventBytes) } })],
    });
    await c.post('/v1/batch', { batch: [trackEvent(), trackEvent()] }, { auth: 'wk_nope' });
    await c.post('/v1/batch', { batch: [trackEvent()] }, { headers: { Origin: 'https://evil.example' } });
    await c.post('/v1/batch', 'not json');
    const after = await eventsByOutcome(c.url);
    const delta = (outcome: string) => (after[outcome] ?? 0) - (before[outcome] ?? 0);
    expect(delta('accepted')).toBe(1);
    expect(delta('duplicate')).toBe(1);
    expect(delta('invalid')).toBe(1);
    expect(delta('too_large')).toBe(1);
    expect(delta('unauthorized')).toBe(2);
    expect(delta('forbidden_origin')).toBe(1);
    expect(delta('bad_request')).toBe(1);
  });

  it('serves Prometheus text with the backlog gauge and request latencies', async () => {
    const res = await fetch(`${c.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^loupe_write_backlog_rows \d+$/m);
    expect(text).toMatch(/^loupe_http_request_duration_seconds_count\{route="\/v1\/batch"\} \d+$/m);
    expect(text).toMatch(/^loupe_commit_rows_count \d+$/m);
  });
});

describe('operations', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${c.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answered no request with a 5xx', () => {
    expect(c.errors).toEqual([]);
  });
});
