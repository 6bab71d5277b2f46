import { ENVIRONMENT_LABEL_KEYS, APPLICATION_LABEL_KEYS, TIER_LABEL_KEYS } from '../enrich/label-keys';

/**
 * Inventory columns that name hosts rather than groups: an EC2 export's
 * instance id, an asset tag, a serial or MAC column. Every host carries its
 * own value, so as a label it can only push replicas apart (each adds a
 * feature no other host shares) and, as a name, tell a group by one
 * member. Such a key is kept on the hosts (hosts.csv shows it) but neither
 * groups nor names.
 */

/** Keys that say what a host is for never count as identifiers, however many single-host applications an estate has. */
const MEANINGFUL = new Set([...ENVIRONMENT_LABEL_KEYS, ...APPLICATION_LABEL_KEYS, ...TIER_LABEL_KEYS]);

/**
 * The identifier keys among the hosts' labels (see above): carried by at
 * least `minCarriers` hosts (HOST_FEATURE_DEFAULTS.identifierMinCarriers says
 * why ten), no two with the same value. Independent of host order.
 */
export function identifierLabelKeys(hosts: readonly { readonly labels: readonly { readonly key: string; readonly value: string }[] }[], minCarriers: number): Set<string> {
  const values = new Map<string, Set<string>>();
  const carriers = new Map<string, number>();
  for (const host of hosts) {
    for (const { key, value } of host.labels) {
      if (MEANINGFUL.has(key)) continue;
      let seen = values.get(key);
      if (seen === undefined) values.set(key, (seen = new Set()));
      seen.add(value);
      carriers.set(key, (carriers.get(key) ?? 0) + 1);
    }
  }
  const identifiers = new Set<string>();
  for (const [key, count] of carriers) if (count >= minCarriers && values.get(key)!.size === count) identifiers.add(key);
  return identifiers;
}
