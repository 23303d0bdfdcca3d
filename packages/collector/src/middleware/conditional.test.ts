import { describe, expect, it } from 'vitest';
import { noneMatch, pickCoding } from './conditional.js';

describe('pickCoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'], // Chromium's header
    ['gzip, deflate', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['deflate', 'identity'],
    ['identity', 'identity'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['br; q=0 , gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0.3, br;q=0', 'gzip'],
    ['gzip;q=0, *', 'br'],
    ['br;q=abc', 'br'], // a malformed q-value is ignored
    [',,;q=1', 'identity'],
  ])('Accept-Encoding %j → %s', (header, coding) => {
    expect(pickCoding(header)).toBe(coding);
  });
});

describe('noneMatch', () => {
  it('compares weakly, takes lists and *, and is false without a header', () => {
    expect(noneMatch('"a"', '"a"')).toBe(true);
    expect(noneMatch('W/"a"', '"a"')).toBe(true);
    expect(noneMatch('"b", W/"a"', '"a"')).toBe(true);
    expect(noneMatch('*', '"a"')).toBe(true);
    expect(noneMatch('"a-br"', '"a"')).toBe(false);
    expect(noneMatch('"b"', '"a"')).toBe(false);
    expect(noneMatch(undefined, '"a"')).toBe(false);
  });
});
