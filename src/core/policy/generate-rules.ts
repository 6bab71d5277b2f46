import { Action } from '../flow/record';
import { compareText } from '../util/compare';
import { appendTo } from '../util/multimap';
import { anyOutsideBlocks, anyOutsideGroupId, isAnyOutsideGroup, networkGroupId, networkOfGroup } from './external-networks';
import { widenedOutsideEnds } from './public-services';
import { policyEdgeKey, type PolicyEdge, type PolicyHost, type PolicyLogon } from './policy-input';
import { ALL_INTERNAL, type PolicyGroup, type PolicyGroupKind, type PolicyRule, type PolicySettings } from './policy-model';
import { idleEvidence, type IdleEvidence, idleOpenings } from './idle-groups';
import { companionOpenings } from './companion-rules';
import { LiftDecisions } from './lift-decisions';
import { RuleBuilder, type RuleGroup } from './rule-builder';
import { RuleIndex, serviceKey, splitCellKey, splitServiceKey, splitUseKey, useKey } from './rule-index';

/**
 * Least-privilege rules between groups on the services actually used.
 * Refused traffic is not evidence, flagged anomalies are left out, outside
 * addresses are grouped by network, services most internal groups use are
 * lifted to one rule, dense port sets merge into ranges, admin services from
 * non-admin groups become just-in-time rules unless they are the server
 * group's role (SMB, RPC served to many groups: admin-role.ts), business-hours-only
 * evidence proposes a time window (rule-builder.ts), and a group only probers
 * used gets its probed port from the groups that use that port elsewhere
 * (idle-groups.ts). The generator keeps its
 * index so a regrouping recomputes only the cells it touches (update()).
 */

export interface InternalGroupSpec {
  readonly id: string;
  readonly name: string;
  readonly kind: Exclude<PolicyGroupKind, 'all-internal' | 'external'>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface RuleGeneratorInput {
  /** Edges of any action; one per action row is fine (they are merged). */
  readonly edges: readonly PolicyEdge[];
  /** Flagged anomalies as "client|server|proto|port". */
  readonly flagged: ReadonlySet<string>;
  readonly hosts: ReadonlyMap<string, PolicyHost>;
  readonly groups: readonly InternalGroupSpec[];
  /** Internal address → group id. */
  readonly assignment: ReadonlyMap<string, string>;
  readonly logons: readonly PolicyLogon[];
  readonly settings: PolicySettings;
}

export interface GenerationStats {
  /** Distinct client→server services in the input. */
  readonly edges: number;
  /** Only ever refused: not evidence for an allow rule. */
  readonly refusedEdges: number;
  readonly flaggedEdges: number;
  /** With an internal endpoint in no group. */
  readonly unplacedEdges: number;
  readonly usedEdges: number;
}

export interface RuleDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Same id, different content (evidence, window, requesters…). */
  readonly changed: readonly string[];
}

/** Edges of one service merged across action rows, allowed or unknown only. */
function usableEdges(input: RuleGeneratorInput): { edges: PolicyEdge[]; stats: Omit<GenerationStats, 'unplacedEdges' | 'usedEdges'> } {
  const byKey = new Map<string, PolicyEdge[]>();
  for (const edge of input.edges) {
    const key = policyEdgeKey(edge);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [edge]);
    else list.push(edge);
  }
  const edges: PolicyEdge[] = [];
  let refused = 0;
  let flagged = 0;
  for (const [key, rows] of byKey) {
    const passed = rows.filter((row) => row.action !== Action.deny);
    if (passed.length === 0) refused++;
    else if (input.flagged.has(key)) flagged++;
    else edges.push(passed.length === 1 ? passed[0]! : mergeRows(passed));
  }
  return { edges, stats: { edges: byKey.size, refusedEdges: refused, flaggedEdges: flagged } };
}

