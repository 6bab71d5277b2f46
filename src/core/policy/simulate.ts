import { AddressScopes, parseCidr, type Cidr } from '../enrich/address-scope';
import { protocolName } from '../flow/protocols';
import { Action } from '../flow/record';
import { compareText } from '../util/compare';
import { GroupResolver } from './membership';
import type { PolicyEdge, PolicyHost } from './policy-input';
import { GroupStages, type StageRuling } from './enforcement-stage';
import { ALL_INTERNAL, type EnforcementStage, type Policy, type PolicyRule } from './policy-model';
import { serviceId } from './rule-builder';
import { describeWindow, windowMask } from './time-window';

/**
 * Replays edges against a policy. Refused today → rejected; otherwise the
 * flows an open rule lets through are permitted and the rest escaped (they
 * flow today and the policy would block them). A just-in-time rule is
 * closed; a windowed rule permits only the flows inside its window.
 *
 * Then the stage of the group that filters the edge (enforcement-stage.ts)
 * has its say: flows the rules would block pass, logged, when that stage
 * observes them (observe, or selective on a service it does not enforce).
 */

/** A logged edge is permitted (every flow passes) with loggedFlows > 0: some pass only because its stage observes them. */
export type VerdictKind = 'permitted' | 'escaped' | 'rejected';

export interface EdgeVerdict {
  readonly edge: PolicyEdge;
  readonly verdict: VerdictKind;
  /** Flows that pass: the rules permit them, or the stage only logs them (loggedFlows of them). */
  readonly permittedFlows: number;
  readonly escapedFlows: number;
  /** Flows the rules would block that pass because the deciding stage observes them: "logged, would block under enforce". */
  readonly loggedFlows: number;
  /** The stage that decided: the filtering group's (enforce when none filters the edge). */
  readonly stage: EnforcementStage;
  /** The group whose stage decided; null when no group filters the edge. */
  readonly stageGroup: string | null;
  /** The rule that permits it (or the closest one that did not), null when none. */
  readonly rule: string | null;
  /** Why flows escaped; null when none did. */
  readonly cause: EscapeCause | null;
  readonly reason: string;
}

/** A closed just-in-time rule blocks by design; every other cause is a gap in the policy or in its groups. */
export type EscapeCause = 'no-rule' | 'unplaced' | 'just-in-time' | 'rejected-rule' | 'identity' | 'window';

export interface SimulationCounts {
  /** Flows. */
  readonly permitted: number;
  readonly escaped: number;
  readonly rejected: number;
  /** Permitted share of the flows allowed today (1 when there were none). */
  readonly coverage: number;
  readonly permittedEdges: number;
  readonly escapedEdges: number;
  readonly rejectedEdges: number;
}

export interface EscapedEdge {
  readonly client: string;
  readonly server: string;
  readonly proto: string;
  readonly port: number | null;
  readonly flows: number;
  readonly reason: string;
}

interface IndexedRule {
  readonly rule: PolicyRule;
  readonly mask: Uint8Array | null;
}

/** Rules by from group, to group and protocol, kept up to date as rules come and go (what-if). */
export class RuleLookup {
  private readonly byFrom = new Map<string, Map<string, Map<number, IndexedRule[]>>>();

  constructor(rules: Iterable<PolicyRule> = []) {
    for (const rule of rules) this.add(rule);
  }

  private cell(rule: PolicyRule, create: boolean): IndexedRule[] | undefined {
    let byTo = this.byFrom.get(rule.from);
    if (byTo === undefined) {
      if (!create) return undefined;
      byTo = new Map();
      this.byFrom.set(rule.from, byTo);
    }
    let byProto = byTo.get(rule.to);
    if (byProto === undefined) {
      if (!create) return undefined;
      byProto = new Map();
      byTo.set(rule.to, byProto);
    }
    let list = byProto.get(rule.proto);
    if (list === undefined && create) {
      list = [];
      byProto.set(rule.proto, list);
    }
    return list;
  }

  add(rule: PolicyRule): void {
    const list = this.cell(rule, true)!;
    list.push({ rule, mask: rule.window === null ? null : windowMask(rule.window) });
    // Rules in id order, so which rule a verdict names never depends on history.
    list.sort((a, b) => compareText(a.rule.id, b.rule.id));
  }

  remove(rule: PolicyRule): void {
    const list = this.cell(rule, false);
    if (list === undefined) return;
    const index = list.findIndex((entry) => entry.rule.id === rule.id);
    if (index >= 0) list.splice(index, 1);
  }

