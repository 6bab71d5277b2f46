import { ALL_INTERNAL, type Policy, type PolicyGroup, type PolicyRule, type PolicyService, type PortRange } from '../policy/policy-model';
import { describeWindow } from '../policy/time-window';
import { compareText } from '../util/compare';
import type { ExportNote, ExportTargetName } from './export-types';
import { groupAddresses, hostsOf, type GroupAddresses } from './group-addresses';
import { ruleSummary } from './rule-summary';
import { describeServices, listedServiceMatch, stageCoverage, stagedGroups, stageLogPrefix, type StagedGroup } from './stage-plan';
import type { StageCoverage } from './export-types';

/**
 * What a host firewall (nftables, iptables) must do, before any syntax:
 * which rules each listed host receives, their clients per address family,
 * and the notes on what a host firewall cannot express. The nftables and
 * iptables targets print the same plan, so they cannot drift apart.
 */

export type AddressFamily = 'ip' | 'ip6';

/** Layer 4 of an accept: a port-carrying protocol with its ports (null: any port), or another protocol by number. */
export type Transport =
  | { readonly kind: 'ports'; readonly proto: 'tcp' | 'udp' | 'sctp' | 'dccp'; readonly ports: PortRange | null }
  | { readonly kind: 'protocol'; readonly number: number };

export interface PlanEntry {
  readonly rule: PolicyRule;
  readonly family: AddressFamily;
  /** Client addresses and CIDRs of that family, canonical and sorted. */
  readonly sources: readonly string[];
  /** Server addresses (the ruleset for every host); null on a host's own ruleset. */
  readonly targets: readonly string[] | null;
  readonly transport: Transport;
  /** The rule's id and evidence, for the target's comment field (the target escapes and cuts it). */
  readonly comment: string;
  /** A just-in-time rule: exported closed, as a remark of what opening it would accept. */
  readonly closed: boolean;
}

/**
 * What follows the accepts where a staged group serves, instead of the
 * default drop (enforcement-stage.ts): a selective group's listed services
 * are dropped (they are default-deny), and everything else is logged with
 * the group's prefix, counted and accepted, so an observed host's log shows
 * exactly what enforcement would drop. Enforced groups have no tail.
 */
export interface StageTail {
  readonly staged: StagedGroup;
  /** The address family of `targets`; null on a host's own ruleset (both families). */
  readonly family: AddressFamily | null;
  /** The group's addresses of that family (the ruleset for every host); null on a host's own ruleset. */
  readonly targets: readonly string[] | null;
  /** selective: its listed services' layer 4, dropped before the log and accept. */
  readonly enforced: readonly Transport[];
  /** The log prefix: the stage and the group's log id (stage-plan.ts). */
  readonly logPrefix: string;
  /** For the target's comment field: the stage and group (the target escapes and cuts it). */
  readonly comment: string;
}

export interface HostPlan {
  readonly ip: string;
  readonly group: PolicyGroup;
  readonly entries: readonly PlanEntry[];
  /** The host's group is staged: what replaces the default drop; null when enforced. */
  readonly tail: StageTail | null;
}

export interface HostFirewallPlan {
  /** Every listed host of an internal group, by address. */
  readonly hosts: readonly HostPlan[];
  /** Every exported rule, each matching its servers by destination: one ruleset any host can load. */
  readonly all: readonly PlanEntry[];
  /** The ruleset for every host: per staged group and family, matched by destination, before the default drop. */
  readonly allTails: readonly StageTail[];
  /** The staged groups, with the log ids their prefixes carry. */
  readonly staged: readonly StagedGroup[];
  readonly coverage: StageCoverage;
  readonly notes: readonly ExportNote[];
  readonly rulesExported: number;
  readonly rulesSkipped: number;
  /** Header lines every file starts with (policy digest, learning window), after its own title. */
  header(title: string): string[];
}