function mergeRows(rows: readonly PolicyEdge[]): PolicyEdge {
  const week = new Map<number, number>();
  let flows = 0;
  let bytes = 0;
  let first: number | null = null;
  let last: number | null = null;
  let hours = 0;
  for (const row of rows) {
    flows += row.flows;
    bytes += row.bytes;
    if (row.firstMs !== null) first = first === null ? row.firstMs : Math.min(first, row.firstMs);
    if (row.lastMs !== null) last = last === null ? row.lastMs : Math.max(last, row.lastMs);
    hours = Math.max(hours, row.hours);
    row.weekHours.forEach((how, k) => week.set(how, (week.get(how) ?? 0) + row.weekFlows[k]!));
  }
  const hoursOfWeek = [...week.keys()].sort((a, b) => a - b);
  const { client, server, proto, port } = rows[0]!;
  return { client, server, proto, port, action: Action.allow, flows, bytes, firstMs: first, lastMs: last, hours, weekHours: hoursOfWeek, weekFlows: hoursOfWeek.map((how) => week.get(how)!) };
}

export class RuleGenerator {
  readonly edges: readonly PolicyEdge[];
  readonly stats: GenerationStats;
  private readonly specs = new Map<string, InternalGroupSpec>();
  private readonly groupOf = new Map<string, string>();
  private readonly sizes = new Map<string, number>();
  private readonly externals = new Map<string, Set<string>>();
  /** Edges whose outside end is named "any outside address" (public-services.ts), fixed by the edges whatever the grouping. */
  private readonly widened: Map<number, 'client' | 'server'>;
  /** Edge numbers by internal endpoint, so moving a host finds its edges. */
  private readonly edgesOfHost = new Map<string, number[]>();
  private readonly index: RuleIndex;
  private readonly builder: RuleBuilder;
  private readonly adminPattern: RegExp;
  /** Internal services lifted to one rule from every internal host. */
  private readonly lifted = new LiftDecisions();
  /** Role-dependent admin services on internal groups (SMB, RPC) → their role decision, so a change rebuilds their rules. */
  private readonly roleSignatures = new Map<string, string>();
  private readonly cellRules = new Map<string, PolicyRule[]>();
  /** Uses lifted the other way: one rule from a client group to every internal host. */
  private readonly fanOut = new LiftDecisions();
  /** Who probes, which services are collectors, and the edges the idle-group rules read: fixed by the edges, whatever the grouping. */
  private readonly idleEvidence: IdleEvidence;
  /** The idle groups' rules under the current grouping, by id; null until asked for after a change. */
  private idleRules: Map<string, PolicyRule> | null = null;
  /** The companion rules (companion-rules.ts) of the other rules under the current grouping, by id; null until asked for after a change. */
  private companions: Map<string, PolicyRule> | null = null;

  constructor(private readonly input: RuleGeneratorInput) {
    const { edges, stats } = usableEdges(input);
    this.edges = edges;
    this.adminPattern = new RegExp(input.settings.adminGroupPattern, 'i');
    for (const spec of input.groups) this.specs.set(spec.id, spec);
    for (const [ip, group] of input.assignment) {
      this.groupOf.set(ip, group);
      this.sizes.set(group, (this.sizes.get(group) ?? 0) + 1);
    }
    this.index = new RuleIndex(edges, (group) => this.specs.has(group));
    this.builder = new RuleBuilder({
      settings: input.settings,
      edges,
      group: (id) => this.ruleGroup(id),
      internalGroups: () => this.sizes.size,
      sortKey: (ip) => input.hosts.get(ip)?.sortKey ?? ip,
      logons: input.logons,
    });
    this.idleEvidence = idleEvidence(edges, (proto, port) => this.builder.isAdminService(proto, port));
    this.widened = widenedOutsideEnds(
      edges,
      (ip) => !this.groupOf.has(ip) && input.hosts.get(ip)?.scope === 'external',
      (ip) => networkGroupId(ip, 'external', input.settings),
      input.settings.publicMinNetworks,
    );
    let unplaced = 0;
    edges.forEach((edge, number) => {
      const [from, to] = this.ends(number);
      if (from === null || to === null) {
        unplaced++;
        return;
      }
      // Only networks that end up in a rule become groups of the policy.
      if (!this.groupOf.has(edge.client)) this.noteNetworkMember(from, edge.client);
      if (!this.groupOf.has(edge.server)) this.noteNetworkMember(to, edge.server);
      for (const ip of [edge.client, edge.server]) {
        if (this.groupOf.has(ip)) {
          const list = this.edgesOfHost.get(ip);
          if (list === undefined) this.edgesOfHost.set(ip, [number]);
          else if (list[list.length - 1] !== number) list.push(number);
        }
      }
      this.index.add(number, from, to);
    });
    this.stats = { ...stats, unplacedEdges: unplaced, usedEdges: edges.length - unplaced };
    this.recomputeRoles(this.roleServicesOf(this.specs.keys()));
    this.recomputeLifting(new Set(this.index.serviceClients.keys()));
    this.recomputeFanOut(new Set(this.index.clientUses.keys()));
    for (const key of this.index.cells.keys()) this.cellRules.set(key, this.builder.cellRules(this.index, key, this.lifted.keys, this.fanOut.keys));
  }

