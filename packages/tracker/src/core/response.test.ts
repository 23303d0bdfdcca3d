import { describe, expect, it } from 'vitest';
import { isRetried } from './response.js';

describe('isRetried', () => {
  it('retries network failures, rate limits, server errors and fixable configuration errors', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 401, 403, 404]) expect(isRetried(status)).toBe(true);
  });

  it('does not retry an acknowledgement, a 413 (halved instead) or what the collector will never accept', () => {
    for (const status of [200, 202, 299, 413, 400, 422]) expect(isRetried(status)).toBe(false);
  });
});
