import { AddressScopes, parseCidr, type Cidr } from '../enrich/address-scope';
import { GroupStages } from '../policy/enforcement-stage';
import type { PolicyEdge, PolicyHost } from '../policy/policy-input';
import type { Policy, StageAuditEntry } from '../policy/policy-model';
import { hostOf } from '../policy/simulate';
import { applyStageDecision, type StageRequest } from '../policy/stage-decisions';
import { WorkbenchError } from './workbench-state';

/**
 * The workbench's stage decisions, applied by core applyStageDecision
 * exactly as `flowfence stage` applies them, so the exported policy's
 * groups and audit trail are the ones the CLI would have written.
 *
 * The what-if session replays every edge as if every group were enforced
 * (it knows nothing of stages); the stages' say comes after, here: a flow
 * the rules would block passes, logged, when the stage of the group that
 * filters its edge observes it (the simulator's own rule, underStage).
 */

export type PolicyContent = Omit<Policy, 'contentSha256'>;

/** The request that records this audit entry again (same group, setting, who, why and ticket). */
export const requestOf = (entry: StageAuditEntry): StageRequest => ({
  group: entry.group,
  stage: entry.stage,
  services: entry.services,
  canary: entry.canary,
  override: entry.override,
  by: entry.by,
  why: entry.why,
  ticket: entry.ticket,
});

/**
 * The policy content with the stage decisions applied in order. A decision
 * the policy no longer allows (a regrouping took away a service its
 * selective stage listed) is left out, as the CLI would refuse it.
 */
export function withStages(content: PolicyContent, audit: readonly StageAuditEntry[]): PolicyContent {
  if (audit.length === 0) return content;
  let staged = lightPolicy(content);
  for (const entry of audit) {
    const result = applyStageDecision(staged, requestOf(entry), entry.at);
    if (result.ok) staged = result.policy;
  }
  const stages = new Map(staged.groups.map((group) => [group.id, group.stage]));
  return { ...content, groups: content.groups.map((group) => (stages.get(group.id) === undefined ? group : { ...group, stage: stages.get(group.id)! })), audit: staged.audit };
}

/** The audit entry a new decision records on this (already staged) content; throws with core's reason when it refuses. */
export function decideStage(content: PolicyContent, request: StageRequest, at: string): StageAuditEntry {
  const result = applyStageDecision(lightPolicy(content), request, at);
  if (!result.ok) throw new WorkbenchError(result.reason);
  return result.entry;
}

/**
 * applyStageDecision reads only the groups' ids and kinds, the services and
 * the audit trail, and reseals what it is given: given the policy without
 * its rules (their evidence is most of the bytes) and without the groups'
 * members, a decision hashes little. The digest it computes is discarded
 * (the file's is computed once over the whole policy when it is written),
 * and the stages it sets are put on the whole groups (withStages).
 */
const lightPolicy = (content: PolicyContent): Policy => ({ ...content, groups: content.groups.map((group) => ({ ...group, members: [] })), rules: [], pods: [], contentSha256: '' });

/** Per replayed edge, the flows the rules would block split by what the stages do with them. */
export interface StagedFlows {
  /** Pass, logged: the filtering group's stage observes them. */
  readonly logged: readonly number[];
  /** Blocked under the stages as they are. */
  readonly blocked: readonly number[];
  /** Per group id whose stage logs them, the replayed edges logged instead of blocked. */
  readonly loggedByGroup: ReadonlyMap<string, number>;
}

export interface StagedReplayInput {
  readonly content: Pick<PolicyContent, 'groups' | 'services' | 'settings'>;
  readonly replay: readonly PolicyEdge[];
  readonly hosts: ReadonlyMap<string, PolicyHost>;
  /** The what-if session's blocked flows per replayed edge, every group enforced. */
  readonly escapedFlows: readonly number[];
  /** Each replayed edge's own client and server group ids (the session's placement). */
  readonly clientGroup: readonly string[];
  readonly serverGroup: readonly string[];
}

export function stagedFlows(input: StagedReplayInput): StagedFlows {
  const stages = GroupStages.of(input.content);
  // The policy's own internal ranges decide a server's scope, as the simulator's do: a server no record describes
  // is filtered by its own group's stage when internal, by its client's when outside.
  const scopes = new AddressScopes(input.content.settings.internalCidrs.map(parseCidr).filter((cidr): cidr is Cidr => cidr !== null));
  const logged: number[] = [];
  const blocked: number[] = [];
  const loggedByGroup = new Map<string, number>();
  input.replay.forEach((edge, number) => {
    const escaped = input.escapedFlows[number]!;
    if (escaped === 0 || stages.allEnforced) {
      logged.push(0);
      blocked.push(escaped);
      return;
    }
    const ruling = stages.ruling([input.clientGroup[number]!], [input.serverGroup[number]!], hostOf(edge.server, input.hosts, scopes).scope, edge.proto, edge.port);
    logged.push(ruling.enforced ? 0 : escaped);
    blocked.push(ruling.enforced ? escaped : 0);
    if (!ruling.enforced && ruling.group !== null) loggedByGroup.set(ruling.group, (loggedByGroup.get(ruling.group) ?? 0) + 1);
  });
  return { logged, blocked, loggedByGroup };
}

/** Edges and flows in one figure. */
export interface EdgeFlows {
  readonly edges: number;
  readonly flows: number;
}

/** What a step changed under the stages: edges whose flows are now only logged, and edges now blocked. */
export interface StageChange {
  readonly nowLogged: EdgeFlows;
  readonly nowBlocked: EdgeFlows;
}

export function stageChange(before: StagedFlows, after: StagedFlows): StageChange {
  return { nowLogged: increases(before.logged, after.logged), nowBlocked: increases(before.blocked, after.blocked) };
}

export function totalOf(flows: readonly number[]): EdgeFlows {
  let edges = 0;
  let total = 0;
  for (const value of flows) {
    if (value === 0) continue;
    edges++;
    total += value;
  }
  return { edges, flows: total };
}

function increases(before: readonly number[], after: readonly number[]): EdgeFlows {
  let edges = 0;
  let flows = 0;
  after.forEach((now, number) => {
    const then = before[number]!;
    if (now <= then) return;
    edges++;
    flows += now - then;
  });
  return { edges, flows };
}