  /** Every rule, in id order. */
  rules(): PolicyRule[] {
    return [...this.snapshot().values()].sort((a, b) => compareText(a.id, b.id));
  }

  /** The outside networks the rules name, each with the addresses seen in it. */
  externalGroups(): PolicyGroup[] {
    return [...this.externals]
      .map(([id, members]) => {
        const { network, name } = networkOfGroup(id)!;
        const sorted = [...members].sort((a, b) => compareText(this.sortKey(a), this.sortKey(b)));
        const match = isAnyOutsideGroup(id) ? { cidrs: anyOutsideBlocks(id, this.input.settings.internalCidrs) } : { cidr: network };
        return { id, name, kind: 'external' as const, members: sorted, match, labels: {} };
      })
      .sort((a, b) => compareText(a.id, b.id));
  }

  /**
   * Applies a regrouping: hosts moved to other groups (new group ids
   * included in `groups`) and the new list of groups (names, labels). Only
   * cells and services the change touches are rebuilt.
   */
  update(moves: readonly { readonly ip: string; readonly to: string }[], groups: readonly InternalGroupSpec[]): RuleDiff {
    const before = this.snapshot();
    this.idleRules = null;
    this.companions = null;
    const dirtyCells = new Set<string>();
    const dirtyServices = new Set<string>();
    const dirtyUses = new Set<string>();
    const resized = new Set<string>();
    const groupsBefore = this.sizes.size;
    for (const spec of groups) {
      const previous = this.specs.get(spec.id);
      if (previous !== undefined && (previous.name !== spec.name || !sameLabels(previous.labels, spec.labels))) resized.add(spec.id);
      this.specs.set(spec.id, spec);
    }
    // Every edge of a moved host leaves its cell under the old grouping and
    // enters its new one once, even when both its ends move.
    const affected = new Set<number>();
    const effective: { ip: string; from: string; to: string }[] = [];
    // A host moved more than once ends where its last move puts it.
    const finalMoves = new Map<string, string>();
    for (const { ip, to } of moves) finalMoves.set(ip, to);
    for (const [ip, to] of finalMoves) {
      const from = this.groupOf.get(ip);
      if (from === undefined || from === to) continue;
      if (!this.specs.has(to)) throw new Error(`move of ${ip} to unknown group ${to}`);
      effective.push({ ip, from, to });
      for (const number of this.edgesOfHost.get(ip) ?? []) affected.add(number);
    }
    for (const number of affected) this.unindex(number, dirtyCells, dirtyServices, dirtyUses);
    for (const { ip, from, to } of effective) {
      this.groupOf.set(ip, to);
      this.resize(from, -1);
      this.resize(to, 1);
      resized.add(from).add(to);
    }
    for (const number of affected) this.reindex(number, dirtyCells, dirtyServices, dirtyUses);
    const listed = new Set(groups.map((spec) => spec.id));
    for (const id of [...this.specs.keys()]) if (!listed.has(id) && !this.sizes.has(id)) this.specs.delete(id);
    // Group sizes appear in every rule of the group; its name and admin status too.
    for (const group of resized) for (const key of this.index.cellsOfGroup.get(group) ?? []) dirtyCells.add(key);
    for (const service of this.lifted.keys) if (resized.has(splitServiceKey(service).to)) dirtyServices.add(service);
    const regrouped = this.sizes.size !== groupsBefore;
    // A role decision counts the groups using the service and the other groups
    // in all, and looks at the directory services of the same server group.
    const roleCandidates = regrouped ? new Set([...this.roleServicesOf(this.specs.keys()), ...this.roleSignatures.keys()]) : this.roleServicesTouched(dirtyServices);
    const roleChanged = this.recomputeRoles(roleCandidates);
    // Lifting also weighs the hosts of the groups using a service: every
    // service of a resized group, as client or server, is decided again.
    const lifting = regrouped ? new Set([...this.index.serviceClients.keys(), ...this.lifted.keys]) : new Set([...dirtyServices, ...roleChanged, ...this.servicesOfGroups(resized)]);
    for (const changed of [...this.recomputeLifting(lifting), ...roleChanged]) {
      const { to, proto } = splitServiceKey(changed);
      for (const key of this.index.cellsOfGroup.get(to) ?? []) if (splitCellKey(key).to === to && splitCellKey(key).proto === proto) dirtyCells.add(key);
    }
    // Lifting the other way weighs the client group's size and the sizes of the groups it uses the service on.
    const fanning = regrouped ? new Set([...this.index.clientUses.keys(), ...this.fanOut.keys]) : this.withSiblingAdminUses(new Set([...dirtyUses, ...this.usesOfGroups(resized)]));
    for (const changed of this.recomputeFanOut(fanning)) {
      const { from, proto } = splitUseKey(changed);
      for (const key of this.index.cellsOfGroup.get(from) ?? []) if (splitCellKey(key).from === from && splitCellKey(key).proto === proto) dirtyCells.add(key);
    }
    for (const key of dirtyCells) {
      if (this.index.cells.has(key)) this.cellRules.set(key, this.builder.cellRules(this.index, key, this.lifted.keys, this.fanOut.keys));
      else this.cellRules.delete(key);
    }
    return diffRules(before, this.snapshot());
  }

