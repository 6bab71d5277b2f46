import { ANOMALY_DEFAULTS, type AnomalyOptions } from './anomalies';
import { ASSEMBLY_DEFAULTS } from './assemble-groups';
import { CUT_DEFAULTS } from './choose-cut';
import { DESCRIBE_DEFAULTS } from './describe-groups';
import { DISCOVERY_DEFAULTS, type DiscoveryOptions } from './discover-groups';
import { GRAPH_DEFAULTS } from './graph-analysis';
import { GROUP_NAME_DEFAULTS } from './group-names';
import { HOST_FEATURE_DEFAULTS } from './host-features';
import { IDLE_MEMBER_DEFAULTS } from './idle-members';
import { NEGOTIATED_PORT_DEFAULTS } from './negotiated-ports';
import { IDLE_REPLICA_DEFAULTS } from './idle-replicas';
import { JOIN_DEFAULTS } from './join-by-identity';
import { PARTIAL_CLIENT_DEFAULTS } from './partial-clients';
import { RARE_CALL_DEFAULTS } from './rare-call-replicas';
import { REPLICA_DEFAULTS } from './replica-sets';
import { SIZE_SIGNATURE_DEFAULTS } from './size-signatures';
import { ESTATE_POOL_DEFAULTS } from './estate-pools';
import { ROLE_DEFAULTS } from './role-equivalence';
import { IDENTITY_SUBSET_DEFAULTS } from './identity-subsets';
import { MEDIA_HOST_DEFAULTS } from './media-hosts';
import { BLOCK_ROLE_DEFAULTS } from './block-roles';
import { BLOCK_POOL_DEFAULTS } from './block-pools';
import { QUIET_MEMBER_DEFAULTS } from './quiet-block-members';
import { NAME_SIBLING_DEFAULTS } from './name-siblings';
import { DOUBTED_ROW_DEFAULTS } from './doubted-rows';
import { STEADY_DIFFERENCE_DEFAULTS } from './steady-differences';
import { SERVICE_CLUSTER_DEFAULTS } from './service-clusters';
import { SITE_COPY_DEFAULTS } from './site-copies';
import { ROLLOUT_SUCCESSOR_DEFAULTS } from './rollout-successors';

/** A recorded setting: a number, a string, a flag, or a list or object of them (JSON-safe by construction). */
export type SettingValue = number | string | boolean | readonly SettingValue[] | { readonly [key: string]: SettingValue };

/** One algorithm's DEFAULTS object as recorded: setting name to value. */
export type SettingsBag = { readonly [name: string]: SettingValue };

/**
 * Each discovery algorithm's DEFAULTS, under a name of its own (the schema
 * says which constant each comes from), and the options the run was given.
 */
export interface DiscoverySettings {
  readonly groups: SettingsBag;
  readonly replicaSets: SettingsBag;
  readonly partialClients: SettingsBag;
  readonly hostFeatures: SettingsBag;
  readonly cut: SettingsBag;
  readonly join: SettingsBag;
  readonly idleReplicas: SettingsBag;
  readonly idleMembers: SettingsBag;
  readonly negotiatedPorts: SettingsBag;
  readonly rareCallReplicas: SettingsBag;
  readonly sizeSignatures: SettingsBag;
  readonly serviceClusters: SettingsBag;
  readonly siteCopies: SettingsBag;
  readonly rolloutSuccessors: SettingsBag;
  readonly roleEquivalence: SettingsBag;
  readonly identitySubsets: SettingsBag;
  readonly mediaHosts: SettingsBag;
  readonly blockRoles: SettingsBag;
  readonly blockPools: SettingsBag;
  readonly quietBlockMembers: SettingsBag;
  readonly nameSiblings: SettingsBag;
  readonly doubtedRows: SettingsBag;
  readonly steadyDifferences: SettingsBag;
  readonly estatePools: SettingsBag;
  readonly assembly: SettingsBag;
  readonly describe: SettingsBag;
  readonly groupNames: SettingsBag;
  readonly graph: SettingsBag;
  /** The dendrogram cut the analyst asked for (a number of clusters); null when the silhouette chose it. */
  readonly clusters: number | null;
}

/** The thresholds discovery and anomaly detection ran with, as policy.json records them. */
export interface AnalysisSettings {
  readonly discovery: DiscoverySettings;
  /** ANOMALY_DEFAULTS with the run's overrides applied, exactly as findAnomalies merges them. */
  readonly anomalies: SettingsBag;
}

