import type { Policy } from '../policy/policy-model';
import { Workbench } from '../workbench/workbench';
import type { WorkspaceContent } from '../workspace/workspace-model';
import type { MeasureSnapshot } from './measures-model';

/**
 * Snapshots from what the CLI and the workbench hold: a workspace brings the
 * policy as the analyst left it (the edit log made again), its flows and
 * its anomalies with the ones accepted; a policy.json brings the policy only.
 */

export function snapshotOfWorkbench(name: string, bench: Workbench): MeasureSnapshot {
  const { policy: material, anomalies } = bench.material;
  return {
    name,
    policy: bench.policy(),
    flows: { edges: material.edges, replay: material.replay, hosts: material.hosts, flagged: material.flagged },
    anomalies: { found: anomalies.length, accepted: bench.state.acceptedAnomalies.size },
  };
}

export const snapshotOfWorkspace = (name: string, content: WorkspaceContent): MeasureSnapshot => snapshotOfWorkbench(name, Workbench.restore(content.material, content.log));

export const snapshotOfPolicy = (name: string, policy: Policy): MeasureSnapshot => ({ name, policy, flows: null, anomalies: null });
