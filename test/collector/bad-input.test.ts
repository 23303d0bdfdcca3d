import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countEvents,
  type IngestAnswer,
  newMessageId,
  rowsFor,
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

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** A batch body as raw JSON text, so keys like `__proto__` reach the server as sent. */
function batchText(events: string[], extra = ''): string {
  return `{"writeKey":${JSON.stringify(c.key.key)},${extra}"batch":[${events.join(',')}]}`;
}

async function postText(path: string, text: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${c.url}${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body: text });
}

/** Each of `events` is stored, once; returns their distinct message ids. */
function expectStoredOnce(events: readonly Record<string, unknown>[]): string[] {
  const ids = [...new Set(events.map((e) => e.messageId as string))].sort();
  expect(
    rowsFor(c.db, ids)
      .map((r) => r.message_id)
      .sort(),
  ).toEqual(ids);
  return ids;
}

function expectPrototypesClean(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  expect(({} as Record<string, unknown>).constructor).toBe(Object);
}

describe('bodies that are not a batch', () => {
  it('answers 400 to bodies that are not JSON', async () => {
    for (const text of [
      '',
      'not json',
      '{',
      '{"batch":[}',
      "{'batch':[]}",
      '\u0000',
      'undefined',
      '{"batch":[]}garbage',
    ]) {
      const res = await postText('/v1/batch', text);
      expect(res.status, JSON.stringify(text)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    }
  });

  it('answers 400 to JSON that is not an object with a batch array', async () => {
    for (const text of [
      '[]',
      '"batch"',
      '42',
      'null',
      'true',
      '{}',
      '{"batch":{}}',
      '{"batch":"x"}',
      '{"batch":null}',
      '{"batch":1}',
      '[{"batch":[]}]',
    ]) {
      const res = await postText('/v1/batch', text);
      expect(res.status, text).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no_batch');
    }
  });

  it('answers 400 to a single-event route whose body is not an object', async () => {
    for (const text of ['[]', '"x"', '1', 'null', 'nope']) {
      const res = await postText('/v1/track', text);
      expect(res.status, text).toBe(400);
    }
  });

  it('answers 400 to an invalid JSON body sent as text/plain or without a content type', async () => {
    expect((await postText('/v1/batch', '{oops', 'text/plain')).status).toBe(400);
    const res = await fetch(`${c.url}/v1/batch`, { method: 'POST', body: new Uint8Array([0xff, 0xfe, 0x00]) });
    expect(res.status).toBe(400);
  });

  it('answers an empty batch with nothing accepted', async () => {
    const res = await postText('/v1/batch', batchText([]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
  });
});

describe('events with wrong types', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['type a number', { type: 42 }],
    ['type unknown', { type: 'purchase' }],
    ['type missing', { type: undefined }],
    ['messageId a number', { messageId: 123 }],
    ['messageId empty', { messageId: '' }],
    ['messageId an object', { messageId: { id: 1 } }],
    ['messageId missing', { messageId: undefined }],
    ['no anonymousId nor userId', { anonymousId: undefined }],
    ['anonymousId an object', { anonymousId: { id: 'a' } }],
    ['anonymousId an array', { anonymousId: ['a'] }],
    ['userId a boolean', { userId: true, anonymousId: undefined }],
    ['timestamp not a date', { timestamp: 'yesterday' }],
    ['timestamp a number', { timestamp: 1717243200000 }],
    ['event a number', { event: 42 }],
    ['event empty', { event: '' }],
    ['properties a string', { properties: 'price=10' }],
    ['properties an array', { properties: [1, 2] }],
    ['context a string', { context: 'ctx' }],
    ['context.page a string', { context: { page: '/home' } }],
    ['context.userAgent a number', { context: { userAgent: 5 } }],
    ['context.consent without categories', { context: { consent: true } }],
    ['integrations an array', { integrations: ['All'] }],
    ['sentAt an object', { sentAt: {} }],
  ];

  it.each(cases)('rejects an event with %s and keeps the good sibling', async (_name, override) => {
    const bad = JSON.parse(JSON.stringify(trackEvent(override)));
    const good = trackEvent();
    const res = await c.post('/v1/batch', { batch: [bad, good] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]?.index).toBe(0);
    expect(typeof body.rejected[0]?.message).toBe('string');
    expect(rowsFor(c.db, [good.messageId as string])).toHaveLength(1);
  });

  it('rejects batch entries that are not objects and keeps the good ones', async () => {
    const good = trackEvent();
    const body = (await (
      await c.post('/v1/batch', { batch: [null, 1, 'x', [], true, good, [good]] })
    ).json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 6]);
  });

  it('stores numeric ids as strings, as some Segment libraries send them', async () => {
    const event = trackEvent({ userId: 12345, anonymousId: 678 });
    const body = (await (await c.post('/v1/batch', { batch: [event] })).json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(row?.user_id).toBe('12345');
    expect(row?.anonymous_id).toBe('678');
  });

  it('ignores envelope fields of the wrong type', async () => {
    const event = trackEvent();
    const res = await postText('/v1/batch', batchText([JSON.stringify(event)], '"sentAt":42,"context":"ctx",'));
    expect(res.status).toBe(200);
    expect(rowsFor(c.db, [event.messageId as string])).toHaveLength(1);
  });
});

describe('prototype-pollution keys', () => {
  /** Places `"key": {"polluted": true}` at one spot of an otherwise valid event, as raw JSON. */
  function eventWithKeyAt(spot: string, key: string, messageId: string): string {
    const hostile = `${JSON.stringify(key)}:{"polluted":true,"prototype":{"polluted":true}}`;
    const base = `"type":"identify","messageId":"${messageId}","anonymousId":"a-pp"`;
    switch (spot) {
      case 'event':
        return `{${base},${hostile}}`;
      case 'properties':
        return `{"type":"track","event":"E","messageId":"${messageId}","anonymousId":"a-pp","properties":{"ok":1,${hostile}}}`;
      case 'properties.deep':
        return `{"type":"track","event":"E","messageId":"${messageId}","anonymousId":"a-pp","properties":{"a":{"b":[{"c":{${hostile}}}]}}}`;
      case 'traits':
        return `{${base},"traits":{${hostile}}}`;
      case 'context':
        return `{${base},"context":{${hostile}}}`;
      case 'context.page':
        return `{${base},"context":{"page":{${hostile}}}}`;
      case 'context.consent.categories':
        return `{${base},"context":{"consent":{"categories":{"analytics":true,${hostile}}}}}`;
      case 'integrations':
        return `{${base},"integrations":{${hostile}}}`;
      case 'escaped':
        return `{${base},"traits":{${JSON.stringify(key).replace(/_/g, '\\u005f').replace(/o/g, '\\u006f')}:{"polluted":true}}}`;
      default:
        throw new Error(spot);
    }
  }

  const spots = [
    'event',
    'properties',
    'properties.deep',
    'traits',
    'context',
    'context.page',
    'context.consent.categories',
    'integrations',
    'escaped',
  ];

  it.each(FORBIDDEN_KEYS.flatMap((key) => spots.map((spot) => [key, spot] as const)))(
    'rejects %s at %s, keeps the sibling, pollutes nothing',
    async (key, spot) => {
      const messageId = newMessageId('pp');
      const good = trackEvent();
      const res = await postText('/v1/batch', batchText([eventWithKeyAt(spot, key, messageId), JSON.stringify(good)]));
      expect(res.status).toBe(200);
      const body = (await res.json()) as IngestAnswer;
      expect(body.accepted).toBe(1);
      expect(body.rejected).toEqual([expect.objectContaining({ index: 0 })]);
      expect(body.rejected[0]?.path).toContain(key);
      expect(rowsFor(c.db, [messageId])).toHaveLength(0);
      expect(rowsFor(c.db, [good.messageId as string])).toHaveLength(1);
      expectPrototypesClean();
    },
  );

  it('rejects a prototype key in the envelope context for every event of the batch', async () => {
    const events = [trackEvent(), trackEvent()];
    const res = await postText(
      '/v1/batch',
      batchText(
        events.map((e) => JSON.stringify(e)),
        '"context":{"__proto__":{"polluted":true}},',
      ),
    );
    const body = (await res.json()) as IngestAnswer;
    expect(body.accepted).toBe(0);
    expect(body.rejected).toHaveLength(2);
    expectPrototypesClean();
  });

  it('survives prototype keys on the envelope itself', async () => {
    const event = trackEvent();
    const res = await postText(
      '/v1/batch',
      batchText(
        [JSON.stringify(event)],
        '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
      ),
    );
    expect(res.status).toBe(200);
    expectPrototypesClean();
  });

  it('rejects prototype keys sent to a single-event route', async () => {
    const messageId = newMessageId('pp1');
    const res = await fetch(`${c.url}/v1/identify`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${c.key.key}:`).toString('base64')}`,
      },
      body: `{"messageId":"${messageId}","userId":"u","traits":{"__proto__":{"polluted":true}}}`,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as IngestAnswer).accepted).toBe(0);
    expectPrototypesClean();
  });
});