  groupOfHost(ip: string): string | undefined {
    return this.groupOf.get(ip);
  }

  /** Every rule by id. */
  snapshot(): Map<string, PolicyRule> {
    const map = new Map<string, PolicyRule>();
    for (const rule of this.lifted.rules.values()) map.set(rule.id, rule);
    for (const rule of this.fanOut.rules.values()) map.set(rule.id, rule);
    for (const list of this.cellRules.values()) for (const rule of list) map.set(rule.id, rule);
    for (const [id, rule] of this.idleGroupRules()) if (!map.has(id)) map.set(id, rule);
    if (this.companions === null) this.companions = new Map(companionOpenings([...map.values()], (group) => group === ALL_INTERNAL || this.specs.has(group)).map((opening) => this.builder.companionRule(opening)).map((rule) => [rule.id, rule]));
    for (const [id, rule] of this.companions) if (!map.has(id)) map.set(id, rule);
    return map;
  }

  /** The idle groups' rules (idle-groups.ts), built once per grouping; none where a rule from the group to every internal host covers them. */
  private idleGroupRules(): Map<string, PolicyRule> {
    if (this.idleRules !== null) return this.idleRules;
    const openings = idleOpenings(
      {
        edges: this.edges,
        groupOf: (ip) => this.endpointGroup(ip),
        isInternalGroup: (group) => this.specs.has(group),
        groupSize: (group) => this.sizes.get(group) ?? 0,
        membersOf: (groups) => {
          const members = new Map<string, string[]>();
          for (const [ip, group] of this.groupOf) if (groups.has(group)) appendTo(members, group, ip);
          return members;
        },
        describe: (group) => `${group} (${this.ruleGroup(group).name})`,
      },
      this.idleEvidence,
    );
    this.idleRules = new Map();
    for (const opening of openings) {
      if (this.fanOut.keys.has(useKey(opening.from, opening.proto, opening.port))) continue;
      const rule = this.builder.idleRule(opening);
      this.idleRules.set(rule.id, rule);
    }
    return this.idleRules;
  }