/** Where each recorded discovery bag comes from; the JSON Schema's descriptions name them. */
export const DISCOVERY_SETTING_SOURCES = {
  groups: 'DISCOVERY_DEFAULTS (discover-groups.ts): feature-block weights and strict kinds of the clustered profiles',
  replicaSets: 'REPLICA_DEFAULTS (replica-sets.ts): when hosts are replicas of one another',
  partialClients: 'PARTIAL_CLIENT_DEFAULTS (partial-clients.ts): clients that met only some replicas',
  hostFeatures: 'HOST_FEATURE_DEFAULTS (host-features.ts): host profile features and their weights',
  cut: 'CUT_DEFAULTS (choose-cut.ts): which dendrogram cuts are scored',
  join: 'JOIN_DEFAULTS (join-by-identity.ts): groups of one workload identity that join',
  idleReplicas: 'IDLE_REPLICA_DEFAULTS (idle-replicas.ts): replicas only probers used that join their service',
  idleMembers: "IDLE_MEMBER_DEFAULTS (idle-members.ts): members that took none of their group's steady work, parted; the policy opens idle groups by the same chance (idle-groups.ts)",
  negotiatedPorts: 'NEGOTIATED_PORT_DEFAULTS (negotiated-ports.ts): media on ports call signalling hands out, left out of discovery; one range per cell in the rules',
  rareCallReplicas: 'RARE_CALL_DEFAULTS (rare-call-replicas.ts): replicas that only rare calls set apart, joined',
  sizeSignatures: 'SIZE_SIGNATURE_DEFAULTS (size-signatures.ts): look-alike services parted by bytes per connection',
  serviceClusters: 'SERVICE_CLUSTER_DEFAULTS (service-clusters.ts): servers of one service that replicate among themselves',
  siteCopies: 'SITE_COPY_DEFAULTS (site-copies.ts): server groups of sites built alike that serve the same services, joined',
  rolloutSuccessors: 'ROLLOUT_SUCCESSOR_DEFAULTS (rollout-successors.ts): hosts that stopped serving when others began serving the same clients, joined to them',
  roleEquivalence: 'ROLE_DEFAULTS (role-equivalence.ts): fragments of one tier that do the same work, merged bottom up',
  identitySubsets: 'IDENTITY_SUBSET_DEFAULTS (identity-subsets.ts): parts of one recorded tier that do only what their siblings do, joined',
  mediaHosts: 'MEDIA_HOST_DEFAULTS (media-hosts.ts): hosts exchanging media on negotiated ports, parted where a minority of their group',
  blockRoles: "BLOCK_ROLE_DEFAULTS (block-roles.ts): a client group's address blocks parted by what most of each block's hosts use and the rest do not",
  blockPools: 'BLOCK_POOL_DEFAULTS (block-pools.ts): client groups wholly in one address block joined when one uses all the other does',
  quietBlockMembers: "QUIET_MEMBER_DEFAULTS (quiet-block-members.ts): hosts that did only part of what their block's one group did, joined to it",
  nameSiblings: 'NAME_SIBLING_DEFAULTS (name-siblings.ts): hosts whose inventory names follow the convention of one group, and that served and used nothing it did not, joined to it',
  doubtedRows: "DOUBTED_ROW_DEFAULTS (doubted-rows.ts): inventory rows their host's name contradicts, where the estate's names follow the key; such a host is grouped as its namesakes' rows agree, or on behaviour alone",
  steadyDifferences: 'STEADY_DIFFERENCE_DEFAULTS (steady-differences.ts): members of a group that serve the same clients and keep back ends of their own, parted',
  estatePools: "ESTATE_POOL_DEFAULTS (estate-pools.ts): servers of one of the estate's services, each used by part of it, joined",
  assembly: 'ASSEMBLY_DEFAULTS (assemble-groups.ts): labels that separate groups',
  describe: 'DESCRIBE_DEFAULTS (describe-groups.ts): group names and host reasons',
  groupNames: 'GROUP_NAME_DEFAULTS (group-names.ts): role names from services',
  graph: 'GRAPH_DEFAULTS (graph-analysis.ts): infrastructure, tiers and communities',
} as const satisfies Record<Exclude<keyof DiscoverySettings, 'clusters'>, string>;

/**
 * Bags added after policy.json version 2 was first written: files written
 * before them lack them and stay valid (the schema does not require them).
 */