describe('hostile values', () => {
  it('keeps a 30 KB string and rejects a 400 KB one, with siblings kept', async () => {
    const fits = trackEvent({ properties: { text: 'a'.repeat(30_000) } });
    const huge = trackEvent({ properties: { text: 'b'.repeat(400_000) } });
    const good = trackEvent();
    const body = (await (await c.post('/v1/batch', { batch: [fits, huge, good] })).json()) as IngestAnswer;
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => r.index)).toEqual([1]);
  });

  it('rejects oversized identifiers and names', async () => {
    const cases = [
      trackEvent({ anonymousId: 'a'.repeat(257) }),
      trackEvent({ event: 'e'.repeat(257) }),
      trackEvent({ context: { userAgent: 'u'.repeat(2000) } }),
    ];
    const body = (await (await c.post('/v1/batch', { batch: cases })).json()) as IngestAnswer;
    expect(body.accepted).toBe(0);
    expect(body.rejected).toHaveLength(3);
  });

  it('rejects NUL characters in every kind of field and keeps the siblings', async () => {
    const nul = '\u0000';
    const cases = [
      trackEvent({ event: `Clicked${nul}` }),
      trackEvent({ messageId: `id${nul}${newMessageId()}` }),
      trackEvent({ anonymousId: `a${nul}` }),
      trackEvent({ userId: `u${nul}` }),
      trackEvent({ properties: { note: `x${nul}y` } }),
      trackEvent({ properties: { [`k${nul}`]: 1 } }),
      trackEvent({ context: { page: { url: `https://shop.example/${nul}` } } }),
      trackEvent({ properties: { list: ['ok', [`deep${nul}`]] } }),
    ];
    const good = trackEvent();
    const body = (await (await c.post('/v1/batch', { batch: [...cases, good] })).json()) as IngestAnswer;
    expect(body.rejected.map((r) => r.index)).toEqual(cases.map((_, i) => i));
    expect(body.accepted).toBe(1);
  });

  it('answers 400 to a raw NUL byte inside a JSON string', async () => {
    const res = await postText(
      '/v1/batch',
      batchText([`{"type":"track","event":"a\u0000b","messageId":"${newMessageId()}","userId":"u"}`]),
    );
    expect(res.status).toBe(400);
  });

  it('rejects nesting past 32 levels, up to what fills the request, without a 5xx', async () => {
    for (const depth of [40, 1_000, 200_000]) {
      const messageId = newMessageId('deep');
      const nested = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
      const good = trackEvent();
      const res = await postText(
        '/v1/batch',
        batchText([
          `{"type":"track","event":"E","messageId":"${messageId}","userId":"u","properties":{"n":${nested}}}`,
          JSON.stringify(good),
        ]),
      );
      expect(res.status, `depth ${depth}`).toBe(200);
      const body = (await res.json()) as IngestAnswer;
      expect(body.accepted).toBe(1);
      expect(body.rejected[0]?.message).toMatch(/nested deeper/);
      expect(rowsFor(c.db, [messageId])).toHaveLength(0);
    }
  });

  it('keeps nesting within the limit', async () => {
    let nested: unknown = 1;
    for (let i = 0; i < 20; i++) nested = { n: nested };
    const event = trackEvent({ properties: { nested } });
    const body = (await (await c.post('/v1/batch', { batch: [event] })).json()) as IngestAnswer;
    expect(body.accepted).toBe(1);
  });

  it('stores SQL injection strings in every field verbatim, harmlessly', async () => {
    const injections = [
      "'); DROP TABLE events; --",
      '" OR 1=1 --',
      "Robert'); DELETE FROM keys WHERE ('1'='1",
      "1; ATTACH DATABASE '/tmp/x.db' AS x; --",
      "%' UNION SELECT * FROM keys --",
    ];
    const before = countEvents(c.db);
    const events = injections.map((sql, i) => ({
      type: 'track',
      event: sql,
      messageId: `${sql.slice(0, 40)}-${newMessageId(String(i))}`,
      anonymousId: sql,
      userId: sql,
      properties: { [sql]: sql, nested: { [sql]: [sql] } },
      context: {
        page: { url: `https://shop.example/?q=${sql}`, title: sql, referrer: sql },
        locale: sql,
        campaign: { name: sql },
      },
    }));
    const identify = {
      type: 'identify',
      messageId: newMessageId('sql'),
      userId: injections[0],
      anonymousId: injections[1],
      traits: { email: injections[2] },
    };
    const body = (await (await c.post('/v1/batch', { batch: [...events, identify] })).json()) as IngestAnswer;
    expect(body).toEqual({ accepted: events.length + 1, duplicates: 0, rejected: [] });
    for (const event of events) {
      const [row] = rowsFor(c.db, [event.messageId]);
      expect(row?.name).toBe(event.event);
      expect(row?.anonymous_id).toBe(event.anonymousId);
      const payload = JSON.parse(row?.payload ?? '{}');
      expect(payload.properties).toEqual(event.properties);
      expect(payload.context.page).toEqual(event.context.page);
      expect(payload.context.campaign).toEqual(event.context.campaign);
    }
    expect(countEvents(c.db)).toBe(before + events.length + 1);
    expect(await c.server.store.getKey(c.key.key)).not.toBeNull();
    const sqlKey = await c.post('/v1/batch', { batch: [trackEvent()] }, { auth: "' OR '1'='1" });
    expect(sqlKey.status).toBe(401);
  });

  it('stores unicode text verbatim', async () => {
    const text = 'Größe 🛒 ✓ 日本語 العربية \u2028\u2029 "quoted" \\ back';
    const event = trackEvent({ event: text, properties: { text } });
    await c.post('/v1/batch', { batch: [event] });
    const [row] = rowsFor(c.db, [event.messageId as string]);
    expect(row?.name).toBe(text);
    expect(JSON.parse(row?.payload ?? '{}').properties.text).toBe(text);
  });
});

