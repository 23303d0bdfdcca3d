import type { BatchResponse, RejectedEvent, SegmentRef } from '@loupe/schema';
import { parseRetryAfter } from './backoff.js';
import type { TransportResponse } from './platform.js';

export type Outcome =
  /** Stored (or known duplicates); `rejected` were refused one by one and will never be accepted. */
  | { kind: 'ack'; rejected: RejectedEvent[]; duplicates: number; segment: SegmentRef | null | undefined }
  /** Try again later; `delayMs` is the server's Retry-After, null to use backoff. */
  | { kind: 'retry'; delayMs: number | null }
  /** Too large for the collector: send fewer at once. */
  | { kind: 'split' }
  /** The collector will never take this request as it is. */
  | { kind: 'drop' };

/** What to do with a batch after the collector's answer (see SPEC "Answers"). */
export function classifyResponse(response: TransportResponse, now: number): Outcome {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const body = (response.body ?? {}) as Partial<BatchResponse>;
    return {
      kind: 'ack',
      rejected: Array.isArray(body.rejected) ? body.rejected : [],
      duplicates: typeof body.duplicates === 'number' ? body.duplicates : 0,
      segment: 'segment' in body ? body.segment : undefined,
    };
  }
  if (status === 413) return { kind: 'split' };
  if (status === 429 || status === 503) return { kind: 'retry', delayMs: parseRetryAfter(response.retryAfter, now) };
  // 401/403/404 are configuration errors (key, origin, proxy path) an operator can fix: keep the events.
  if (status === 0 || status >= 500 || status === 401 || status === 403 || status === 404 || status === 408) {
    return { kind: 'retry', delayMs: null };
  }
  return { kind: 'drop' };
}
