/**
 * Lists kept per key. Appending in place keeps building them linear: the
 * spread idiom (`map.set(k, [...(map.get(k) ?? []), v])`) copies the list on
 * every append, quadratic for a group of thousands of hosts.
 */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, values);
  // One push per value: a spread of thousands of hosts can overflow the call stack.
  else for (const value of values) list.push(value);
}

/** The value under `key`, made and stored first when there is none. */
export function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Items by key, each list in input order; keys in first-seen order. */
export function groupBy<K, V>(items: Iterable<V>, keyOf: (item: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const item of items) appendTo(groups, keyOf(item), item);
  return groups;
}
