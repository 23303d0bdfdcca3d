import type { LoupeEvent } from '@loupe/schema';
import { describe, expect, it } from 'vitest';
import { buildBatch } from './batch.js';

const event = (n: number, extra = ''): LoupeEvent => ({
  type: 'track',
  event: `e${n}${extra}`,
  messageId: `m${n}`,
  anonymousId: 'a',
});
const entries = (count: number, extra = '') =>
  Array.from({ length: count }, (_, i) => ({ key: i + 1, event: event(i, extra) }));

describe('buildBatch', () => {
  it('builds a Segment batch body with the envelope fields', () => {
    const batch = buildBatch(entries(2), { sentAt: '2024-01-01T00:00:00.000Z', writeKey: 'wk' }, 500_000);
    expect(JSON.parse(batch.body)).toEqual({
      batch: [event(0), event(1)],
      sentAt: '2024-01-01T00:00:00.000Z',
      writeKey: 'wk',
    });
    expect(batch.sent.map((e) => e.key)).toEqual([1, 2]);
  });

  it('stops before the body would exceed the size limit', () => {
    const batch = buildBatch(entries(10, 'x'.repeat(1000)), { writeKey: 'wk' }, 3500);
    expect(batch.sent).toHaveLength(3);
    expect(batch.body.length).toBeLessThanOrEqual(3500);
    expect(JSON.parse(batch.body).batch).toHaveLength(3);
  });

  it('always takes the first event, so one large event cannot block the queue', () => {
    const batch = buildBatch(entries(2, 'x'.repeat(5000)), {}, 1000);
    expect(batch.sent).toHaveLength(1);
    expect(JSON.parse(batch.body).batch).toHaveLength(1);
  });
});
