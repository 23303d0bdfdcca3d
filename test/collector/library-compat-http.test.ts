import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { LIMITS } from '@loupe/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicAuth,
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

// What Segment's and RudderStack's other libraries send beside analytics-node's plain JSON to
// /v1/batch. Segment's Java library and RudderStack's Node SDK gzip every batch by default, Segment's
// Python library does when asked: a collector that reads such a body as UTF-8 answers 400 to all of
// them. Segment's Java and Ruby libraries post to /v1/import.

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c?.close();
});

function postEncoded(body: Buffer, encoding: string, path = '/v1/batch', headers: Record<string, string> = {}) {
  return rawPost(`${c.url}${path}`, body, {
    'Content-Type': 'application/json',
    'Content-Encoding': encoding,
    Authorization: basicAuth(c.key.key),
    ...headers,
  });
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const storedOf = (events: readonly Record<string, unknown>[]) =>
  rowsFor(
    c.db,
    events.map((e) => e.messageId as string),
  );

/** `value` as JSON of exactly `bytes` bytes (ASCII), padded with whitespace before its last brace. */
function padded(value: object, bytes: number): Buffer {
  const text = JSON.stringify(value);
  return Buffer.from(`${text.slice(0, -1)}${' '.repeat(bytes - text.length)}}`);
}

describe('compressed request bodies', () => {
  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['GZIP', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync], // raw deflate under HTTP's name, as some clients send it
    ['br', brotliCompressSync],
    ['identity, gzip', gzipSync],
  ])('stores a batch sent as Content-Encoding: %s, text and numbers as sent', async (encoding, compress) => {
    const events = [
      trackEvent({ properties: { note: 'café ☕ 日本', price: 19.9, qty: 3 } }),
      trackEvent({ event: 'Order Completed', properties: { revenue: 42.5 } }),
    ];
    const res = await postEncoded(compress(json({ batch: events })), encoding);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    const rows = storedOf(events);
    expect(rows.map((r) => r.name)).toEqual(['Product Viewed', 'Order Completed']);
    expect(JSON.parse(rows[0]!.payload).properties).toEqual({ note: 'café ☕ 日本', price: 19.9, qty: 3 });
  });

  it('stores a gzipped single event posted to /v1/track', async () => {
    const { type: _type, ...event } = trackEvent({ event: 'Signed Up' });
    const res = await postEncoded(gzipSync(json(event)), 'gzip', '/v1/track');
    expect(res.status).toBe(200);
    expect(rowsFor(c.db, [event.messageId as string])[0]?.name).toBe('Signed Up');
  });

  it('validates each event of a gzipped batch on its own: the good ones are kept beside a bad one', async () => {
    const good = [trackEvent(), trackEvent()];
    const batch = [good[0], { type: 'track', messageId: 'no-event-name', anonymousId: 'a' }, good[1]];
    const res = await postEncoded(gzipSync(json({ batch })), 'gzip');
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.body) as IngestAnswer;
    expect(answer.accepted).toBe(2);
    expect(answer.rejected.map((r) => r.index)).toEqual([1]);
    expect(storedOf(good)).toHaveLength(2);
  });

  it('answers a gzipped retry with duplicates, as a plain one', async () => {
    const events = [trackEvent(), trackEvent()];
    const body = gzipSync(json({ batch: events }));
    expect(JSON.parse((await postEncoded(body, 'gzip')).body)).toMatchObject({ accepted: 2 });
    expect(JSON.parse((await postEncoded(body, 'gzip')).body)).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(storedOf(events)).toHaveLength(2);
  });

  it('takes the write key from inside a gzipped text/plain body', async () => {
    const event = trackEvent();
    const res = await rawPost(`${c.url}/v1/batch`, gzipSync(json({ writeKey: c.key.key, batch: [event] })), {
      'Content-Type': 'text/plain',
      'Content-Encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(1);
  });

  it('accepts a body of exactly 500 KB once decompressed, sent as a few KB, and refuses one byte more', async () => {
    const events = Array.from({ length: 24 }, () => trackEvent({ properties: { filler: 'a'.repeat(20_000) } }));
    const atLimit = gzipSync(padded({ batch: events }, LIMITS.maxRequestBytes));
    expect(atLimit.length).toBeLessThan(10_000);
    const res = await postEncoded(atLimit, 'gzip');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ accepted: 24 });

    const over = events.map((e) => ({ ...e, messageId: `${e.messageId as string}-over` }));
    expect((await postEncoded(gzipSync(padded({ batch: over }, LIMITS.maxRequestBytes + 1)), 'gzip')).status).toBe(413);
    expect(
      rowsFor(
        c.db,
        over.map((e) => e.messageId),
      ),
    ).toHaveLength(0);
  });

  it('answers 413 to a small body that decompresses past 500 KB (a zip bomb), and stores none of it', async () => {
    const before = await eventsByOutcome(c.url);
    const events = [trackEvent(), trackEvent()];
    // Valid JSON: 50 MB of whitespace inside the batch, ~50 KB once gzipped.
    const bomb = Buffer.concat([
      json({ batch: events }).subarray(0, -2),
      Buffer.from(' '.repeat(50_000_000)),
      Buffer.from(']}'),
    ]);
    const compressed = gzipSync(bomb, { level: 9 });
    expect(compressed.length).toBeLessThan(LIMITS.maxRequestBytes / 5);
    const res = await postEncoded(compressed, 'gzip', '/v1/batch', { Origin: SHOP });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toEqual({
      code: 'request_too_large',
      message: `request body is larger than ${LIMITS.maxRequestBytes} bytes once decompressed`,
    });
    expect(res.headers['access-control-allow-origin']).toBe(SHOP);
    expect(storedOf(events)).toHaveLength(0);
    const after = await eventsByOutcome(c.url);
    expect((after.request_too_large ?? 0) - (before.request_too_large ?? 0)).toBe(1);
    // The collector is still up and storing.
    expect((await c.post('/v1/batch', { batch: [trackEvent()] })).status).toBe(200);
  });

  it('answers 400 with the reason to a body that says gzip but is not, or is cut short', async () => {
    const events = [trackEvent()];
    const whole = gzipSync(json({ batch: events }));
    for (const body of [json({ batch: events }), whole.subarray(0, whole.length - 10), Buffer.alloc(0)]) {
      const res = await postEncoded(body, 'gzip');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error).toEqual({ code: 'invalid_encoding', message: 'body is not valid gzip data' });
    }
    expect(rowsFor(c.db, [events[0]!.messageId as string])).toHaveLength(0);
  });

  it('answers 415 naming what it reads to a coding it does not know, or to two codings stacked', async () => {
    const before = await eventsByOutcome(c.url);
    const body = gzipSync(json({ batch: [trackEvent()] }));
    for (const encoding of ['zstd', 'compress', 'gzip, br', `x${'z'.repeat(5000)}`]) {
      const res = await postEncoded(body, encoding);
      expect(res.status).toBe(415);
      const error = JSON.parse(res.body).error as { code: string; message: string };
      expect(error.code).toBe('unsupported_encoding');
      expect(error.message).toContain(`"${encoding.slice(0, 64)}"`);
      expect(error.message.length).toBeLessThan(200); // a long header is not echoed whole
      expect(error.message).toContain('gzip, deflate, br');
    }
    const after = await eventsByOutcome(c.url);
    expect((after.bad_request ?? 0) - (before.bad_request ?? 0)).toBe(4);
  });

  it('lets a page send Content-Encoding across origins (the preflight allows the header)', async () => {
    const res = await fetch(`${c.url}/v1/batch`, {
      method: 'OPTIONS',
      headers: {
        Origin: SHOP,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, content-encoding',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-encoding');
  });
});