  private unindex(number: number, dirtyCells: Set<string>, dirtyServices: Set<string>, dirtyUses: Set<string>): void {
    const edge = this.edges[number]!;
    const [from, to] = this.ends(number) as [string, string];
    this.index.remove(number, from, to);
    this.touch(from, to, edge, dirtyCells, dirtyServices, dirtyUses);
  }

  private reindex(number: number, dirtyCells: Set<string>, dirtyServices: Set<string>, dirtyUses: Set<string>): void {
    const edge = this.edges[number]!;
    const [from, to] = this.ends(number) as [string, string];
    this.index.add(number, from, to);
    this.touch(from, to, edge, dirtyCells, dirtyServices, dirtyUses);
  }

  private touch(from: string, to: string, edge: PolicyEdge, dirtyCells: Set<string>, dirtyServices: Set<string>, dirtyUses: Set<string>): void {
    dirtyCells.add(`${from}\t${to}\t${edge.proto}`);
    if (this.specs.has(to)) dirtyServices.add(serviceKey(to, edge.proto, edge.port));
    if (this.specs.has(from)) dirtyUses.add(useKey(from, edge.proto, edge.port));
  }

  /** Internal uses the given groups make or serve, and those lifted the other way from them. */
  private usesOfGroups(groups: ReadonlySet<string>): Set<string> {
    const uses = this.keysOfCells(groups, (from, _to, proto, port) => (this.specs.has(from) ? useKey(from, proto, port) : null));
    for (const use of this.fanOut.keys) if (groups.has(splitUseKey(use).from)) uses.add(use);
    return uses;
  }

  /** One key per (cell of the given groups, port), as `keyOf` makes it (null: none). */
  private keysOfCells(groups: ReadonlySet<string>, keyOf: (from: string, to: string, proto: number, port: number) => string | null): Set<string> {
    const keys = new Set<string>();
    for (const group of groups) {
      for (const cell of this.index.cellsOfGroup.get(group) ?? []) {
        const { from, to, proto } = splitCellKey(cell);
        for (const port of this.index.cells.get(cell)!.keys()) {
          const key = keyOf(from, to, proto, port);
          if (key !== null) keys.add(key);
        }
      }
    }
    return keys;
  }

  private resize(group: string, delta: number): void {
    const size = (this.sizes.get(group) ?? 0) + delta;
    if (size > 0) this.sizes.set(group, size);
    else this.sizes.delete(group);
  }

  /**
   * `uses` and, for each group with a remote-administration use among them,
   * its other remote-administration uses: an admin station is decided on the
   * hosts a group administers over all those services together.
   */
  private withSiblingAdminUses(uses: Set<string>): Set<string> {
    const groups = new Set<string>();
    for (const use of uses) {
      const { from, proto, port } = splitUseKey(use);
      if (this.builder.isRemoteAdmin(proto, port)) groups.add(from);
    }
    if (groups.size === 0) return uses;
    for (const use of this.usesOfGroups(groups)) {
      const { from, proto, port } = splitUseKey(use);
      if (groups.has(from) && this.builder.isRemoteAdmin(proto, port)) uses.add(use);
    }
    return uses;
  }

  /** Internal services the given groups use or serve, and those lifted to them. */
  private servicesOfGroups(groups: ReadonlySet<string>): Set<string> {
    const services = this.keysOfCells(groups, (_from, to, proto, port) => (this.specs.has(to) ? serviceKey(to, proto, port) : null));
    for (const service of this.lifted.keys) if (groups.has(splitServiceKey(service).to)) services.add(service);
    return services;
  }

