import { Random } from 'ml-random';

/** A seeded source of uniform numbers in [0, 1): every stage that draws takes one, so a seed fixes the output. */
export interface Rng {
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

/** Seeded xorshift-add generator from ml-random (the one ml-kmeans uses). */
export function createRng(seed: number): Rng {
  const random = new Random(seed);
  return {
    next: () => random.random(),
    int: (n) => random.randInt(n),
  };
}

/** `size` distinct indices in [0, n), in ascending order; all of them when `size >= n`. */
export function sampleIndices(n: number, size: number, rng: Rng): number[] {
  if (size >= n) return Array.from({ length: n }, (_, i) => i);
  const picked = new Set<number>();
  // Floyd's algorithm: exactly `size` draws, no rejection loop.
  for (let j = n - size; j < n; j++) {
    const t = rng.int(j + 1);
    picked.add(picked.has(t) ? j : t);
  }
  return [...picked].sort((a, b) => a - b);
}

/** `size` indices in [0, n) drawn with replacement (a bootstrap sample). */
export function bootstrapIndices(n: number, size: number, rng: Rng): number[] {
  return Array.from({ length: size }, () => rng.int(n));
}
