/**
 * Label keys with a meaning of their own, defined once: inventories and
 * pod lists spell the environment several ways, and discovery (groups
 * never mix environments), anomaly detection (crossings) and naming must
 * agree on which labels say it.
 */
export const ENVIRONMENT_LABEL_KEYS: readonly string[] = ['env', 'environment', 'k8s:env', 'k8s:environment'];

/** SQL list literal of the same keys, for queries over host_labels. */
export const environmentKeysSql = (): string => ENVIRONMENT_LABEL_KEYS.map((key) => `'${key.replaceAll("'", "''")}'`).join(', ');
