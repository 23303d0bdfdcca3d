const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * Adjusted Rand index of two labelings of the same items: 1 for identical partitions (whatever the
 * label values), about 0 for chance agreement.
 */
export function adjustedRandIndex(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  if (a.length !== b.length) throw new RangeError('labelings differ in length');
  const n = a.length;
  if (n < 2) return 1;
  const table = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    const cell = `${x}\u0000${y}`;
    table.set(cell, (table.get(cell) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  let index = 0;
  for (const c of table.values()) index += pairs(c);
  let sumRows = 0;
  for (const c of rows.values()) sumRows += pairs(c);
  let sumCols = 0;
  for (const c of cols.values()) sumCols += pairs(c);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  // Both partitions trivial (one group, or all singletons): identical iff the sums agree.
  if (max === expected) return sumRows === sumCols ? 1 : 0;
  return (index - expected) / (max - expected);
}
