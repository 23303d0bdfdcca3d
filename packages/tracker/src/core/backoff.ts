export interface BackoffOptions {
  /** Retries so far (0 for the first retry). */
  attempt: number;
  minMs?: number;
  maxMs?: number;
  factor?: number;
  /** A number in [0, 1); injected so tests are deterministic. */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so pages that
 * failed together (a collector restart) do not retry together.
 */
export function backoff({
  attempt,
  minMs = 1000,
  maxMs = 60_000,
  factor = 2,
  random = Math.random,
}: BackoffOptions): number {
  const ceiling = Math.min(maxMs, minMs * factor ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
