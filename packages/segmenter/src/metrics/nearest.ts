/** Squared Euclidean distance. */
export function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return sum;
}

/** Index of the centroid nearest to `point`, and its squared distance. */
export function nearestCentroid(
  point: readonly number[],
  centroids: readonly (readonly number[])[],
): { index: number; distance: number } {
  let index = -1;
  let distance = Number.POSITIVE_INFINITY;
  centroids.forEach((c, i) => {
    const d = squaredDistance(point, c);
    if (d < distance) {
      distance = d;
      index = i;
    }
  });
  return { index, distance };
}
