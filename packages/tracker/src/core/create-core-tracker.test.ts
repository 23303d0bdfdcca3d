import type { IdentifyEvent, LoupeEvent, PageEvent, TrackEvent } from '@loupe/schema';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryStorage, createTestPlatform, type TestPlatform } from '../testing/index.js';
import { type CoreTrackerOptions, createCoreTracker } from './create-core-tracker.js';
import type { Plugin } from './types.js';

function setup(options: Partial<CoreTrackerOptions> = {}, test: TestPlatform = createTestPlatform()) {
  const onError = vi.fn();
  const tracker = createCoreTracker({
    writeKey: 'wk_test',
    host: 'https://c.test/',
    platform: test.platform,
    onError,
    ...options,
  });
  return { test, tracker, onError };
}

const stored = (test: TestPlatform) => test.collector.events;
const tracks = (test: TestPlatform) => stored(test).filter((e): e is TrackEvent => e.type === 'track');

describe('createCoreTracker', () => {
  it('refuses to start without a write key', () => {
    expect(() => createCoreTracker({ writeKey: '', host: 'x', platform: createTestPlatform().platform })).toThrow(
      /writeKey/,
    );
  });

  it('sends nothing and stores nothing before analytics consent', async () => {
    const storage = createMemoryStorage();
    const { test, tracker } = setup({}, createTestPlatform({ storage }));
    tracker.page();
    tracker.track('Clicked');
    tracker.identify('user-1', { plan: 'pro' });
    await test.advance(60_000);
    test.hide();
    test.leave();
    await test.advance(60_000);
    expect(test.requests).toEqual([]);
    expect(test.beacons).toEqual([]);
    expect(storage.kv.map.size).toBe(0);
    expect(storage.queue.entries()).toEqual([]);
  });

  it('sends what was captured before the visitor granted consent, stamped with the consent', async () => {
    const { test, tracker } = setup();
    tracker.track('Before');
    await test.advance(1000);
    tracker.consent.grant(['analytics']);
    tracker.track('After');
    await test.advance(5000);
    expect(tracks(test).map((e) => e.event)).toEqual(['Before', 'After']);
    expect(tracks(test)[0]?.context?.consent).toEqual({
      categories: { analytics: true, personalization: false, marketing: false },
    });
  });

  it('drops and counts events once the visitor denied consent', async () => {
    const { test, tracker } = setup();
    tracker.track('Before');
    await tracker.ready;
    tracker.consent.deny();
    tracker.track('After');
    await test.advance(60_000);
    expect(test.requests).toEqual([]);
    expect(tracker.stats().droppedNoConsent).toBe(2);
  });

  it('purges the queue and every identifier it wrote when consent is revoked, keeping only the decision', async () => {
    const storage = createMemoryStorage();
    const { test, tracker } = setup({}, createTestPlatform({ storage }));
    tracker.consent.grant();
    test.respond = () => ({ status: 0, retryAfter: null, body: null });
    tracker.identify('user-1');
    tracker.track('Queued');
    await test.advance(3000);
    expect(storage.queue.entries().length).toBeGreaterThan(0);
    const before = tracker.anonymousId();
    tracker.consent.revoke();
    await test.settle();
    expect(storage.queue.entries()).toEqual([]);
    expect([...storage.kv.map.keys()]).toEqual(['consent']);
    expect(tracker.anonymousId()).not.toBe(before);
    expect(tracker.user().userId).toBeNull();
    tracker.track('After revoke');
    test.respond = () => undefined;
    await test.advance(600_000);
    expect(stored(test)).toEqual([]);
  });

  it('asks the collector to erase the anonymous id on revocation when eraseOnRevoke is set, and not otherwise', async () => {
    for (const eraseOnRevoke of [true, false]) {
      const { test, tracker } = setup({ eraseOnRevoke });
      tracker.consent.grant();
      await test.settle();
      const anonymousId = tracker.anonymousId();
      tracker.consent.revoke();
      await test.settle();
      const erases = test.requests.filter((r) => r.url === 'https://c.test/v1/erase');
      if (eraseOnRevoke) {
        expect(erases).toHaveLength(1);
        expect(JSON.parse(erases[0]?.body ?? '{}')).toEqual({ writeKey: 'wk_test', anonymousId });
        expect(test.collector.erased).toEqual([anonymousId]);
      } else expect(erases).toEqual([]);
    }
  });

  it('restores a stored decision and identity on the next page', async () => {
    const storage = createMemoryStorage();
    const first = setup({}, createTestPlatform({ storage }));
    first.tracker.consent.grant(['analytics']);
    first.tracker.identify('user-1', { plan: 'pro' });
    await first.test.advance(5000);
    const second = setup({}, createTestPlatform({ storage }));
    await second.tracker.ready;
    expect(second.tracker.user()).toEqual(first.tracker.user());
    second.tracker.track('Again');
    await second.test.advance(5000);
    expect(tracks(second.test)[0]).toMatchObject({ userId: 'user-1', anonymousId: first.tracker.anonymousId() });
  });

  it('builds Segment-spec events with context, session and a unique messageId', async () => {
    const { test, tracker } = setup({ consentDefaults: ['analytics'] });
    tracker.track('Signed Up', { plan: 'pro' });
    tracker.page('Home', { section: 'hero' });
    await test.advance(5000);
    const [track, page] = stored(test) as [TrackEvent, PageEvent];
    expect(track).toMatchObject({
      type: 'track',
      event: 'Signed Up',
      properties: { plan: 'pro' },
      anonymousId: tracker.anonymousId(),
      timestamp: '2024-01-01T00:00:00.000Z',
      context: { locale: 'en-US', library: { name: 'loupe.js' }, sessionId: Date.UTC(2024, 0, 1) },
    });
    expect(page).toMatchObject({
      type: 'page',
      name: 'Home',
      properties: { url: 'https://shop.test/', path: '/', section: 'hero' },
    });
    expect(track.messageId).not.toBe(page.messageId);
  });

  it('snapshots properties at capture time', async () => {
    const { test, tracker } = setup({ consentDefaults: ['analytics'] });
    const properties = { count: 1 };
    tracker.track('Counted', properties);
    properties.count = 2;
    await test.advance(5000);
    expect(tracks(test)[0]?.properties).toEqual({ count: 1 });
  });

  it('never throws into the host page, reporting unserializable properties instead', async () => {
    const { test, tracker, onError } = setup({ consentDefaults: ['analytics'] });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => tracker.track('Bad', circular)).not.toThrow();
    expect(() => tracker.track('Big', { n: 10n })).not.toThrow();
    tracker.track('Good');
    await test.advance(5000);
    expect(tracks(test).map((e) => e.event)).toEqual(['Good']);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(tracker.stats().droppedInvalid).toBe(2);
  });

  it('drops and counts an event over 32 KB', async () => {
    const { test, tracker, onError } = setup({ consentDefaults: ['analytics'] });
    tracker.track('Huge', { blob: 'x'.repeat(40_000) });
    tracker.track('Small');
    await test.advance(5000);
    expect(tracks(test).map((e) => e.event)).toEqual(['Small']);
    expect(tracker.stats().droppedTooLarge).toBe(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid' }));
  });

  it('stamps the user id on events after identify, and alias names the previous id', async () => {
    const { test, tracker } = setup({ consentDefaults: ['analytics'] });
    tracker.track('Anonymous');
    tracker.identify('user-1', { email: 'x' });
    tracker.track('Known');
    tracker.alias('user-2');
    await test.advance(5000);
    const [anonymous, identify, known, alias] = stored(test) as [TrackEvent, IdentifyEvent, TrackEvent, LoupeEvent];
    expect(anonymous.userId).toBeUndefined();
    expect(identify).toMatchObject({ type: 'identify', userId: 'user-1', traits: { email: 'x' } });
    expect(known.userId).toBe('user-1');
    expect(alias).toMatchObject({ type: 'alias', previousId: 'user-1', userId: 'user-2' });
  });

  it('forgets the user on reset', async () => {
    const { test, tracker } = setup({ consentDefaults: ['analytics'] });
    tracker.identify('user-1');
    await tracker.ready;
    const before = tracker.anonymousId();
    tracker.reset();
    tracker.track('After');
    await test.advance(5000);
    expect(tracker.user()).toMatchObject({ userId: null, traits: {} });
    expect(tracks(test)[0]).toMatchObject({ anonymousId: tracker.anonymousId() });
    expect(tracker.anonymousId()).not.toBe(before);
  });

  it('starts a new session after 30 minutes of inactivity', async () => {
    const { test, tracker } = setup({ consentDefaults: ['analytics'] });
    tracker.track('One');
    await test.advance(29 * 60_000);
    tracker.track('Two');
    await test.advance(31 * 60_000);
    tracker.track('Three');
    await test.advance(5000);
    const sessions = tracks(test).map((e) => e.context?.sessionId);
    expect(sessions[0]).toBe(sessions[1]);
    expect(sessions[2]).not.toBe(sessions[1]);
  });

  it('maps the cart API to Segment e-commerce events', async () => {
    const { test, tracker } = setup({ consentDefaults: ['analytics'] });
    tracker.cart.view({ product_id: 'p1', price: 10 });
    tracker.cart.add({ product_id: 'p1', price: 10 });
    tracker.cart.remove({ product_id: 'p1' });
    tracker.cart.view();
    tracker.cart.checkout({ products: [{ product_id: 'p1', price: 10, quantity: 2 }] });
    tracker.cart.purchase({ order_id: 'o1', products: [{ product_id: 'p1', price: 10.5, quantity: 2 }] });
    await test.advance(5000);
    expect(tracks(test).map((e) => [e.event, e.properties?.quantity ?? e.properties?.revenue ?? null])).toEqual([
      ['Product Viewed', null],
      ['Product Added', 1],
      ['Product Removed', 1],
      ['Cart Viewed', null],
      ['Checkout Started', 20],
      ['Order Completed', 21],
    ]);
  });

  it('reads the segment back from the profile route, then from batch answers', async () => {
    const { test, tracker } = setup();
    const seen = vi.fn();
    tracker.onSegment(seen);
    test.collector.segment = { id: 'window-shoppers', name: 'Window shoppers' };
    tracker.consent.grant();
    await test.settle();
    expect(test.requests[0]?.url).toMatch(/^https:\/\/c\.test\/v1\/profile\?anonymousId=.+&writeKey=wk_test$/);
    expect(tracker.segment()).toEqual({ id: 'window-shoppers', name: 'Window shoppers' });
    test.collector.segment = { id: 'power-users', name: 'Power users' };
    tracker.track('Bought');
    await test.advance(5000);
    expect(seen.mock.calls.map((call) => call[0]?.id)).toEqual(['window-shoppers', 'power-users']);
  });

  it('shows the cached segment on the next page before the collector answers', async () => {
    const storage = createMemoryStorage();
    const first = setup({ consentDefaults: ['analytics', 'personalization'] }, createTestPlatform({ storage }));
    first.test.collector.segment = { id: 'loyal', name: 'Loyal' };
    await first.tracker.ready;
    await first.test.settle();
    const second = setup({ consentDefaults: ['analytics', 'personalization'] }, createTestPlatform({ storage }));
    second.test.respond = () => ({ status: 0, retryAfter: null, body: null });
    await second.tracker.ready;
    await second.test.settle();
    expect(second.tracker.segment()).toEqual({ id: 'loyal', name: 'Loyal' });
  });

  it('reports no segment without personalization consent', async () => {
    const { test, tracker } = setup({ consentDefaults: ['analytics'] });
    test.collector.segment = { id: 'loyal', name: 'Loyal' };
    const seen = vi.fn();
    tracker.onSegment(seen);
    await tracker.ready;
    await test.advance(5000);
    expect(seen).toHaveBeenCalledWith(null);
    expect(tracker.segment()).toBeNull();
    expect(test.requests.some((r) => r.method === 'GET')).toBe(false);
  });

  it('keeps a full pre-consent buffer and what is captured between grant() and activation', async () => {
    const { test, tracker } = setup({ maxPendingConsent: 3 });
    await tracker.ready;
    for (let i = 0; i < 4; i++) tracker.track(`Before ${i}`);
    tracker.consent.grant();
    tracker.track('Right after grant');
    await test.advance(5000);
    expect(tracks(test).map((e) => e.event)).toEqual(['Before 1', 'Before 2', 'Before 3', 'Right after grant']);
    expect(tracker.stats().droppedNoConsent).toBe(1);
  });

  it('runs capture plugins and their hide hooks before the hide flush', async () => {
    const order: string[] = [];
    const plugin: Plugin = (host) =>
      host.onHide(() => (order.push('hook'), host.track('Page Engagement', { activeMs: 5 })));
    const { test, tracker } = setup({ consentDefaults: ['analytics'], plugins: [plugin] });
    await tracker.ready;
    test.hide();
    await test.settle();
    expect(tracks(test).map((e) => e.event)).toEqual(['Page Engagement']);
    expect(test.requests.at(-1)?.keepalive).toBe(true);
    expect(order).toEqual(['hook']);
  });

  it('follows consent revoked in another tab', async () => {
    const storage = createMemoryStorage();
    const a = setup({}, createTestPlatform({ storage }));
    const b = setup({}, createTestPlatform({ storage: createMemoryStorage(storage) }));
    await Promise.all([a.tracker.ready, b.tracker.ready]);
    a.tracker.consent.grant();
    await a.test.settle();
    expect(b.tracker.consent.has('analytics')).toBe(true);
    a.tracker.consent.revoke();
    await a.test.settle();
    expect(b.tracker.consent.has('analytics')).toBe(false);
  });
});
