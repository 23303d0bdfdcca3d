export interface RateLimiter {
  /** Takes one token for `id`; returns 0 when allowed, else the seconds to wait. */
  take(id: string): number;
}

/**
 * Token buckets, one per id, refilled continuously at `perSecond` with a burst of two seconds'
 * worth. Idle buckets are swept so a flood of distinct ids cannot grow memory without bound.
 */
export function createRateLimiter({
  perSecond,
  now = () => performance.now(),
  maxIds = 100_000,
}: {
  perSecond: number;
  now?: () => number;
  maxIds?: number;
}): RateLimiter {
  // At least one request: below 0.5/s a two-second burst is under one token, and the cap would refuse every request forever.
  const burst = Math.max(1, perSecond * 2);
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(id) {
      if (perSecond <= 0) return 0;
      const t = now();
      let bucket = buckets.get(id);
      if (!bucket) {
        if (buckets.size >= maxIds) sweep(t);
        bucket = { tokens: burst, at: t };
        buckets.set(id, bucket);
      } else {
        bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
        bucket.at = t;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    },
  };

  function sweep(t: number): void {
    for (const [id, b] of buckets) {
      if (b.tokens + ((t - b.at) / 1000) * perSecond >= burst) buckets.delete(id);
    }
    // Still full of active ids: forget the oldest half rather than grow.
    if (buckets.size >= maxIds) {
      let n = 0;
      for (const id of buckets.keys()) {
        if (n++ > maxIds / 2) break;
        buckets.delete(id);
      }
    }
  }
}
