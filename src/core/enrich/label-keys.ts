/**
 * Every spelling an export gives each phrase, in the phrases' order (the
 * first spelling of the first phrase names the set): inventory keys are
 * header names in lower case (inventory.ts), and exports join a phrase's
 * words with a space ("Used for"), '_' (a field name, "used_for"), '-' or
 * nothing ("ApplicationName"); ServiceNow prefixes its custom fields "u_"
 * ("u_environment"). Kubernetes keys ("k8s:…") are listed as they are.
 */
function exportSpellings(phrases: readonly string[]): string[] {
  const spellings: string[] = [];
  for (const phrase of phrases) {
    const words = phrase.split(' ');
    spellings.push(...[' ', '_', '-', ''].map((separator) => words.join(separator)), `u_${words.join('_')}`);
  }
  return [...new Set(spellings)];
}

/**
 * Labels read from a pod list carry this prefix ("k8s:app"), which keeps
 * them apart from an inventory column of the same name and tells the
 * exports which labels a pod selector can match.
 */
export const POD_LABEL_PREFIX = 'k8s:';
/** The host label key of a pod label ("app" → "k8s:app"). */
export const podLabelKey = (key: string): string => `${POD_LABEL_PREFIX}${key}`;
export const isPodLabelKey = (key: string): boolean => key.startsWith(POD_LABEL_PREFIX);
/** The pod's own label key of a host label key ("k8s:app" → "app"); only for keys isPodLabelKey accepts. */
export const podLabelName = (key: string): string => key.slice(POD_LABEL_PREFIX.length);

/**
 * Label keys with a meaning of their own, defined once: inventories and
 * pod lists spell the environment several ways, and discovery (groups
 * never mix environments), anomaly detection (crossings) and naming must
 * agree on which labels say it.
 */
export const ENVIRONMENT_LABEL_KEYS: readonly string[] = [
  ...exportSpellings(['env', 'environment']),
  'k8s:env',
  'k8s:environment',
  // ServiceNow files every CI's environment under "Used for" (Production, QA, Development…), Device42 under
  // "Service Level"; tag exports often say "Stage" or "Deployment Environment". Not "Lifecycle": in CMDBs that
  // is the asset's state (Design, Operational, Retired), not where it runs.
  ...exportSpellings(['used for', 'service level', 'deployment environment', 'stage']),
];

/** SQL list literal of the same keys, for queries over host_labels. */
export const environmentKeysSql = (): string => ENVIRONMENT_LABEL_KEYS.map((key) => `'${key.replaceAll("'", "''")}'`).join(', ');

/**
 * Keys that name a host's application (inventories spell it both ways), in
 * the order they win when a host carries several. An OT asset list has no
 * application column but a zone (IEC 62443: the assets that share one
 * security policy, one per production line or cell), which is the unit a
 * segmentation policy is written for, as an application is in IT.
 */
export const APPLICATION_LABEL_KEYS: readonly string[] = exportSpellings([
  'app',
  'application',
  // CMDB exports name the application a CI supports as its business service or application (ServiceNow,
  // iTop's "application solution"), tag exports as an application or app name. Not a bare "service": an
  // inventory's "Service" column as often holds the software (IIS, SQL Server) as the business it serves.
  'application name',
  'app name',
  'business service',
  'business application',
  'application service',
  'application solution',
  'zone',
]);

/** Keys that name a host's tier or role within its application (an OT or biomedical asset list's asset or device type: PLC, HMI, I/O adapter). */
export const TIER_LABEL_KEYS: readonly string[] = exportSpellings(['tier', 'role', 'server role', 'application tier', 'app tier', 'function', 'component', 'asset type', 'device type']);

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
