/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so pages that
 * failed together (a collector restart) do not retry together. `attempt` counts retries so far
 * (0 for the first); `random` in [0, 1) is injected so tests are deterministic.
 */
export const backoff = (attempt: number, random = Math.random, minMs = 1000, maxMs = 60_000): number => {
  const ceiling = Math.min(maxMs, minMs * 2 ** attempt);
  return Math.round((ceiling * (1 + random())) / 2);
};

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const ms = Number.isFinite(+value) ? +value * 1000 : Date.parse(value) - now;
  return ms > 0 ? ms : ms <= 0 ? 0 : null;
}
