/** What to do with a batch after the collector's answer (see SPEC "Answers"). */
export const OUTCOME = {
  /** Stored (or known duplicates); the body's `rejected` were refused one by one and will never be accepted. */
  ack: 0,
  /** Try again later: after the server's Retry-After, or the backoff. */
  retry: 1,
  /** Too large for the collector: send fewer at once. */
  split: 2,
  /** The collector will never take this request as it is. */
  drop: 3,
} as const;
export type Outcome = (typeof OUTCOME)[keyof typeof OUTCOME];

// 401/403/404 are configuration errors (key, origin, proxy path) an operator can fix: keep the events.
const RETRIED = [0, 401, 403, 404, 408, 429];

export const classifyResponse = (status: number): Outcome =>
  status > 199 && status < 300
    ? OUTCOME.ack
    : status === 413
      ? OUTCOME.split
      : status > 499 || RETRIED.includes(status)
        ? OUTCOME.retry
        : OUTCOME.drop;
