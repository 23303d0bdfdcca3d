import { Analytics, type Context } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsFor, startTestCollector, type TestCollector } from './harness.js';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c?.close();
});

describe("Segment's own Node library pointed at Loupe", () => {
  it('delivers track, identify, page, group and alias calls that are stored with their ids and properties', async () => {
    const analytics = new Analytics({
      writeKey: c.key.key,
      host: c.url,
      path: '/v1/batch',
      flushAt: 3,
      flushInterval: 50,
      maxRetries: 0,
    });
    const failures: unknown[] = [];
    const responses: number[] = [];
    analytics.on('error', (error) => failures.push(error));
    analytics.on('http_response', (r) => responses.push(r.status));

    const tag = `seg-${process.pid}-${Date.now()}`;
    const messageIds: Record<string, string> = {};
    const remember = (name: string) => (error?: unknown, ctx?: Context) => {
      if (error) failures.push(error);
      if (ctx?.event.messageId) messageIds[name] = ctx.event.messageId;
    };

    analytics.identify(
      { userId: `${tag}-user`, anonymousId: `${tag}-anon`, traits: { plan: 'pro', seats: 3 } },
      remember('identify'),
    );
    analytics.track(
      {
        userId: `${tag}-user`,
        event: 'Order Completed',
        properties: { order_id: 'o-1', revenue: 42.5, products: [{ sku: 's-1', quantity: 2 }] },
      },
      remember('track'),
    );
    analytics.page({ anonymousId: `${tag}-anon`, name: 'Pricing', properties: { path: '/pricing' } }, remember('page'));
    analytics.group({ userId: `${tag}-user`, groupId: 'acme', traits: { employees: 50 } }, remember('group'));
    analytics.alias({ userId: `${tag}-user-2`, previousId: `${tag}-user` }, remember('alias'));
    const explicit = `${tag}-explicit-message-id`;
    analytics.track(
      { anonymousId: `${tag}-anon`, event: 'Product Viewed', messageId: explicit, properties: { product_id: 'p-9' } },
      remember('explicit'),
    );
    await analytics.closeAndFlush({ timeout: 10_000 });

    expect(failures).toEqual([]);
    expect(responses.length).toBeGreaterThan(0);
    expect(responses.every((s) => s === 200)).toBe(true);
    expect(messageIds.explicit).toBe(explicit);
    expect(Object.keys(messageIds).sort()).toEqual(['alias', 'explicit', 'group', 'identify', 'page', 'track']);

    const rows = rowsFor(c.db, Object.values(messageIds));
    expect(rows).toHaveLength(6);
    const byName = Object.fromEntries(
      Object.entries(messageIds).map(([name, id]) => [name, rows.find((r) => r.message_id === id)]),
    );

    expect(byName.track?.type).toBe('track');
    expect(byName.track?.user_id).toBe(`${tag}-user`);
    expect(byName.track?.name).toBe('Order Completed');
    const track = JSON.parse(byName.track?.payload ?? '{}');
    expect(track.properties).toEqual({ order_id: 'o-1', revenue: 42.5, products: [{ sku: 's-1', quantity: 2 }] });
    expect(track.context.library.name).toBe('@segment/analytics-node');
    expect(track.originalTimestamp).toBeDefined();

    expect(byName.identify?.anonymous_id).toBe(`${tag}-anon`);
    expect(JSON.parse(byName.identify?.payload ?? '{}').traits).toEqual({ plan: 'pro', seats: 3 });
    expect(byName.page?.name).toBe('Pricing');
    expect(JSON.parse(byName.group?.payload ?? '{}').groupId).toBe('acme');
    expect(JSON.parse(byName.alias?.payload ?? '{}').previousId).toBe(`${tag}-user`);
    expect(byName.explicit?.name).toBe('Product Viewed');

    // identify and alias joined the ids, so a privacy export finds all of them.
    expect((await c.server.store.linkedIds(`${tag}-anon`)).sort()).toEqual(
      [`${tag}-anon`, `${tag}-user`, `${tag}-user-2`].sort(),
    );
  });

  it('gets duplicates, not new rows, when the library resends a batch with the same messageIds', async () => {
    const send = async () => {
      const analytics = new Analytics({
        writeKey: c.key.key,
        host: c.url,
        path: '/v1/batch',
        flushAt: 2,
        flushInterval: 50,
        maxRetries: 0,
      });
      analytics.track({ userId: 'resend-user', event: 'Retried', messageId: `resend-${process.pid}-1` });
      analytics.track({ userId: 'resend-user', event: 'Retried', messageId: `resend-${process.pid}-2` });
      await analytics.closeAndFlush({ timeout: 10_000 });
    };
    await send();
    await send();
    expect(rowsFor(c.db, [`resend-${process.pid}-1`, `resend-${process.pid}-2`])).toHaveLength(2);
  });
});
