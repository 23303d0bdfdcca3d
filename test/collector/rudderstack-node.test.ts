import Analytics from '@rudderstack/rudder-sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsFor, startTestCollector, type TestCollector } from './harness.js';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c?.close();
});

function client(options: { gzip?: boolean } = {}) {
  const errors: unknown[] = [];
  const analytics = new Analytics(c.key.key, {
    dataPlaneUrl: c.url,
    flushAt: 20,
    flushInterval: 60_000,
    retryCount: 0,
    logLevel: 'error',
    errorHandler: (error: unknown) => errors.push(error),
    ...options,
  });
  return { analytics, errors };
}

/**
 * A call's fields with a messageId of ours: the SDK sends one it is given (it makes one only when
 * none is), though its types leave the field out.
 */
function withMessageId<T extends object>(messageId: string, fields: T): T {
  return { messageId, ...fields };
}

/** Sends everything queued and waits for the collector's answer. */
function flush(analytics: Analytics): Promise<void> {
  return new Promise((resolve, reject) => analytics.flush((error?: Error) => (error ? reject(error) : resolve())));
}

describe("RudderStack's own Node SDK pointed at Loupe", () => {
  it('delivers gzipped batches (the SDK default) of track, identify, page, screen, group and alias calls', async () => {
    const { analytics, errors } = client();
    // What is under test is the SDK as it ships: it compresses every batch unless told not to.
    expect((analytics as unknown as { gzip: boolean }).gzip).toBe(true);

    const tag = `rs-${process.pid}-${Date.now()}`;
    const id = (name: string) => `${tag}-${name}`;
    analytics.identify(
      withMessageId(id('identify'), { userId: `${tag}-user`, anonymousId: `${tag}-anon`, traits: { plan: 'pro' } }),
    );
    analytics.track(
      withMessageId(id('track'), {
        userId: `${tag}-user`,
        event: 'Order Completed',
        properties: { order_id: 'o-1', revenue: 42.5, currency: 'EUR' },
      }),
    );
    analytics.page(
      withMessageId(id('page'), { anonymousId: `${tag}-anon`, name: 'Pricing', properties: { path: '/p' } }),
    );
    analytics.screen(withMessageId(id('screen'), { userId: `${tag}-user`, name: 'Cart' }));
    analytics.group(withMessageId(id('group'), { userId: `${tag}-user`, groupId: 'acme', traits: { seats: 5 } }));
    analytics.alias(withMessageId(id('alias'), { userId: `${tag}-user-2`, previousId: `${tag}-user` }));
    await flush(analytics);
    expect(errors).toEqual([]);

    const names = ['identify', 'track', 'page', 'screen', 'group', 'alias'];
    const rows = rowsFor(c.db, names.map(id));
    expect(rows.map((r) => r.type).sort()).toEqual([...names].sort());
    const row = (name: string) => rows.find((r) => r.message_id === id(name));
    expect(row('track')?.user_id).toBe(`${tag}-user`);
    expect(row('track')?.name).toBe('Order Completed');
    const track = JSON.parse(row('track')?.payload ?? '{}');
    expect(track.properties).toEqual({ order_id: 'o-1', revenue: 42.5, currency: 'EUR' });
    expect(track.context.library.name).toBe('analytics-node');
    expect(track.channel).toBe('server');
    expect(row('page')?.name).toBe('Pricing');
    expect(row('screen')?.name).toBe('Cart');
    expect(JSON.parse(row('group')?.payload ?? '{}').groupId).toBe('acme');
    expect(JSON.parse(row('identify')?.payload ?? '{}').traits).toEqual({ plan: 'pro' });
    expect((await c.server.store.linkedIds(`${tag}-anon`)).sort()).toEqual(
      [`${tag}-anon`, `${tag}-user`, `${tag}-user-2`].sort(),
    );
  });

  it('stores a resent gzipped batch once, and uncompressed batches too (gzip: false)', async () => {
    const messageIds = [`rs-resend-${process.pid}-1`, `rs-resend-${process.pid}-2`];
    for (const gzip of [true, true, false]) {
      const { analytics, errors } = client({ gzip });
      for (const messageId of messageIds)
        analytics.track(withMessageId(messageId, { userId: 'rs-resend', event: 'Retried' }));
      await flush(analytics);
      expect(errors).toEqual([]);
    }
    expect(rowsFor(c.db, messageIds)).toHaveLength(2);

    const { analytics, errors } = client({ gzip: false });
    analytics.track(withMessageId(`rs-plain-${process.pid}`, { anonymousId: 'rs-plain', event: 'Plain' }));
    await flush(analytics);
    expect(errors).toEqual([]);
    expect(rowsFor(c.db, [`rs-plain-${process.pid}`])[0]?.name).toBe('Plain');
  });

  it('dates an event by when it was called, not when its batch arrived', async () => {
    const { analytics, errors } = client();
    const messageId = `rs-late-${process.pid}-${Date.now()}`;
    analytics.track({ userId: 'rs-late', event: 'First' }); // a client's first call is sent at once
    analytics.track(withMessageId(messageId, { userId: 'rs-late', event: 'Queued' }));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the SDK holds it until its next flush
    await flush(analytics);
    expect(errors).toEqual([]);
    const [row] = rowsFor(c.db, [messageId]);
    // The SDK sends originalTimestamp and sentAt, no timestamp: the collector corrects from those.
    expect(Date.parse(row!.received_at) - Date.parse(row!.ts)).toBeGreaterThanOrEqual(1_400);
  });

  it('answered no request with a 5xx', () => {
    expect(c.errors).toEqual([]);
  });
});