  /** Rules from one of the client's groups to one of the server's on this service. */
  matching(clientGroups: readonly string[], serverGroups: readonly string[], proto: number, port: number): IndexedRule[] {
    const found: IndexedRule[] = [];
    for (const from of clientGroups) {
      const byTo = this.byFrom.get(from);
      if (byTo === undefined) continue;
      for (const to of serverGroups) {
        const list = byTo.get(to)?.get(proto);
        if (list === undefined) continue;
        for (const entry of list) {
          const { ports } = entry.rule;
          if (ports === null ? port < 0 : port >= ports.from && port <= ports.to) found.push(entry);
        }
      }
    }
    return found;
  }
}

/** The groups a host is in (its own, and "internal" for internal hosts). */
export type GroupsOf = (host: PolicyHost) => readonly string[];

/** Verdicts for edges: rules from a lookup, groups from a policy's resolver or a what-if grouping. */
export class PolicyEvaluator {
  constructor(
    readonly lookup: RuleLookup,
    private readonly groupsOf: GroupsOf,
    private readonly groupName: (id: string) => string,
    readonly resolver: GroupResolver | null = null,
    private readonly scopes: AddressScopes = DEFAULT_SCOPES,
    /** The groups' enforcement stages; null: every group enforced (a what-if regrouping, which has no stages). */
    readonly stages: GroupStages | null = null,
  ) {}

  /** options.stages false: every group enforced, whatever its stage (drift measures the policy, not the rollout). */
  static of(policy: Policy, options: { readonly stages?: boolean } = {}): PolicyEvaluator & { readonly resolver: GroupResolver } {
    const resolver = new GroupResolver(policy.groups, policy.settings);
    const names = new Map(policy.groups.map((group) => [group.id, group.name]));
    const internal = policy.settings.internalCidrs.map(parseCidr).filter((cidr): cidr is Cidr => cidr !== null);
    const stages = GroupStages.of(policy);
    return new PolicyEvaluator(
      new RuleLookup(policy.rules),
      (host) => resolver.groupsOf(host),
      (id) => names.get(id) ?? id,
      resolver,
      new AddressScopes(internal),
      options.stages === false || stages.allEnforced ? null : stages,
    ) as PolicyEvaluator & {
      readonly resolver: GroupResolver;
    };
  }

  /** The verdict under the groups' stages: what the rules decide, then flows they would block logged instead where the deciding stage observes. */
  verdict(edge: PolicyEdge, hosts: ReadonlyMap<string, PolicyHost>): EdgeVerdict {
    if (edge.action === Action.deny) return { edge, verdict: 'rejected', permittedFlows: 0, escapedFlows: 0, loggedFlows: 0, stage: 'enforce', stageGroup: null, rule: null, cause: null, reason: 'refused today' };
    const client = hostOf(edge.client, hosts, this.scopes);
    const server = hostOf(edge.server, hosts, this.scopes);
    const clientGroups = this.groupsOf(client);
    const serverGroups = this.groupsOf(server);
    const verdict = this.rulesVerdict(edge, client, clientGroups, serverGroups);
    if (this.stages === null) return verdict;
    return underStage(verdict, this.stages.ruling(clientGroups, serverGroups, server.scope, edge.proto, edge.port), this.groupName);
  }

  /** The verdict as if every group were enforced: what the rules alone let through. */
  enforcedVerdict(edge: PolicyEdge, hosts: ReadonlyMap<string, PolicyHost>): EdgeVerdict {
    if (edge.action === Action.deny) return this.verdict(edge, hosts);
    const client = hostOf(edge.client, hosts, this.scopes);
    return this.rulesVerdict(edge, client, this.groupsOf(client), this.groupsOf(hostOf(edge.server, hosts, this.scopes)));
  }

  /** The group whose stage filters an edge (enforcement-stage.ts), for the promotion gate; null when none does. */
  filteringGroup(edge: PolicyEdge, hosts: ReadonlyMap<string, PolicyHost>, stages: GroupStages): string | null {
    const server = hostOf(edge.server, hosts, this.scopes);
    return stages.filteringGroup(this.groupsOf(hostOf(edge.client, hosts, this.scopes)), this.groupsOf(server), server.scope);
  }

