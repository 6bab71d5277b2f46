import { describe, expect, it } from 'vitest';
import { ANOMALY_DEFAULTS } from '../../../src/core/discover/anomalies';
import { ASSEMBLY_DEFAULTS } from '../../../src/core/discover/assemble-groups';
import { CUT_DEFAULTS } from '../../../src/core/discover/choose-cut';
import { DESCRIBE_DEFAULTS } from '../../../src/core/discover/describe-groups';
import { DISCOVERY_DEFAULTS } from '../../../src/core/discover/discover-groups';
import { analysisSettings, DISCOVERY_SETTING_SOURCES } from '../../../src/core/discover/discovery-settings';
import { GRAPH_DEFAULTS } from '../../../src/core/discover/graph-analysis';
import { GROUP_NAME_DEFAULTS } from '../../../src/core/discover/group-names';
import { HOST_FEATURE_DEFAULTS } from '../../../src/core/discover/host-features';
import { IDLE_REPLICA_DEFAULTS } from '../../../src/core/discover/idle-replicas';
import { JOIN_DEFAULTS } from '../../../src/core/discover/join-by-identity';
import { PARTIAL_CLIENT_DEFAULTS } from '../../../src/core/discover/partial-clients';
import { RARE_CALL_DEFAULTS } from '../../../src/core/discover/rare-call-replicas';
import { IDLE_MEMBER_DEFAULTS } from '../../../src/core/discover/idle-members';
import { NEGOTIATED_PORT_DEFAULTS } from '../../../src/core/discover/negotiated-ports';
import { REPLICA_DEFAULTS } from '../../../src/core/discover/replica-sets';
import { SIZE_SIGNATURE_DEFAULTS } from '../../../src/core/discover/size-signatures';
import { ESTATE_POOL_DEFAULTS } from '../../../src/core/discover/estate-pools';
import { ROLE_DEFAULTS } from '../../../src/core/discover/role-equivalence';
import { IDENTITY_SUBSET_DEFAULTS } from '../../../src/core/discover/identity-subsets';
import { MEDIA_HOST_DEFAULTS } from '../../../src/core/discover/media-hosts';
import { BLOCK_ROLE_DEFAULTS } from '../../../src/core/discover/block-roles';
import { BLOCK_POOL_DEFAULTS } from '../../../src/core/discover/block-pools';
import { QUIET_MEMBER_DEFAULTS } from '../../../src/core/discover/quiet-block-members';
import { NAME_SIBLING_DEFAULTS } from '../../../src/core/discover/name-siblings';
import { DOUBTED_ROW_DEFAULTS } from '../../../src/core/discover/doubted-rows';
import { STEADY_DIFFERENCE_DEFAULTS } from '../../../src/core/discover/steady-differences';
import { SERVICE_CLUSTER_DEFAULTS } from '../../../src/core/discover/service-clusters';
import { SITE_COPY_DEFAULTS } from '../../../src/core/discover/site-copies';
import { ROLLOUT_SUCCESSOR_DEFAULTS } from '../../../src/core/discover/rollout-successors';
import { canonicalJson } from '../../../src/core/policy/canonical-json';

describe('analysisSettings (what policy.json records of discovery and anomaly detection)', () => {
  it('holds every DEFAULTS object of discovery, under the names the schema documents', () => {
    const { discovery } = analysisSettings();
    expect(discovery).toEqual({
      groups: DISCOVERY_DEFAULTS,
      replicaSets: REPLICA_DEFAULTS,
      partialClients: PARTIAL_CLIENT_DEFAULTS,
      hostFeatures: HOST_FEATURE_DEFAULTS,
      cut: CUT_DEFAULTS,
      join: JOIN_DEFAULTS,
      idleReplicas: IDLE_REPLICA_DEFAULTS,
      idleMembers: IDLE_MEMBER_DEFAULTS,
      negotiatedPorts: NEGOTIATED_PORT_DEFAULTS,
      rareCallReplicas: RARE_CALL_DEFAULTS,
      sizeSignatures: SIZE_SIGNATURE_DEFAULTS,
      serviceClusters: SERVICE_CLUSTER_DEFAULTS,
      siteCopies: SITE_COPY_DEFAULTS,
      rolloutSuccessors: ROLLOUT_SUCCESSOR_DEFAULTS,
      roleEquivalence: ROLE_DEFAULTS,
      identitySubsets: IDENTITY_SUBSET_DEFAULTS,
      mediaHosts: MEDIA_HOST_DEFAULTS,
      blockRoles: BLOCK_ROLE_DEFAULTS,
      blockPools: BLOCK_POOL_DEFAULTS,
      quietBlockMembers: QUIET_MEMBER_DEFAULTS,
      nameSiblings: NAME_SIBLING_DEFAULTS,
      doubtedRows: DOUBTED_ROW_DEFAULTS,
      steadyDifferences: STEADY_DIFFERENCE_DEFAULTS,
      estatePools: ESTATE_POOL_DEFAULTS,
      assembly: ASSEMBLY_DEFAULTS,
      describe: DESCRIBE_DEFAULTS,
      groupNames: GROUP_NAME_DEFAULTS,
      graph: GRAPH_DEFAULTS,
      clusters: null,
    });
    expect(Object.keys(discovery).sort()).toEqual([...Object.keys(DISCOVERY_SETTING_SOURCES), 'clusters'].sort());
  });

  it('records the options given: the cut asked for, and the anomaly overrides merged over ANOMALY_DEFAULTS as findAnomalies merges them', () => {
    const settings = analysisSettings({ discovery: { clusters: 12, approved: [] }, anomalies: { scanTargets: 30, sharedEnvironments: ['corp'] } });
    expect(settings.discovery.clusters).toBe(12);
    expect(settings.anomalies).toEqual({ ...ANOMALY_DEFAULTS, scanTargets: 30, sharedEnvironments: ['corp'] });
    expect(analysisSettings().anomalies).toEqual(ANOMALY_DEFAULTS);
  });

  it('is plain JSON: it survives a round trip unchanged, and is the same on every call', () => {
    const settings = analysisSettings({ discovery: { clusters: 3 } });
    expect(JSON.parse(JSON.stringify(settings))).toEqual(settings);
    expect(canonicalJson(analysisSettings({ discovery: { clusters: 3 } }))).toBe(canonicalJson(settings));
    // A copy, not the constants themselves: nothing done to the record reaches the algorithms.
    expect(settings.discovery.cut).not.toBe(CUT_DEFAULTS);
  });

  it('refuses a value JSON cannot hold, naming the setting', () => {
    expect(() => analysisSettings({ anomalies: { scanTargets: Number.NaN } })).toThrow('setting anomalies.scanTargets is NaN, which JSON cannot hold');
    expect(() => analysisSettings({ anomalies: { envRounds: Infinity } })).toThrow('setting anomalies.envRounds is Infinity, which JSON cannot hold');
  });
});