describe('fuzzed bodies', () => {
  const hostileKey = fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'ok',
  );
  /** An object with an own property named `key`, even `__proto__`, as JSON.parse would make it. */
  const withKey = (target: Record<string, unknown>, key: string, value: unknown) => {
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
    return target;
  };

  const goodEvent = (runId: string) =>
    fc.record({
      type: fc.constant('track'),
      event: fc.string({ minLength: 1, maxLength: 40 }),
      messageId: fc.nat().map((n) => `${runId}-good-${n}-${newMessageId()}`),
      anonymousId: fc.string({ minLength: 1, maxLength: 30 }),
      properties: fc.dictionary(
        fc.stringMatching(/^[a-z]{1,8}$/),
        fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.boolean(), fc.constant(null)),
        { maxKeys: 5 },
      ),
    });

  const badEvent = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({
      type: fc.jsonValue({ maxDepth: 1 }),
      messageId: fc.jsonValue({ maxDepth: 1 }),
      userId: fc.jsonValue({ maxDepth: 1 }),
    }),
    fc
      .tuple(
        fc.jsonValue({ maxDepth: 2 }),
        hostileKey,
        fc.constantFrom('type', 'messageId', 'event', 'properties', 'context', 'timestamp', 'userId'),
      )
      .map(([value, key, field]) => {
        const event: Record<string, unknown> = {
          type: 'track',
          event: 'E',
          messageId: newMessageId('fz'),
          userId: 'u',
        };
        event[field] = value;
        return withKey(event, key, { polluted: true });
      }),
    fc
      .string({ maxLength: 200, unit: 'binary' })
      .map((s) => ({ type: 'track', event: s, messageId: s, userId: s, properties: { [s]: s } })),
  );

  const body = (runId: string) =>
    fc.oneof(
      {
        weight: 1,
        arbitrary: fc
          .string({ maxLength: 300, unit: 'binary' })
          .map((text) => ({ text, good: [] as Record<string, unknown>[] })),
      },
      {
        weight: 1,
        arbitrary: fc
          .jsonValue({ maxDepth: 4 })
          .map((v) => ({ text: JSON.stringify(v), good: [] as Record<string, unknown>[] })),
      },
      {
        weight: 4,
        arbitrary: fc
          .tuple(
            fc.array(goodEvent(runId), { maxLength: 5 }),
            fc.array(badEvent, { maxLength: 5 }),
            fc.jsonValue({ maxDepth: 2 }),
            fc.jsonValue({ maxDepth: 2 }),
          )
          .chain(([good, bad, sentAt, context]) =>
            fc.shuffledSubarray([...good, ...bad], { minLength: good.length + bad.length }).map((batch) => ({
              text: JSON.stringify({ writeKey: c.key.key, batch, sentAt, context }),
              good: context !== null && typeof context === 'object' ? [] : good, // an envelope context could break a good event's own
            })),
          ),
      },
    );

  it('never answers 5xx, keeps every good sibling, and leaves the process serving', async () => {
    const runId = `fuzz-${process.pid}`;
    await fc.assert(
      fc.asyncProperty(
        body(runId),
        fc.constantFrom('/v1/batch', '/v1/track', '/v1/identify'),
        fc.constantFrom('application/json', 'text/plain'),
        async ({ text, good }, path, type) => {
          const res = await postText(path, text, type);
          expect(res.status).toBeLessThan(500);
          const answer = (await res.json()) as IngestAnswer | { error: { code: string } };
          if (path === '/v1/batch' && good.length > 0) {
            expect(res.status).toBe(200);
            const ids = expectStoredOnce(good);
            expect((answer as IngestAnswer).accepted).toBeGreaterThanOrEqual(ids.length);
          }
          expectPrototypesClean();
        },
      ),
      { numRuns: 300 },
    );
    const health = await fetch(`${c.url}/healthz`);
    expect(health.status).toBe(200);
    expect(c.errors).toEqual([]);
  });
  it('never answers 5xx to compressed bodies, whole, cut short, corrupted or mislabelled, and keeps the good events of whole ones', async () => {
    const runId = `fuzz-gz-${process.pid}`;
    const damage = fc.oneof(
      fc.constant({ kind: 'whole' as const }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        bits: fc.integer({ min: 1, max: 255 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        body(runId),
        damage,
        fc.constantFrom('gzip', 'deflate', 'br', 'x-gzip', 'zstd', 'gzip, gzip'),
        async ({ text, good }, harm, encoding) => {
          let bytes = gzipSync(Buffer.from(text));
          if (harm.kind === 'cut') bytes = bytes.subarray(0, Math.floor(harm.at * bytes.length));
          if (harm.kind === 'flip') {
            bytes = Buffer.from(bytes);
            const i = Math.min(bytes.length - 1, Math.floor(harm.at * bytes.length));
            bytes[i] = (bytes[i] as number) ^ harm.bits;
          }
          const res = await fetch(`${c.url}/v1/batch`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
            body: bytes,
          });
          expect(res.status).toBeLessThan(500);
          await res.arrayBuffer();
          const readable = harm.kind === 'whole' && (encoding === 'gzip' || encoding === 'x-gzip');
          if (readable && good.length > 0) {
            expect(res.status).toBe(200);
            expectStoredOnce(good);
          }
          // A coding it does not read is refused as such; damage is caught by the coding's own checks
          // (a flipped bit in gzip's header timestamp is not damage at all), never by a 5xx.
          if (encoding === 'zstd' || encoding === 'gzip, gzip') expect(res.status).toBe(415);
          if (harm.kind === 'cut' && encoding === 'gzip') expect(res.status).toBe(400);
          expectPrototypesClean();
        },
      ),
      { numRuns: 200 },
    );
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
    expect(c.errors).toEqual([]);
  });
});

describe('after all of it', () => {
  it('still answers /healthz and logged no 5xx', async () => {
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
    expect(c.errors).toEqual([]);
    expectPrototypesClean();
  });
});
