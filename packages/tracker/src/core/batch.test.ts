import type { LoupeEvent } from '@loupe/schema';
import { describe, expect, it } from 'vitest';
import { buildBatch } from './batch.js';

const event = (n: number, extra = ''): LoupeEvent => ({
  type: 'track',
  event: `e${n}${extra}`,
  messageId: `m${n}`,
  anonymousId: 'a',
});
const events = (count: number, extra = '') => Array.from({ length: count }, (_, i) => event(i, extra));

describe('buildBatch', () => {
  it('builds a Segment batch body with the envelope fields', () => {
    const [body, count] = buildBatch(events(2), { sentAt: '2024-01-01T00:00:00.000Z', writeKey: 'wk' }, 500_000);
    expect(JSON.parse(body)).toEqual({
      batch: [event(0), event(1)],
      sentAt: '2024-01-01T00:00:00.000Z',
      writeKey: 'wk',
    });
    expect(count).toBe(2);
  });

  it('stops before the body would exceed the size limit', () => {
    const [body, count] = buildBatch(events(10, 'x'.repeat(1000)), { writeKey: 'wk' }, 3500);
    expect(count).toBe(3);
    expect(body.length).toBeLessThanOrEqual(3500);
    expect(JSON.parse(body).batch).toHaveLength(3);
  });

  it('always takes the first event, so one large event cannot block the queue', () => {
    const [body, count] = buildBatch(events(2, 'x'.repeat(5000)), {}, 1000);
    expect(count).toBe(1);
    expect(JSON.parse(body).batch).toHaveLength(1);
  });
});
