// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createCoreTracker } from '../core/create-core-tracker.js';
import type { PluginHost } from '../core/types.js';
import { createTestPlatform } from '../testing/index.js';
import type { CartData } from './capture/cart-attributes.js';
import { startExtras } from './extras.js';

describe('startExtras (loupe-x.js)', () => {
  it('sends the cart clicks queued before it started, then takes the queue over: each click once', async () => {
    const test = createTestPlatform();
    let host: PluginHost | undefined;
    const tracker = createCoreTracker({
      writeKey: 'wk',
      host: 'https://c.test',
      platform: test.platform,
      consentDefaults: ['analytics'],
      plugins: [
        (h) => {
          host = h;
        },
      ],
    });
    const clicks: CartData[] = [{ loupeCart: 'add', productId: 'p-1', price: '9.5' }];
    const stop = startExtras(host as PluginHost, { views: false, cart: true, show: false }, undefined, clicks);
    expect(clicks).toHaveLength(0);
    clicks.push({ loupeCart: 'remove', productId: 'p-1' }, { loupeCart: 'checkout' });
    expect(clicks).toHaveLength(0);
    await tracker.flush();
    await test.settle();
    expect(
      test.collector.events.map((e) => [e.type === 'track' && e.event, e.type === 'track' && e.properties]),
    ).toEqual([
      ['Product Added', { product_id: 'p-1', price: 9.5, quantity: 1 }],
      ['Product Removed', { product_id: 'p-1', quantity: 1 }],
      ['Checkout Started', {}],
    ]);
    stop();
    tracker.destroy();
  });

  it('shows data-loupe-show content in the stylesheet loupe.js handed over, and removes it when stopped', async () => {
    document.body.innerHTML = '<p id="a" data-loupe-show="power-users">A</p><p id="b" data-loupe-show="default">B</p>';
    const test = createTestPlatform();
    test.collector.segment = { id: 'power-users', name: 'Power users' };
    let host: PluginHost | undefined;
    const tracker = createCoreTracker({
      writeKey: 'wk',
      host: 'https://c.test',
      platform: test.platform,
      plugins: [
        (h) => {
          host = h;
        },
      ],
    });
    const style = document.head.appendChild(document.createElement('style'));
    const stop = startExtras(host as PluginHost, { views: false, cart: false, show: 60_000 }, style, []);
    const hidden = (id: string) => getComputedStyle(document.getElementById(id) as Element).display === 'none';
    expect([hidden('a'), hidden('b')]).toEqual([true, true]);
    tracker.consent.grant();
    await test.settle();
    expect([hidden('a'), hidden('b')]).toEqual([false, true]);
    expect(document.head.querySelectorAll('style')).toHaveLength(1);
    stop();
    expect(style.isConnected).toBe(false);
    tracker.destroy();
  });
});