const PORT_PROTOCOLS: Readonly<Record<number, 'tcp' | 'udp' | 'sctp' | 'dccp'>> = { 6: 'tcp', 17: 'udp', 132: 'sctp', 33: 'dccp' };
const ICMP_FAMILY: Readonly<Record<number, AddressFamily>> = { 1: 'ip', 58: 'ip6' };
const PORT_PROTOCOL_NUMBERS: ReadonlySet<number> = new Set(Object.keys(PORT_PROTOCOLS).map(Number));

/**
 * Just-in-time rules are left closed, with what opening them would add; time
 * windows and identity conditions are left open (a host firewall sees
 * addresses, and its clock is the loading host's); clients placed by label
 * or host name are narrowed to the listed members; rules to outside networks
 * are not filtered (input chains filter what a host receives).
 */
export function planHostFirewalls(policy: Policy, target: Extract<ExportTargetName, 'nftables' | 'iptables' | 'windows'>): HostFirewallPlan {
  const notes: ExportNote[] = [];
  const addresses = new Map<string, GroupAddresses>();
  const addressesOf = (group: string): GroupAddresses => {
    let found = addresses.get(group);
    if (found === undefined) addresses.set(group, (found = groupAddresses(policy, group)));
    return found;
  };
  const note = (rule: string | null, what: string, action: ExportNote['action'], instead: string) => notes.push({ target, rule, what, action, instead });

  let skipped = 0;
  const exported: PolicyRule[] = [];
  for (const rule of [...policy.rules].sort((a, b) => compareText(a.id, b.id))) {
    if (rule.state === 'rejected') {
      skipped++;
      note(rule.id, 'a rule the analyst rejected', 'skipped', 'not exported');
      continue;
    }
    if (policy.groups.find((group) => group.id === rule.to)?.kind === 'external') {
      skipped++;
      note(rule.id, 'traffic to an outside network', 'left-open', 'not filtered: these rulesets filter what each host receives (input), not what it sends');
      continue;
    }
    const from = addressesOf(rule.from);
    if (from.v4.length + from.v6.length === 0) {
      skipped++;
      note(rule.id, `clients of ${rule.from} by address`, 'left-closed', 'the group names no address a firewall can match, so nothing is opened');
      continue;
    }
    if (from.unexpressed !== null) note(rule.id, `clients placed by rule (${from.unexpressed})`, 'narrowed', `only the ${from.v4.length + from.v6.length} listed addresses of ${rule.from} are opened`);
    if (rule.window !== null) note(rule.id, `time window ${describeWindow(rule.window)}`, 'left-open', `open at all hours: ${target} reads times of day by the loading host's clock and zone, and the window is in UTC`);
    if (rule.identity !== null) note(rule.id, `identity condition ${rule.identity.label.key}=${rule.identity.label.value}`, 'left-open', `open to every client of ${rule.from}: a firewall sees addresses, not labels`);
    if (rule.jit !== null) note(rule.id, 'just-in-time access', 'left-closed', `closed; opening it accepts ${rule.from} on ${rule.service} (a remark in each ruleset shows the rule)`);
    exported.push(rule);
  }

  const entriesOf = (rule: PolicyRule, to: GroupAddresses | null): PlanEntry[] => {
    const from = addressesOf(rule.from);
    const entries: PlanEntry[] = [];
    for (const family of ['ip', 'ip6'] as const) {
      const sources = family === 'ip' ? from.v4 : from.v6;
      const targets = to === null ? null : family === 'ip' ? to.v4 : to.v6;
      if (sources.length === 0 || (targets !== null && targets.length === 0)) continue;
      const transport = transportOf(rule, family);
      if (transport === null) continue;
      entries.push({ rule, family, sources, targets, transport, comment: ruleSummary(rule), closed: rule.jit !== null });
    }
    return entries;
  };

  const staged = stagedGroups(policy);
  const stagedById = new Map(staged.map((group) => [group.group.id, group]));
  const tailOf = (group: StagedGroup, family: AddressFamily | null, targets: readonly string[] | null): StageTail => ({
    staged: group,
    family,
    targets,
    enforced: group.services.flatMap((service) => {
      const transport = serviceTransport(service, family);
      return transport === null ? [] : [transport];
    }),
    logPrefix: stageLogPrefix(group),
    comment: `${group.stage} ${group.group.id} (log id ${group.logId})${group.stage === 'selective' ? `: enforces ${group.services.map((service) => service.id).join(', ')}` : ''}`,
  });
  const allTails: StageTail[] = [];
  for (const group of staged) {
    const to = addressesOf(group.group.id);
    if (to.unexpressed !== null) note(null, `${group.stage} group ${group.group.id}: members placed by rule (${to.unexpressed})`, 'narrowed', `the ruleset for every host observes only the ${to.v4.length + to.v6.length} listed addresses of ${group.group.id}; other members loading it are enforced`);
    if (to.v4.length > 0) allTails.push(tailOf(group, 'ip', to.v4));
    if (to.v6.length > 0) allTails.push(tailOf(group, 'ip6', to.v6));
  }

  const hosts = [...hostsOf(policy)].sort((a, b) => compareText(a[0], b[0])).map(([ip, group]) => {
    const stagedGroup = stagedById.get(group.id);
    return {
      ip,
      group,
      entries: exported.filter((rule) => rule.to === group.id || rule.to === ALL_INTERNAL).flatMap((rule) => entriesOf(rule, null)),
      tail: stagedGroup === undefined ? null : tailOf(stagedGroup, null, null),
    };
  });
  const { coverage } = stageCoverage(policy, target, (group) => ({
    expressed:
      group.stage === 'observe'
        ? `its hosts' rulesets (and the ruleset for every host, by destination) count, log (prefix "${stageLogPrefix(group).trimEnd()}") and accept what enforcement would drop`
        : `${describeServices(group.services)} dropped as under enforce; everything else counted, logged (prefix "${stageLogPrefix(group).trimEnd()}") and accepted`,
  }));
  return {
    hosts,
    all: exported.flatMap((rule) => entriesOf(rule, addressesOf(rule.to))),
    allTails,
    staged,
    coverage,
    notes,
    rulesExported: exported.length,
    rulesSkipped: skipped,
    header: (title) => [title, `policy sha256 ${policy.contentSha256}`, `learned from ${policy.window.from ?? '?'} to ${policy.window.to ?? '?'}`],
  };
}


