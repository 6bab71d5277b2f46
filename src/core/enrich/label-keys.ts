/**
 * Label keys with a meaning of their own, defined once: inventories and
 * pod lists spell the environment several ways, and discovery (groups
 * never mix environments), anomaly detection (crossings) and naming must
 * agree on which labels say it.
 */
export const ENVIRONMENT_LABEL_KEYS: readonly string[] = ['env', 'environment', 'k8s:env', 'k8s:environment'];

/** SQL list literal of the same keys, for queries over host_labels. */
export const environmentKeysSql = (): string => ENVIRONMENT_LABEL_KEYS.map((key) => `'${key.replaceAll("'", "''")}'`).join(', ');

/**
 * Keys that name a host's application (inventories spell it both ways), in
 * the order they win when a host carries several. An OT asset list has no
 * application column but a zone (IEC 62443: the assets that share one
 * security policy, one per production line or cell), which is the unit a
 * segmentation policy is written for, as an application is in IT.
 */
export const APPLICATION_LABEL_KEYS: readonly string[] = ['app', 'application', 'zone'];

/** Keys that name a host's tier or role within its application (an OT or biomedical asset list's asset or device type: PLC, HMI, I/O adapter). */
export const TIER_LABEL_KEYS: readonly string[] = ['tier', 'role', 'asset type', 'device type'];

/**
 * The keys that say what `key` says: an identity key set names each part by
 * its first spelling ("env", "app", "tier"), and a host carries it under any
 * of them. Other keys stand for themselves.
 */
export function labelKeyAliases(key: string): readonly string[] {
  for (const keys of [ENVIRONMENT_LABEL_KEYS, APPLICATION_LABEL_KEYS, TIER_LABEL_KEYS]) if (keys[0] === key) return keys;
  return [key];
}

/** The label a host carries for `key` under any of its spellings (labelKeyAliases), the first spelling winning ("app" over "zone"). */
export function findLabel<L extends { readonly key: string }>(labels: readonly L[], key: string): L | undefined {
  for (const alias of labelKeyAliases(key)) {
    const label = labels.find((candidate) => candidate.key === alias);
    if (label !== undefined) return label;
  }
  return undefined;
}

/** The keys that together say which application tier an inventory files a host under (join-by-identity.ts, host-features.ts). */
export const INVENTORY_IDENTITY_KEYS: readonly string[] = ['env', 'app', 'tier'];

/**
 * The inventory identity keys an estate's lists use: all of
 * INVENTORY_IDENTITY_KEYS, less the environment where no host carries one
 * (a plant or a single-environment site keeps no such column, and its
 * applications and tiers still say which hosts are one workload). Where
 * no list carries both an application and a tier, all of them, which no
 * host then carries: an environment and a tier alone name no workload.
 */
export function inventoryIdentityKeys(hosts: readonly { readonly labels: readonly { readonly key: string }[] }[]): readonly string[] {
  const carried = new Set<string>();
  for (const host of hosts) for (const key of INVENTORY_IDENTITY_KEYS) if (findLabel(host.labels, key) !== undefined) carried.add(key);
  if (!carried.has('app') || !carried.has('tier')) return INVENTORY_IDENTITY_KEYS;
  return INVENTORY_IDENTITY_KEYS.filter((key) => key !== 'env' || carried.has('env'));
}