export const LATER_DISCOVERY_BAGS: readonly (keyof typeof DISCOVERY_SETTING_SOURCES)[] = ['idleReplicas', 'rareCallReplicas', 'sizeSignatures', 'serviceClusters', 'roleEquivalence', 'estatePools', 'idleMembers', 'negotiatedPorts', 'identitySubsets', 'mediaHosts', 'blockRoles', 'blockPools', 'siteCopies', 'rolloutSuccessors', 'quietBlockMembers', 'steadyDifferences', 'nameSiblings', 'doubtedRows'];

/**
 * The discovery and anomaly settings of a run, as a plain JSON value: every
 * DEFAULTS object of discovery, the cut asked for, and ANOMALY_DEFAULTS
 * merged with the overrides given to findAnomalies. Pure; key order does not
 * matter (canonical JSON sorts keys), list order is the constants' own.
 */
export function analysisSettings(options: { readonly discovery?: DiscoveryOptions; readonly anomalies?: Partial<AnomalyOptions> } = {}): AnalysisSettings {
  const anomalies: AnomalyOptions = { ...ANOMALY_DEFAULTS, ...options.anomalies };
  return {
    discovery: {
      groups: bag(DISCOVERY_DEFAULTS, 'groups'),
      replicaSets: bag(REPLICA_DEFAULTS, 'replicaSets'),
      partialClients: bag(PARTIAL_CLIENT_DEFAULTS, 'partialClients'),
      hostFeatures: bag(HOST_FEATURE_DEFAULTS, 'hostFeatures'),
      cut: bag(CUT_DEFAULTS, 'cut'),
      join: bag(JOIN_DEFAULTS, 'join'),
      idleReplicas: bag(IDLE_REPLICA_DEFAULTS, 'idleReplicas'),
      idleMembers: bag(IDLE_MEMBER_DEFAULTS, 'idleMembers'),
      negotiatedPorts: bag(NEGOTIATED_PORT_DEFAULTS, 'negotiatedPorts'),
      rareCallReplicas: bag(RARE_CALL_DEFAULTS, 'rareCallReplicas'),
      sizeSignatures: bag(SIZE_SIGNATURE_DEFAULTS, 'sizeSignatures'),
      serviceClusters: bag(SERVICE_CLUSTER_DEFAULTS, 'serviceClusters'),
      siteCopies: bag(SITE_COPY_DEFAULTS, 'siteCopies'),
      rolloutSuccessors: bag(ROLLOUT_SUCCESSOR_DEFAULTS, 'rolloutSuccessors'),
      roleEquivalence: bag(ROLE_DEFAULTS, 'roleEquivalence'),
      identitySubsets: bag(IDENTITY_SUBSET_DEFAULTS, 'identitySubsets'),
      mediaHosts: bag(MEDIA_HOST_DEFAULTS, 'mediaHosts'),
      blockRoles: bag(BLOCK_ROLE_DEFAULTS, 'blockRoles'),
      blockPools: bag(BLOCK_POOL_DEFAULTS, 'blockPools'),
      quietBlockMembers: bag(QUIET_MEMBER_DEFAULTS, 'quietBlockMembers'),
      nameSiblings: bag(NAME_SIBLING_DEFAULTS, 'nameSiblings'),
      doubtedRows: bag(DOUBTED_ROW_DEFAULTS, 'doubtedRows'),
      steadyDifferences: bag(STEADY_DIFFERENCE_DEFAULTS, 'steadyDifferences'),
      estatePools: bag(ESTATE_POOL_DEFAULTS, 'estatePools'),
      assembly: bag(ASSEMBLY_DEFAULTS, 'assembly'),
      describe: bag(DESCRIBE_DEFAULTS, 'describe'),
      groupNames: bag(GROUP_NAME_DEFAULTS, 'groupNames'),
      graph: bag(GRAPH_DEFAULTS, 'graph'),
      clusters: options.discovery?.clusters ?? null,
    },
    anomalies: bag(anomalies, 'anomalies'),
  };
}

function bag(value: object, path: string): SettingsBag {
  return settingValue(value, path) as SettingsBag;
}

/**
 * A deep copy holding only what JSON keeps exactly; anything else (a
 * function, NaN, a Map) is a programming error in a DEFAULTS object and
 * throws, naming the setting. Undefined entries are left out, as JSON would.
 */
function settingValue(value: unknown, path: string): SettingValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`setting ${path} is ${value}, which JSON cannot hold`);
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const list: SettingValue[] = [];
    value.forEach((entry, index) => list.push(settingValue(entry, `${path}[${index}]`)));
    return list;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, SettingValue> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== undefined) copy[key] = settingValue(entry, `${path}.${key}`);
    }
    return copy;
  }
  throw new Error(`setting ${path} is not a number, string, flag, list or plain object`);
}