  /** The admin services some cell has on the given internal server groups: the edges decide whether each is the group's role (admin-role.ts). */
  private roleServicesOf(groups: Iterable<string>): Set<string> {
    const services = new Set<string>();
    for (const group of groups) {
      if (!this.specs.has(group)) continue;
      for (const key of this.index.cellsOfGroup.get(group) ?? []) {
        const { to, proto } = splitCellKey(key);
        if (to !== group) continue;
        for (const port of this.index.cells.get(key)!.keys()) if (this.builder.isAdminService(proto, port)) services.add(serviceKey(to, proto, port));
      }
    }
    return services;
  }

  /** Admin services whose role decision the touched services may change: themselves, and all of a group whose directory service was touched. */
  private roleServicesTouched(touched: ReadonlySet<string>): Set<string> {
    const services = new Set<string>();
    const directoryGroups = new Set<string>();
    const { directoryServices } = this.input.settings;
    for (const service of touched) {
      const { to, proto, port } = splitServiceKey(service);
      if (this.builder.isAdminService(proto, port)) services.add(service);
      else if (directoryServices.some((directory) => directory.proto === proto && directory.port === port)) directoryGroups.add(to);
    }
    for (const service of this.roleServicesOf(directoryGroups)) services.add(service);
    // Recorded ones of those groups too: a service that lost its last cell is dropped.
    for (const service of this.roleSignatures.keys()) if (directoryGroups.has(splitServiceKey(service).to)) services.add(service);
    return services;
  }

  /** Decides the role of the given services; returns those whose decision (or its evidence) changed. */
  private recomputeRoles(services: Iterable<string>): string[] {
    const changed: string[] = [];
    const candidates = [...services];
    const present = this.roleServicesOf(new Set(candidates.map((service) => splitServiceKey(service).to)));
    for (const service of candidates) {
      const before = this.roleSignatures.get(service);
      const now = present.has(service) ? this.builder.roleSignature(this.index, service) : undefined;
      if (now === undefined) this.roleSignatures.delete(service);
      else this.roleSignatures.set(service, now);
      if (before !== now) changed.push(service);
    }
    return changed;
  }

  /** Decides lifting for the given services and rebuilds their lifted rules; returns the services whose decision flipped. */
  private recomputeLifting(services: Iterable<string>): string[] {
    return this.lifted.recompute(services, {
      decide: (service) => this.index.serviceClients.has(service) && this.builder.isLifted(this.index, service),
      signature: (service) => this.liftedSignature(service),
      build: (service) => this.builder.liftedRule(this.index, service),
    });
  }

  /** Decides lifting the other way for the given uses and rebuilds their rules; returns the uses whose decision flipped. */
  private recomputeFanOut(uses: Iterable<string>): string[] {
    return this.builder.withAdminHostMemo(() =>
      this.fanOut.recompute(uses, {
        decide: (use) => this.index.clientUses.has(use) && this.builder.isFannedOut(this.index, use),
        signature: (use) => this.fanOutSignature(use),
        build: (use) => this.builder.fanOutRule(this.index, use),
      }),
    );
  }

  /** Everything a rule lifted the other way depends on: its edges, how many groups serve it and how many there are, the hosts they hold, its client group, and for remote administration the hosts the group administers. */
  private fanOutSignature(use: string): string {
    const { from, proto, port } = splitUseKey(use);
    const tally = this.index.useEdges.get(use)!;
    const group = this.ruleGroup(from);
    const { serverHosts } = this.builder.fanOutHosts(this.index, use);
    const administered = this.builder.isRemoteAdmin(proto, port) ? this.builder.administeredHosts(this.index, from) : 0;
    return `${tally.count}|${tally.hashA}|${tally.hashB}|${this.index.serverGroups(use, from)}|${this.sizes.size}|${group.size}|${serverHosts}|${group.name}|${group.admin}|${administered}`;
  }

