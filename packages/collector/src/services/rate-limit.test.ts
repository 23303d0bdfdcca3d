import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

function fakeClock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createRateLimiter', () => {
  it('allows a burst of two seconds worth, then asks the caller to wait', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ perSecond: 5, now: clock.now });
    for (let i = 0; i < 10; i++) expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(1);
  });

  it('refills continuously with time', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ perSecond: 10, now: clock.now });
    for (let i = 0; i < 20; i++) limiter.take('k');
    expect(limiter.take('k')).toBeGreaterThan(0);
    clock.advance(100); // one token at 10/s
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBeGreaterThan(0);
    clock.advance(60_000);
    for (let i = 0; i < 20; i++) expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBeGreaterThan(0);
  });

  it('answers whole seconds to wait, at least one, longer for slow limits', () => {
    const clock = fakeClock();
    const fast = createRateLimiter({ perSecond: 100, now: clock.now });
    for (let i = 0; i < 200; i++) fast.take('k');
    expect(fast.take('k')).toBe(1);
    const slow = createRateLimiter({ perSecond: 0.25, now: clock.now });
    expect(slow.take('k')).toBe(0);
    expect(slow.take('k')).toBe(4);
  });

  it('lets a limit below one request per two seconds through at its rate instead of refusing forever', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ perSecond: 0.1, now: clock.now });
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(10);
    clock.advance(10_000);
    expect(limiter.take('k')).toBe(0);
  });

  it('keeps a separate bucket per id', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ perSecond: 1, now: clock.now });
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a')).toBeGreaterThan(0);
    expect(limiter.take('b')).toBe(0);
  });

  it('never limits when the rate is 0 (turned off)', () => {
    const limiter = createRateLimiter({ perSecond: 0, now: () => 0 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('k')).toBe(0);
  });

  it('forgets buckets instead of growing past maxIds under a flood of distinct ids', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ perSecond: 1, now: clock.now, maxIds: 100 });
    for (let i = 0; i < 10_000; i++) limiter.take(`ip-${i}`);
    // A forgotten id starts again with a full burst: the limiter still answers, and memory stayed bounded.
    expect(limiter.take('ip-0')).toBe(0);
  });
});
