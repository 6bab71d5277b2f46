/**
 * Adjusted Rand index of two labelings of the same items (Hubert & Arabie
 * 1985): 1 for identical partitions, about 0 for chance agreement. Used to
 * measure discovered groups against ground truth.
 */
export function adjustedRandIndex(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) throw new RangeError(`labelings differ in length: ${a.length} vs ${b.length}`);
  const n = a.length;
  if (n < 2) return 1;
  const pairs = (count: number): number => (count * (count - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const columns = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const cell = `${a[i]}\u0000${b[i]}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    columns.set(b[i]!, (columns.get(b[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const count of cells.values()) index += pairs(count);
  let rowPairs = 0;
  for (const count of rows.values()) rowPairs += pairs(count);
  let columnPairs = 0;
  for (const count of columns.values()) columnPairs += pairs(count);
  const expected = (rowPairs * columnPairs) / pairs(n);
  const maximum = (rowPairs + columnPairs) / 2;
  // Both partitions all-singletons or all-one-cluster: identical iff the index is at its maximum.
  if (maximum === expected) return index === maximum ? 1 : 0;
  return (index - expected) / (maximum - expected);
}