  /** Everything a lifted rule's content depends on: its edges, how many groups use it and how many there are, the hosts they hold, its server group and its role decision. */
  private liftedSignature(service: string): string {
    const { to } = splitServiceKey(service);
    const tally = this.index.serviceEdges.get(service)!;
    const group = this.ruleGroup(to);
    const { userHosts } = this.builder.liftHosts(this.index, service);
    return `${tally.count}|${tally.hashA}|${tally.hashB}|${this.index.clientGroups(service, to)}|${this.sizes.size}|${group.size}|${userHosts}|${group.name}|${group.admin}|${this.roleSignatures.get(service) ?? ''}`;
  }

  /** An edge's two ends as groups: a widened outside end (public-services.ts) is any outside address. */
  private ends(number: number): [string | null, string | null] {
    const edge = this.edges[number]!;
    const wide = this.widened.get(number);
    return [
      wide === 'client' ? anyOutsideGroupId(edge.client) : this.endpointGroup(edge.client),
      wide === 'server' ? anyOutsideGroupId(edge.server) : this.endpointGroup(edge.server),
    ];
  }

  /** An endpoint's group: its assigned group, its network when it is not internal, null for an internal host in no group. */
  private endpointGroup(ip: string): string | null {
    const group = this.groupOf.get(ip);
    if (group !== undefined) return group;
    const host = this.input.hosts.get(ip);
    if (host === undefined || host.scope === 'internal') return null;
    return networkGroupId(ip, host.scope, this.input.settings);
  }

  /** Notes an address seen in a network group that a rule will name. */
  private noteNetworkMember(group: string, ip: string): void {
    if (this.specs.has(group)) return;
    let members = this.externals.get(group);
    if (members === undefined) {
      members = new Set();
      this.externals.set(group, members);
    }
    members.add(ip);
  }

  private ruleGroup(id: string): RuleGroup {
    if (id === ALL_INTERNAL) return { id, name: 'every internal host', kind: 'all-internal', size: this.input.assignment.size, admin: false };
    const spec = this.specs.get(id);
    if (spec === undefined) return { id, name: networkOfGroup(id)?.name ?? id, kind: 'external', size: this.externals.get(id)?.size ?? 0, admin: false };
    const admin = this.adminPattern.test(spec.name) || Object.entries(spec.labels).some(([key, value]) => this.adminPattern.test(key) || this.adminPattern.test(value));
    return { id, name: spec.name, kind: spec.kind, size: this.sizes.get(id) ?? 0, admin };
  }

  private sortKey(ip: string): string {
    return this.input.hosts.get(ip)?.sortKey ?? ip;
  }
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function diffRules(before: ReadonlyMap<string, PolicyRule>, after: ReadonlyMap<string, PolicyRule>): RuleDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [id, rule] of after) {
    const old = before.get(id);
    if (old === undefined) added.push(id);
    else if (old !== rule && !sameRule(old, rule)) changed.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) removed.push(id);
  return { added: added.sort(compareText), removed: removed.sort(compareText), changed: changed.sort(compareText) };
}

/** Content equality of two builds of a rule: evidence rows are built once per edge, so they compare by identity. */
export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  const { evidence: ea, ...restA } = a;
  const { evidence: eb, ...restB } = b;
  if (ea.edges.length !== eb.edges.length || ea.flows !== eb.flows || ea.bytes !== eb.bytes || ea.clients !== eb.clients || ea.servers !== eb.servers) return false;
  if (ea.firstSeen !== eb.firstSeen || ea.lastSeen !== eb.lastSeen) return false;
  for (let k = 0; k < ea.edges.length; k++) if (ea.edges[k] !== eb.edges[k]) return false;
  return JSON.stringify(restA) === JSON.stringify(restB) && JSON.stringify(ea.steps) === JSON.stringify(eb.steps);
}
