// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createCoreTracker } from '../core/create-core-tracker.js';
import { createTestPlatform } from '../testing/index.js';
import { namesOf, personalize, showRule } from './personalize.js';

const hidden = (id: string) => getComputedStyle(document.getElementById(id) as Element).display === 'none';

describe('personalize', () => {
  it('hides every data-loupe-show element while the segment is unknown', () => {
    expect(showRule()).toBe('[data-loupe-show]{display:none!important}');
  });

  it('keeps only the elements naming the segment by id or by name', () => {
    expect(namesOf({ id: 'seg_3', name: 'Power users' })).toEqual(['seg_3', 'power-users']);
    expect(showRule(['power-users'])).toBe(
      '[data-loupe-show]:not([data-loupe-show~="power-users"]){display:none!important}',
    );
    expect(namesOf(null)).toEqual(['default']);
  });

  it('marks the page and shows the matching content once the collector answers', async () => {
    document.body.innerHTML = '<p id="a" data-loupe-show="power-users">A</p><p id="b" data-loupe-show="default">B</p>';
    const test = createTestPlatform();
    test.collector.segment = { id: 'power-users', name: 'Power users' };
    const tracker = createCoreTracker({
      writeKey: 'wk',
      host: 'https://c.test',
      platform: test.platform,
      plugins: [personalize(60_000)],
    });
    expect([hidden('a'), hidden('b')]).toEqual([true, true]);
    tracker.consent.grant();
    await test.settle();
    expect(document.documentElement.dataset.loupeSegment).toBe('power-users');
    expect([hidden('a'), hidden('b')]).toEqual([false, true]);
    tracker.destroy();
  });
});