  private rulesVerdict(edge: PolicyEdge, client: PolicyHost, clientGroups: readonly string[], serverGroups: readonly string[]): EdgeVerdict {
    const candidates = this.lookup.matching(clientGroups, serverGroups, edge.proto, edge.port);
    const usable = candidates.filter(({ rule }) => rule.state !== 'rejected' && rule.jit === null && identityHolds(rule, client));
    const always = usable.find((entry) => entry.mask === null);
    if (always !== undefined) return { edge, verdict: 'permitted', permittedFlows: edge.flows, escapedFlows: 0, ...ENFORCED_FIELDS, rule: always.rule.id, cause: null, reason: `rule ${always.rule.id}` };
    if (usable.length > 0) {
      let inside = 0;
      for (let k = 0; k < edge.weekHours.length; k++) {
        if (usable.some((entry) => entry.mask![edge.weekHours[k]!] === 1)) inside += edge.weekFlows[k]!;
      }
      const escaped = edge.flows - inside;
      const rule = usable[0]!.rule;
      if (escaped <= 0) return { edge, verdict: 'permitted', permittedFlows: edge.flows, escapedFlows: 0, ...ENFORCED_FIELDS, rule: rule.id, cause: null, reason: `rule ${rule.id} (inside its window)` };
      return { edge, verdict: 'escaped', permittedFlows: inside, escapedFlows: escaped, ...ENFORCED_FIELDS, rule: rule.id, cause: 'window', reason: `${escaped} flows outside rule ${rule.id}'s window (${describeWindow(rule.window!)})` };
    }
    const { cause, reason } = this.whyBlocked(edge, client, clientGroups, serverGroups, candidates.map((entry) => entry.rule));
    return { edge, verdict: 'escaped', permittedFlows: 0, escapedFlows: edge.flows, ...ENFORCED_FIELDS, rule: candidates[0]?.rule.id ?? null, cause, reason };
  }

  private whyBlocked(
    edge: PolicyEdge,
    client: PolicyHost,
    clientGroups: readonly string[],
    serverGroups: readonly string[],
    candidates: readonly PolicyRule[],
  ): { cause: EscapeCause; reason: string } {
    const jit = candidates.find((rule) => rule.jit !== null && rule.state !== 'rejected');
    if (jit !== undefined) return { cause: 'just-in-time', reason: `only just-in-time rule ${jit.id}, closed until opened` };
    const rejected = candidates.find((rule) => rule.state === 'rejected');
    if (rejected !== undefined) return { cause: 'rejected-rule', reason: `rule ${rejected.id} was rejected` };
    const identity = candidates.find((rule) => !identityHolds(rule, client));
    if (identity !== undefined) return { cause: 'identity', reason: `rule ${identity.id} requires clients labelled ${identity.identity!.label.key}=${identity.identity!.label.value}` };
    const ownGroup = (groups: readonly string[]): string | undefined => groups.find((group) => group !== ALL_INTERNAL);
    const from = ownGroup(clientGroups);
    const to = ownGroup(serverGroups);
    if (from === undefined && client.scope === 'internal') return { cause: 'unplaced', reason: `client ${edge.client} is in no group of the policy` };
    if (to === undefined) return { cause: 'unplaced', reason: `server ${edge.server} is in no group of the policy` };
    const service = serviceId(edge.proto, edge.port < 0 ? null : { from: edge.port, to: edge.port });
    const fromText = from === undefined ? `outside address ${edge.client}` : `${from} (${this.groupName(from)})`;
    return { cause: 'no-rule', reason: `no rule from ${fromText} to ${to} (${this.groupName(to)}) on ${service}` };
  }
}

const ENFORCED_FIELDS = { loggedFlows: 0, stage: 'enforce', stageGroup: null } as const;

/**
 * A rules verdict under the stage that rules the edge: an enforcing stage
 * keeps it (naming itself); an observing one lets the flows the rules would
 * block pass, logged, and says what enforcement would do.
 */
function underStage(verdict: EdgeVerdict, ruling: StageRuling, groupName: (id: string) => string): EdgeVerdict {
  const decided = { ...verdict, stage: ruling.stage, stageGroup: ruling.group };
  if (ruling.enforced || verdict.escapedFlows === 0) return decided;
  const group = ruling.group === null ? '' : ` ${ruling.group} (${groupName(ruling.group)})`;
  const by = ruling.stage === 'selective' ? `selective group${group} does not enforce this service` : `observed group${group}`;
  return {
    ...decided,
    verdict: 'permitted',
    permittedFlows: verdict.edge.flows,
    escapedFlows: 0,
    loggedFlows: verdict.escapedFlows,
    reason: `logged, would block under enforce (${by}): ${verdict.reason}`,
  };
}

