import { describe, expect, it } from 'vitest';
import { classifyResponse, OUTCOME } from './response.js';

describe('classifyResponse', () => {
  it('acknowledges a 2xx', () => {
    for (const status of [200, 202, 299]) expect(classifyResponse(status)).toBe(OUTCOME.ack);
  });

  it('retries network failures, rate limits, server errors and fixable configuration errors', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 401, 403, 404])
      expect(classifyResponse(status)).toBe(OUTCOME.retry);
  });

  it('splits on 413 and drops what the collector will never accept', () => {
    expect(classifyResponse(413)).toBe(OUTCOME.split);
    expect(classifyResponse(400)).toBe(OUTCOME.drop);
    expect(classifyResponse(422)).toBe(OUTCOME.drop);
  });
});
