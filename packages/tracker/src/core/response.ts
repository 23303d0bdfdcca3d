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
export function classifyResponse({ status, body, retryAfter }: TransportResponse, now: number): Outcome {
  if (status > 199 && status < 300) {
    const answer = (body ?? {}) as Partial<BatchResponse>;
    return {
      kind: 'ack',
      rejected: answer.rejected ?? [],
      duplicates: answer.duplicates ?? 0,
      segment: answer.segment,
    };
  }
  if (status === 413) return { kind: 'split' };
  // 401/403/404 are configuration errors (key, origin, proxy path) an operator can fix: keep the events.
  if (status === 0 || status > 499 || status === 429 || [401, 403, 404, 408].includes(status)) {
    return { kind: 'retry', delayMs: status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : null };
  }
  return { kind: 'drop' };
}
