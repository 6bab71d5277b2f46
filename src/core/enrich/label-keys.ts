/**
 * Label keys with a meaning of their own, defined once: inventories and
 * pod lists spell the environment several ways, and discovery (groups
 * never mix environments), anomaly detection (crossings) and naming must
 * agree on which labels say it.
 */
export const ENVIRONMENT_LABEL_KEYS: readonly string[] = ['env', 'environment', 'k8s:env', 'k8s:environment'];

/** SQL list literal of the same keys, for queries over host_labels. */
export const environmentKeysSql = (): string => ENVIRONMENT_LABEL_KEYS.map((key) => `'${key.replaceAll("'", "''")}'`).join(', ');

/** Keys that name a host's application (inventories spell it both ways). */
export const APPLICATION_LABEL_KEYS: readonly string[] = ['app', 'application'];

/** Keys that name a host's tier or role within its application. */
export const TIER_LABEL_KEYS: readonly string[] = ['tier', 'role'];

/**
 * The keys that say what `key` says: an identity key set names each part by
 * its first spelling ("env", "app", "tier"), and a host carries it under any
 * of them. Other keys stand for themselves.
 */
export function labelKeyAliases(key: string): readonly string[] {
  for (const keys of [ENVIRONMENT_LABEL_KEYS, APPLICATION_LABEL_KEYS, TIER_LABEL_KEYS]) if (keys[0] === key) return keys;
  return [key];
}

/** The label a host carries for `key` under any of its spellings (labelKeyAliases), first in the host's order. */
export function findLabel<L extends { readonly key: string }>(labels: readonly L[], key: string): L | undefined {
  const aliases = labelKeyAliases(key);
  return labels.find((label) => aliases.includes(label.key));
}

/** The keys that together say which application tier an inventory files a host under (join-by-identity.ts, host-features.ts). */
export const INVENTORY_IDENTITY_KEYS: readonly string[] = ['env', 'app', 'tier'];
