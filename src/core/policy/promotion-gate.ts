import { ENVIRONMENT_LABEL_KEYS } from '../enrich/label-keys';
import { Action } from '../flow/record';
import { compareText } from '../util/compare';
import { canonicalServices, GroupStages, isStageable, serviceCovers } from './enforcement-stage';
import type { PolicyEdge, PolicyHost } from './policy-input';
import type { EnforcementStage, Policy, PolicyGroup, PolicyService, StageSetting } from './policy-model';
import { PolicyEvaluator } from './simulate';

/**
 * The promotion gate (flowfence simulate --stage-check): over the newest
 * flows, per internal group, the traffic its current stage blocks (a
 * rollback trigger: something enforced breaks what runs today), the
 * traffic its next stage would block, and how many whole days have passed
 * since the last of it. A group is proposed for promotion once that count
 * reaches the quiet days asked for, or when an analyst recorded an override.
 *
 * The ladder: observe → selective on the services the policy's rules open
 * on the group (what the analysis knows the group serves; enforce directly
 * when the rules open none) → enforce. "Traffic" is every edge allowed today
 * (refused today is nobody's to break); an edge's last flow stands for the
 * last time it would have broken, which can only make the quiet count
 * shorter (a windowed edge may have broken earlier), never longer.
 */

/**
 * Two weeks: every weekly pattern (a weekday batch, a weekend backup, a
 * Monday report) shows at least twice, so one collection gap or one skipped
 * run cannot make a broken weekly job look quiet. It is not fitted to any
 * data set; a group with monthly or quarterly jobs needs --quiet-days to
 * cover them, and the report says the window the flows cover.
 */
export const DEFAULT_QUIET_DAYS = 14;
const MS_PER_DAY = 86_400_000;

export interface GateEdge {
  readonly client: string;
  readonly server: string;
  readonly proto: number;
  readonly port: number;
  /** Flows the rules would block. */
  readonly flows: number;
  readonly lastSeen: string | null;
  readonly reason: string;
}

export interface GroupGate {
  readonly group: string;
  readonly name: string;
  readonly setting: StageSetting;
  /** The next stage, null when enforced already. */
  readonly next: { readonly stage: EnforcementStage; readonly services: readonly string[] } | null;
  /** Allowed-today edges the current stage blocks: the rollback trigger. */
  readonly blockedNow: readonly GateEdge[];
  /** Allowed-today edges the next stage would block that the current one lets through. */
  readonly nextWouldBlock: readonly GateEdge[];
  /** Whole days from the last flow the next stage would block (or the start of the flows, when none) to the end of the flows. */
  readonly quietDays: number;
  /** Distinct client addresses of the group's traffic. */
  readonly clients: number;
  /** Criticality rank from the group's labels (0 low … 3 critical; 1 when unlabelled), and what it was read from. */
  readonly criticality: { readonly rank: number; readonly from: string };
  readonly proposal: 'enforced' | 'promote' | 'promote-override' | 'wait';
  /** 1-based place in the proposed promotion order; null for enforced groups. */
  readonly order: number | null;
}

export interface StageCheck {
  readonly quietDays: number;
  readonly window: { readonly from: string | null; readonly to: string | null; readonly days: number };
  readonly groups: readonly GroupGate[];
  /** Some stage blocks traffic allowed today: roll back. */
  readonly rollback: boolean;
}

export function stageCheck(policy: Policy, edges: readonly PolicyEdge[], hosts: ReadonlyMap<string, PolicyHost>, quietDays: number = DEFAULT_QUIET_DAYS): StageCheck {
  const evaluator = PolicyEvaluator.of(policy);
  const stages = GroupStages.of(policy);
  const services = new Map(policy.services.map((service) => [service.id, service]));
  const allowed = edges.filter((edge) => edge.action !== Action.deny);
  let first = Infinity;
  let last = -Infinity;
  for (const edge of allowed) {
    if (edge.firstMs !== null) first = Math.min(first, edge.firstMs);
    if (edge.lastMs !== null) last = Math.max(last, edge.lastMs);
  }
  const byGroup = new Map<string, PolicyEdge[]>();
  for (const edge of allowed) {
    const group = evaluator.filteringGroup(edge, hosts, stages);
    if (group === null) continue;
    let list = byGroup.get(group);
    if (list === undefined) byGroup.set(group, (list = []));
    list.push(edge);
  }
  const gates = policy.groups.filter(isStageable).map((group) => {
    const setting = stages.setting(group.id);
    const next = nextStage(policy, group.id, setting);
    const blockedNow: GateEdge[] = [];
    const nextWouldBlock: GateEdge[] = [];
    const clients = new Set<string>();
    let lastBreak = -Infinity;
    for (const edge of byGroup.get(group.id) ?? []) {
      clients.add(edge.client);
      const verdict = evaluator.enforcedVerdict(edge, hosts);
      if (verdict.escapedFlows === 0) continue;
      const gateEdge: GateEdge = { client: edge.client, server: edge.server, proto: edge.proto, port: edge.port, flows: verdict.escapedFlows, lastSeen: edge.lastMs === null ? null : new Date(edge.lastMs).toISOString(), reason: verdict.reason };
      if (enforces(setting, services, edge)) blockedNow.push(gateEdge);
      else if (next !== null && enforces(next, services, edge)) {
        nextWouldBlock.push(gateEdge);
        lastBreak = Math.max(lastBreak, edge.lastMs ?? last);
      }
    }
    const quiet = Number.isFinite(last) ? Math.floor((last - (Number.isFinite(lastBreak) ? lastBreak : first)) / MS_PER_DAY) : 0;
    // A group whose current stage already blocks traffic allowed today needs rolling back, never promoting, whatever its quiet days or override.
    const proposal: GroupGate['proposal'] = next === null ? 'enforced' : blockedNow.length > 0 ? 'wait' : quiet >= quietDays ? 'promote' : setting.override ? 'promote-override' : 'wait';
    return { group: group.id, name: group.name, setting, next, blockedNow: ordered(blockedNow, hosts), nextWouldBlock: ordered(nextWouldBlock, hosts), quietDays: quiet, clients: clients.size, criticality: criticalityOf(group), proposal, order: null };
  });
  return {
    quietDays,
    window: { from: Number.isFinite(first) ? new Date(first).toISOString() : null, to: Number.isFinite(last) ? new Date(last).toISOString() : null, days: Number.isFinite(last) ? Math.floor((last - first) / MS_PER_DAY) : 0 },
    groups: withOrder(gates),
    rollback: gates.some((gate) => gate.blockedNow.length > 0),
  };
}

