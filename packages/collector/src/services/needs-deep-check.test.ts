import { describe, expect, it } from 'vitest';
import { needsDeepCheck } from './needs-deep-check.js';

const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('needsDeepCheck', () => {
  it('lets an ordinary batch skip the deep scan', () => {
    const body = JSON.stringify({ batch: [{ type: 'track', event: 'Product Added', userId: 'u1', messageId: 'm1', properties: { price: 9.5, tags: ['a', 'b'], nested: { x: { y: 1 } } } }] });
    expect(needsDeepCheck(body)).toBe(false);
  });

  it('asks for the scan when a prototype key or a NUL escape appears anywhere', () => {
    for (const text of ['{"__proto__":{}}', '{"a":{"constructor":1}}', '{"prototype":1}', '{"a":"x\\u0000y"}']) {
      expect(needsDeepCheck(text), text).toBe(true);
    }
  });

  it('asks for the scan when a key is spelled with unicode escapes', () => {
    const text = '{"\\u005f_proto__":{"polluted":true}}';
    expect(JSON.parse(text)).toHaveProperty(['__proto__']);
    expect(needsDeepCheck(text)).toBe(true);
  });

  it('asks for the scan past the nesting bound, even with brackets hidden in strings before it', () => {
    expect(needsDeepCheck(nested(16))).toBe(false);
    expect(needsDeepCheck(nested(17))).toBe(true);
    const disguised = `{"a":"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]","b":${nested(40)}}`;
    expect(needsDeepCheck(disguised)).toBe(true);
  });

  it('does not count brackets inside strings or after escaped quotes as nesting', () => {
    expect(needsDeepCheck(JSON.stringify({ a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' }))).toBe(false);
    expect(needsDeepCheck('{"a":"say \\"[[[[[[[[[[[[[[[[[[[[[[[[[[[\\" loudly"}')).toBe(false);
  });
});
