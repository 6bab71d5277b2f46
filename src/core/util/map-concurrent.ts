/**
 * `work` over every item with at most `limit` calls in flight, results in
 * the items' order. For I/O-bound steps over many files (opening and
 * sniffing inputs): sequential awaits leave the disk and the decompression
 * threads idle between files, while unbounded concurrency would open every
 * file at once.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