function identityHolds(rule: PolicyRule, client: PolicyHost): boolean {
  if (rule.identity === null) return true;
  const { key, value } = rule.identity.label;
  return client.labels.some((label) => label.key === key && label.value === value);
}

const DEFAULT_SCOPES = new AddressScopes();

/** Not an address at all (a name typed into a what-if): outside, never internal. */
function scopeOf(ip: string, scopes: AddressScopes): PolicyHost['scope'] {
  try {
    return scopes.scope(ip);
  } catch {
    return 'external';
  }
}

/**
 * A host the store does not describe (an address first seen after the
 * analysis, a what-if) is unlabelled and scoped by its address alone, as a
 * firewall sees it: a new private address is internal, so rules for every
 * internal host cover it, in the simulator as in the exported rulesets.
 */
export function hostOf(ip: string, hosts: ReadonlyMap<string, PolicyHost>, scopes: AddressScopes = DEFAULT_SCOPES): PolicyHost {
  return hosts.get(ip) ?? { ip, sortKey: ip, scope: scopeOf(ip, scopes), name: null, labels: [] };
}

export function simulate(policy: Policy | PolicyEvaluator, edges: readonly PolicyEdge[], hosts: ReadonlyMap<string, PolicyHost>): EdgeVerdict[] {
  const evaluator = policy instanceof PolicyEvaluator ? policy : PolicyEvaluator.of(policy);
  return edges.map((edge) => evaluator.verdict(edge, hosts));
}

/** Adds (sign 1) or takes away (sign −1) one verdict from running totals. */
export function tallyVerdict(totals: MutableCounts, verdict: EdgeVerdict, sign: 1 | -1): void {
  if (verdict.verdict === 'rejected') {
    totals.rejected += sign * verdict.edge.flows;
    totals.rejectedEdges += sign;
    return;
  }
  totals.permitted += sign * verdict.permittedFlows;
  totals.escaped += sign * verdict.escapedFlows;
  if (verdict.verdict === 'escaped') totals.escapedEdges += sign;
  else totals.permittedEdges += sign;
}

export type MutableCounts = { -readonly [K in Exclude<keyof SimulationCounts, 'coverage'>]: number };

export function countsOf(totals: MutableCounts): SimulationCounts {
  const allowedToday = totals.permitted + totals.escaped;
  return { ...totals, coverage: allowedToday === 0 ? 1 : totals.permitted / allowedToday };
}

export function countVerdicts(verdicts: readonly EdgeVerdict[]): SimulationCounts {
  let permitted = 0;
  let escaped = 0;
  let rejected = 0;
  let permittedEdges = 0;
  let escapedEdges = 0;
  let rejectedEdges = 0;
  for (const verdict of verdicts) {
    if (verdict.verdict === 'rejected') {
      rejected += verdict.edge.flows;
      rejectedEdges++;
      continue;
    }
    permitted += verdict.permittedFlows;
    escaped += verdict.escapedFlows;
    if (verdict.verdict === 'escaped') escapedEdges++;
    else permittedEdges++;
  }
  const allowedToday = permitted + escaped;
  return { permitted, escaped, rejected, coverage: allowedToday === 0 ? 1 : permitted / allowedToday, permittedEdges, escapedEdges, rejectedEdges };
}

/** Escaped edges for reports: most flows first, then canonical address order. */
export function escapedEdges(verdicts: readonly EdgeVerdict[], hosts: ReadonlyMap<string, PolicyHost>): EscapedEdge[] {
  const key = (ip: string): string => hosts.get(ip)?.sortKey ?? ip;
  return verdicts
    .filter((verdict) => verdict.verdict === 'escaped')
    .sort((a, b) => b.escapedFlows - a.escapedFlows || compareText(key(a.edge.client), key(b.edge.client)) || compareText(key(a.edge.server), key(b.edge.server)) || a.edge.proto - b.edge.proto || a.edge.port - b.edge.port)
    .map((verdict) => ({
      client: verdict.edge.client,
      server: verdict.edge.server,
      proto: protocolName(verdict.edge.proto),
      port: verdict.edge.port < 0 ? null : verdict.edge.port,
      flows: verdict.escapedFlows,
      reason: verdict.reason,
    }));
}
