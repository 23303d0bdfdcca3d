import type { LoupeEvent } from '@loupe/schema';
import { describe, expect, it } from 'vitest';
import { buildBatch, utf8Length } from './batch.js';

const event = (n: number, extra = ''): LoupeEvent => ({ type: 'track', event: `e${n}${extra}`, messageId: `m${n}`, anonymousId: 'a' });
const entries = (count: number, extra = '') => Array.from({ length: count }, (_, i) => ({ key: i + 1, event: event(i, extra) }));
const limits = { maxEventBytes: 32 * 1024, maxBodyBytes: 500 * 1024 };

describe('utf8Length', () => {
  it('counts bytes, not UTF-16 units', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });
});

describe('buildBatch', () => {
  it('builds a Segment batch body with the envelope fields', () => {
    const batch = buildBatch(entries(2), { sentAt: '2024-01-01T00:00:00.000Z', writeKey: 'wk' }, limits);
    expect(JSON.parse(batch.body)).toEqual({ batch: [event(0), event(1)], sentAt: '2024-01-01T00:00:00.000Z', writeKey: 'wk' });
    expect(batch.keys).toEqual([1, 2]);
  });

  it('stops before the body would exceed the request limit', () => {
    const batch = buildBatch(entries(10, 'x'.repeat(1000)), {}, { maxEventBytes: 32 * 1024, maxBodyBytes: 3500 });
    expect(batch.keys).toEqual([1, 2, 3]);
    expect(utf8Length(batch.body)).toBeLessThanOrEqual(3500);
  });

  it('sets aside events over the per-event limit', () => {
    const list = [...entries(1), { key: 9, event: event(9, 'y'.repeat(40_000)) }, { key: 10, event: event(10) }];
    const batch = buildBatch(list, {}, limits);
    expect(batch.oversize).toEqual([9]);
    expect(batch.keys).toEqual([1, 10]);
  });
});
