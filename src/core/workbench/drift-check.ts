import type { InputFile } from '../ingest/source';
import { loadFlows, type AnalyzeControl, type AnalyzeEnvironment } from '../load-flows';
import { computeDrift, type Drift } from '../policy/drift';
import { loadPolicyEdges, loadPolicyHosts } from '../policy/load-policy-input';
import type { Policy } from '../policy/policy-model';
import { inputSummary, type InputSummary } from '../report/summary';

/**
 * The Drift view's check: newer exports loaded into a database of their
 * own and replayed against the policy as the analyst's work now has it
 * (computeDrift: what it would block, which rules nothing used, where new
 * hosts belong). Blocked edges are listed up to BLOCKED_LISTED, busiest
 * first; the counts are whole.
 */
export const BLOCKED_LISTED = 500;

export interface DriftCheck extends Omit<Drift, 'blocked'> {
  readonly blocked: Drift['blocked'];
  readonly blockedTotal: number;
  readonly inputs: readonly InputSummary[];
}

export async function driftCheck(env: AnalyzeEnvironment, policy: Policy, inputs: readonly InputFile[], control: AnalyzeControl = {}): Promise<DriftCheck> {
  // The ranges the policy was made with, so hosts are placed inside or outside alike.
  const loaded = await loadFlows(env, { inputs }, { internalCidrs: [...policy.settings.internalCidrs] }, control);
  const [edges, hosts] = await Promise.all([loadPolicyEdges(env.db), loadPolicyHosts(env.db)]);
  const drift = computeDrift(policy, edges, hosts);
  return { ...drift, blocked: drift.blocked.slice(0, BLOCKED_LISTED), blockedTotal: drift.blocked.length, inputs: loaded.reports.map(inputSummary) };
}