describe('/v1/import', () => {
  it("stores a batch posted to /v1/import as Segment's Java library sends it (gzipped, Basic auth) and as its Ruby one does (plain)", async () => {
    const java = [trackEvent({ context: { library: { name: 'analytics-java', version: '3.5.1' } } })];
    const javaBody = {
      batch: java,
      sentAt: new Date().toISOString(),
      sequence: 0,
      context: { library: { name: 'analytics-java' } },
    };
    const gz = await postEncoded(gzipSync(json(javaBody)), 'gzip', '/v1/import');
    expect(gz.status).toBe(200);
    expect(JSON.parse(gz.body)).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });

    const ruby = [trackEvent(), trackEvent({ type: 'identify', userId: 'u-ruby', traits: { plan: 'pro' } })];
    const res = await c.post('/v1/import', { batch: ruby, sentAt: new Date().toISOString() });
    expect(res.status).toBe(200);
    expect(storedOf([...java, ...ruby]).map((r) => r.type)).toEqual(['track', 'track', 'identify']);
    // A retry through either path is the same retry.
    expect(await (await c.post('/v1/batch', { batch: ruby })).json()).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(c.errors).toEqual([]);
  });
});

describe("the paths Segment's analytics.js posts to", () => {
  /** An event as analytics.js's normalize() sends it: the write key inside, text/plain, the page's context. */
  const ajsEvent = (fields: Record<string, unknown>) => ({
    anonymousId: 'ajs-anon',
    messageId: newMessageId('ajs'),
    timestamp: new Date().toISOString(),
    sentAt: new Date().toISOString(),
    writeKey: c.key.key,
    integrations: {},
    context: {
      library: { name: 'analytics.js', version: 'next-1.84.3' },
      page: { path: '/pricing', url: `${SHOP}/pricing`, title: 'Pricing' },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
      locale: 'en-GB',
    },
    _metadata: { bundled: ['Segment.io'], unbundled: [], bundledIds: [] },
    ...fields,
  });
  const sendAsAjs = (path: string, body: unknown) =>
    fetch(`${c.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: SHOP },
      body: JSON.stringify(body),
    });

  it('stores one event posted to /v1/t, /v1/p, /v1/s, /v1/i, /v1/a and /v1/g, without the write key inside it', async () => {
    const events = {
      t: ajsEvent({ type: 'track', event: 'Plan Chosen', properties: { plan: 'pro' } }),
      p: ajsEvent({ type: 'page', name: 'Pricing', properties: { path: '/pricing' } }),
      s: ajsEvent({ type: 'screen', name: 'Cart' }),
      i: ajsEvent({ type: 'identify', userId: 'ajs-user', traits: { plan: 'pro' } }),
      a: ajsEvent({ type: 'alias', userId: 'ajs-user-2', previousId: 'ajs-user' }),
      g: ajsEvent({ type: 'group', userId: 'ajs-user', groupId: 'acme' }),
    };
    for (const [letter, event] of Object.entries(events)) {
      const res = await sendAsAjs(`/v1/${letter}`, event);
      expect(res.status, letter).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(await res.json()).toMatchObject({ accepted: 1 });
    }
    const rows = storedOf(Object.values(events));
    expect(rows.map((r) => r.type)).toEqual(['track', 'page', 'screen', 'identify', 'alias', 'group']);
    for (const row of rows) expect(JSON.parse(row.payload)).not.toHaveProperty('writeKey');
    expect(JSON.parse(rows[0]!.payload).properties).toEqual({ plan: 'pro' });
    expect(rows[1]?.name).toBe('Pricing');
  });

  it('stores a batch posted to /v1/b, the write key on the envelope and in every event', async () => {
    const batch = [
      ajsEvent({ type: 'page', name: 'Home' }),
      ajsEvent({ type: 'track', event: 'Product Added', properties: { product_id: 'p-1', price: 9.5 } }),
    ].map(({ sentAt: _sentAt, ...event }) => event); // the batching dispatcher sends one sentAt, on the envelope
    const res = await sendAsAjs('/v1/b', { writeKey: c.key.key, batch, sentAt: new Date().toISOString() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: [] });
    const rows = storedOf(batch);
    expect(rows.map((r) => r.name)).toEqual(['Home', 'Product Added']);
    for (const row of rows) expect(JSON.parse(row.payload)).not.toHaveProperty('writeKey');
  });

  it('answers 400, readable across origins, to an event whose type is not its path’s', async () => {
    const res = await sendAsAjs('/v1/t', ajsEvent({ type: 'page', name: 'Home' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect((await res.json()).error.code).toBe('type_mismatch');
    expect(c.errors).toEqual([]);
  });
});

describe("what RudderStack's JavaScript SDK sends from a page", () => {
  it('passes the preflight for the AnonymousId header it adds, and stores the event it then posts', async () => {
    const requested = 'anonymousid, authorization, content-type';
    const preflight = await fetch(`${c.url}/v1/track`, {
      method: 'OPTIONS',
      headers: { Origin: SHOP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': requested },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe(requested);
    expect(preflight.headers.get('vary')).toContain('Access-Control-Request-Headers');

    const event = trackEvent({
      anonymousId: 'rs-js-anon',
      context: { library: { name: 'RudderLabs JavaScript SDK' } },
    });
    const res = await fetch(`${c.url}/v1/track`, {
      method: 'POST',
      headers: {
        Origin: SHOP,
        Accept: 'application/json',
        'Content-Type': 'application/json;charset=UTF-8',
        Authorization: basicAuth(c.key.key),
        AnonymousId: Buffer.from('rs-js-anon').toString('base64'),
      },
      body: JSON.stringify(event),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(storedOf([event])[0]?.anonymous_id).toBe('rs-js-anon');
  });

  it('answers a preflight whose header list is malformed with the headers Loupe reads', async () => {
    for (const requested of ['content-type,,authorization', 'x y', 'a'.repeat(3000)]) {
      const res = await fetch(`${c.url}/v1/batch`, {
        method: 'OPTIONS',
        headers: { Origin: SHOP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': requested },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Content-Encoding, Authorization');
    }
  });
});

describe('/beacon/v1/batch', () => {
  it('takes the write key from the query, as RudderStack’s beacon transport sends it, and refuses an unknown one', async () => {
    const events = [trackEvent(), trackEvent()];
    const send = (query: string) =>
      fetch(`${c.url}/beacon/v1/batch${query}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', Origin: SHOP },
        body: JSON.stringify({ batch: events, sentAt: new Date().toISOString() }),
      });
    const unknown = await send('?writeKey=wk_nope');
    expect(unknown.status).toBe(401);
    expect((await send('')).status).toBe(401);
    expect(storedOf(events)).toHaveLength(0);
    const res = await send(`?writeKey=${c.key.key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(await res.json()).toMatchObject({ accepted: 2 });
    expect(storedOf(events)).toHaveLength(2);
  });
});

describe("what Segment's Python library sends", () => {
  it('stores a gzipped batch with microsecond timestamps and the write key both in Basic auth and the body', async () => {
    // analytics-python (segment/analytics/request.py): json.dumps of the batch, sentAt and writeKey
    // added, datetime.isoformat() timestamps, gzipped when the client is made with gzip=True.
    const at = '2026-12-04T21:50:00.123456+00:00';
    const events = [
      { type: 'track', event: 'Signed Up', userId: 'py-user', messageId: newMessageId('py'), timestamp: at },
      { type: 'identify', userId: 'py-user', traits: { plan: 'pro' }, messageId: newMessageId('py'), timestamp: at },
    ].map((e) => ({ ...e, context: { library: { name: 'analytics-python', version: '2.3.4' } }, integrations: {} }));
    const body = { batch: events, sentAt: '2026-12-04T21:50:01.000001+00:00', writeKey: c.key.key };
    const res = await postEncoded(gzipSync(json(body)), 'gzip', '/v1/batch', {
      'User-Agent': 'analytics-python/2.3.4',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ accepted: 2, rejected: [] });
    const rows = storedOf(events);
    expect(rows.map((r) => r.type)).toEqual(['track', 'identify']);
    expect(rows[0]?.is_bot).toBe(0);
    expect(JSON.parse(rows[0]!.payload).originalTimestamp).toBe(at);
  });
});

describe('after all of it', () => {
  it('answered no request with a 5xx', () => {
    expect(c.errors).toEqual([]);
  });
});
