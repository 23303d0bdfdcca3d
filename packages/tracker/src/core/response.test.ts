import { describe, expect, it } from 'vitest';
import { classifyResponse } from './response.js';

const answer = (status: number, body: unknown = null, retryAfter: string | null = null) => ({
  status,
  body,
  retryAfter,
});

describe('classifyResponse', () => {
  it('acknowledges a 200 and passes rejections and the segment through', () => {
    const rejected = [{ index: 1, path: 'event', message: 'required' }];
    const segment = { id: 'power-users', name: 'Power users' };
    expect(classifyResponse(answer(200, { accepted: 1, duplicates: 2, rejected, segment }), 0)).toEqual({
      kind: 'ack',
      rejected,
      duplicates: 2,
      segment,
    });
  });

  it('tells an absent segment from a null one', () => {
    expect(classifyResponse(answer(200, { accepted: 1, rejected: [] }), 0)).toMatchObject({ segment: undefined });
    expect(classifyResponse(answer(200, { accepted: 1, rejected: [], segment: null }), 0)).toMatchObject({
      segment: null,
    });
  });

  it('honours Retry-After on 429 and 503', () => {
    expect(classifyResponse(answer(429, null, '3'), 0)).toEqual({ kind: 'retry', delayMs: 3000 });
    expect(classifyResponse(answer(503, null, '1'), 0)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(classifyResponse(answer(429), 0)).toEqual({ kind: 'retry', delayMs: null });
  });

  it('retries network failures, server errors and fixable configuration errors', () => {
    for (const status of [0, 500, 502, 401, 403]) expect(classifyResponse(answer(status), 0).kind).toBe('retry');
  });

  it('splits on 413 and drops what the collector will never accept', () => {
    expect(classifyResponse(answer(413), 0).kind).toBe('split');
    expect(classifyResponse(answer(400), 0).kind).toBe('drop');
    expect(classifyResponse(answer(422), 0).kind).toBe('drop');
  });
});
