import { describe, expect, it } from 'vitest';
import { backoff, parseRetryAfter } from './backoff.js';

describe('backoff', () => {
  it('doubles the ceiling with each attempt', () => {
    const top = (attempt: number) => backoff(attempt, () => 0.999999, 100);
    expect([0, 1, 2, 3].map(top)).toEqual([100, 200, 400, 800]);
  });

  it('never waits less than half the ceiling', () => {
    expect(backoff(3, () => 0, 100)).toBe(400);
  });

  it('caps the delay at maxMs', () => {
    expect(backoff(40, () => 0.999999, 1000, 30_000)).toBe(30_000);
  });

  it('spreads retries of pages that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoff(4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay seconds', () => {
    expect(parseRetryAfter('7', 0)).toBe(7000);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30_000);
  });

  it('never asks for a negative delay', () => {
    expect(parseRetryAfter('-5', 0)).toBe(0);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', Date.UTC(2024, 0, 2))).toBe(0);
  });

  it('returns null when the header is missing or unreadable', () => {
    expect(parseRetryAfter(null, 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});
