/**
 * Lists kept per key. Appending in place keeps building them linear: the
 * spread idiom (`map.set(k, [...(map.get(k) ?? []), v])`) copies the list on
 * every append, quadratic for a group of thousands of hosts.
 */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, values);
  else list.push(...values);
}

/** Items by key, each list in input order; keys in first-seen order. */
export function groupBy<K, V>(items: Iterable<V>, keyOf: (item: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const item of items) appendTo(groups, keyOf(item), item);
  return groups;
}