/** observe → selective on the services the rules open on the group (enforce when none) → enforce. */
function nextStage(policy: Policy, group: string, setting: StageSetting): GroupGate['next'] {
  if (setting.stage === 'enforce') return null;
  if (setting.stage === 'selective') return { stage: 'enforce', services: [] };
  const served = canonicalServices(policy.rules.filter((rule) => rule.to === group).map((rule) => rule.service));
  return served.length === 0 ? { stage: 'enforce', services: [] } : { stage: 'selective', services: served };
}

function enforces(setting: Pick<StageSetting, 'stage' | 'services'>, services: ReadonlyMap<string, PolicyService>, edge: PolicyEdge): boolean {
  if (setting.stage === 'enforce') return true;
  if (setting.stage === 'observe') return false;
  return setting.services.some((id) => {
    const service = services.get(id);
    return service !== undefined && serviceCovers(service, edge.proto, edge.port);
  });
}

/**
 * The proposed order of promotion, least risk first: canaries (the analyst
 * chose them to go first), then lower criticality (a mistake costs least
 * there), then fewer clients (fewer people to break), then fewer edges the
 * next stage would block (a quieter history), then the group id.
 */
function withOrder(gates: readonly GroupGate[]): GroupGate[] {
  const pending = gates
    .filter((gate) => gate.next !== null)
    .sort(
      (a, b) =>
        Number(b.setting.canary) - Number(a.setting.canary) ||
        a.criticality.rank - b.criticality.rank ||
        a.clients - b.clients ||
        a.nextWouldBlock.length - b.nextWouldBlock.length ||
        compareText(a.group, b.group),
    );
  const place = new Map(pending.map((gate, index) => [gate.group, index + 1]));
  return [...gates].sort((a, b) => (place.get(a.group) ?? Infinity) - (place.get(b.group) ?? Infinity) || compareText(a.group, b.group)).map((gate) => ({ ...gate, order: place.get(gate.group) ?? null }));
}

/** Label keys that state a group's business criticality. */
export const CRITICALITY_LABEL_KEYS: readonly string[] = ['criticality', 'business-criticality', 'k8s:criticality'];
const CRITICALITY_RANK: Readonly<Record<string, number>> = { low: 0, medium: 1, high: 2, critical: 3 };
const NON_PRODUCTION = new Set(['dev', 'development', 'test', 'testing', 'qa', 'staging', 'stage', 'sandbox', 'lab']);
const PRODUCTION = new Set(['prod', 'production', 'prd', 'live']);

/** A criticality label when there is one; else the environment (non-production low, production high); else medium: an unknown is neither first nor last. */
function criticalityOf(group: PolicyGroup): GroupGate['criticality'] {
  for (const key of CRITICALITY_LABEL_KEYS) {
    const value = group.labels[key]?.toLowerCase();
    if (value !== undefined && value in CRITICALITY_RANK) return { rank: CRITICALITY_RANK[value]!, from: `${key}=${value}` };
  }
  for (const key of ENVIRONMENT_LABEL_KEYS) {
    const value = group.labels[key]?.toLowerCase();
    if (value !== undefined && NON_PRODUCTION.has(value)) return { rank: 0, from: `${key}=${value}` };
    if (value !== undefined && PRODUCTION.has(value)) return { rank: 2, from: `${key}=${value}` };
  }
  return { rank: 1, from: 'no criticality label' };
}

/** Most flows first, then canonical address order, then service. */
function ordered(edges: GateEdge[], hosts: ReadonlyMap<string, PolicyHost>): GateEdge[] {
  const key = (ip: string): string => hosts.get(ip)?.sortKey ?? ip;
  return edges.sort((a, b) => b.flows - a.flows || compareText(key(a.client), key(b.client)) || compareText(key(a.server), key(b.server)) || a.proto - b.proto || a.port - b.port);
}