/** File names hold no ':' (Windows refuses it): an IPv6 address is written with '_' instead. */
export const hostFileName = (ip: string): string => ip.replaceAll(':', '_');

/** The rule's layer 4 for one address family; null when the protocol cannot occur in it (ICMPv6 from IPv4 clients). */
function transportOf(rule: PolicyRule, family: AddressFamily): Transport | null {
  const named = PORT_PROTOCOLS[rule.proto];
  if (named !== undefined) return { kind: 'ports', proto: named, ports: rule.ports };
  const icmpFamily = ICMP_FAMILY[rule.proto];
  if (icmpFamily !== undefined && icmpFamily !== family) return null;
  return { kind: 'protocol', number: rule.proto };
}

/**
 * A selective group's enforced service as layer 4 (stage-plan.ts's
 * listedServiceMatch); ICMP of the other family cannot occur (null); a
 * host's own ruleset (family null) takes either.
 */
function serviceTransport(service: PolicyService, family: AddressFamily | null): Transport | null {
  const match = listedServiceMatch(service, PORT_PROTOCOL_NUMBERS);
  if (match === null) return null;
  const named = PORT_PROTOCOLS[service.proto];
  if (match.kind === 'ports' && named !== undefined) return { kind: 'ports', proto: named, ports: match.ports };
  const icmpFamily = ICMP_FAMILY[service.proto];
  if (family !== null && icmpFamily !== undefined && icmpFamily !== family) return null;
  return { kind: 'protocol', number: service.proto };
}
