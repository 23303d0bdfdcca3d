import type { LoupeEvent } from '@loupe/schema';
import { describe, expect, it } from 'vitest';
import { createTestPlatform } from '../testing/index.js';
import { createCoreTracker } from './create-core-tracker.js';

describe('onDelivered', () => {
  it('tells listeners which events the collector acknowledged, and stops when cancelled', async () => {
    const test = createTestPlatform();
    const tracker = createCoreTracker({ writeKey: 'wk_test', host: 'https://c.test', platform: test.platform });
    const seen: string[][] = [];
    const cancel = tracker.onDelivered((events: readonly LoupeEvent[]) =>
      seen.push(events.map((e) => (e.type === 'track' ? e.event : e.type))),
    );
    tracker.track('Before consent');
    await test.advance(5000);
    expect(seen).toEqual([]);
    tracker.consent.grant(['analytics']);
    tracker.track('After consent');
    await test.advance(5000);
    expect(seen.flat()).toEqual(['Before consent', 'After consent']);
    cancel();
    tracker.track('Unheard');
    await test.advance(5000);
    expect(seen.flat()).toEqual(['Before consent', 'After consent']);
    expect(test.collector.events).toHaveLength(3);
  });

  it('keeps capturing when a listener throws', async () => {
    const test = createTestPlatform();
    const tracker = createCoreTracker({ writeKey: 'wk_test', host: 'https://c.test', platform: test.platform });
    tracker.onDelivered(() => {
      throw new Error('panel bug');
    });
    tracker.consent.grant(['analytics']);
    tracker.track('One');
    await test.advance(5000);
    tracker.track('Two');
    await test.advance(5000);
    expect(test.collector.events).toHaveLength(2);
  });
});
