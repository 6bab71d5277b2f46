import { negotiatedEdges } from '../discover/negotiated-ports';
import { serviceName } from '../enrich/service-names';
import { protocolName } from '../flow/protocols';
import { compareText } from '../util/compare';
import { adminRole, describeRole, directoryServed, type AdminRole } from './admin-role';
import { addressNoun, isAnyOutsideGroup, networkGroupId, networkOfGroup } from './external-networks';
import type { CompanionOpening } from './companion-rules';
import type { IdleOpening } from './idle-groups';
import { mergePortRanges } from './port-ranges';
import type { PolicyEdge, PolicyLogon } from './policy-input';
import {
  ALL_INTERNAL,
  type EvidenceEdge,
  type GeneralisationStep,
  type PolicyGroupKind,
  type PolicyRule,
  type PolicySettings,
  type PortRange,
} from './policy-model';
import { cellKey, type RuleIndex, serviceKey, splitCellKey, splitServiceKey, splitUseKey, useKey } from './rule-index';
import { describeWindow, windowMask } from './time-window';

/** What rule building needs to know about a group. */
export interface RuleGroup {
  readonly id: string;
  readonly name: string;
  readonly kind: PolicyGroupKind;
  readonly size: number;
  readonly admin: boolean;
}

export interface RuleContext {
  readonly settings: PolicySettings;
  readonly edges: readonly PolicyEdge[];
  readonly group: (id: string) => RuleGroup;
  /** Internal groups with members (the denominator of lifting). */
  readonly internalGroups: () => number;
  readonly sortKey: (ip: string) => string;
  readonly logons: readonly PolicyLogon[];
}

/** Edges in evidence order (client, server, port in canonical address order), each with its evidence row built once. */
class EvidenceRows {
  readonly rank: Int32Array;
  readonly rows: readonly EvidenceEdge[];

  constructor(edges: readonly PolicyEdge[], sortKey: (ip: string) => string) {
    const keys = edges.map((edge) => ({ client: sortKey(edge.client), server: sortKey(edge.server) }));
    const order = edges.map((_, index) => index);
    order.sort((a, b) => compareText(keys[a]!.client, keys[b]!.client) || compareText(keys[a]!.server, keys[b]!.server) || edges[a]!.port - edges[b]!.port || edges[a]!.proto - edges[b]!.proto);
    this.rank = new Int32Array(edges.length);
    order.forEach((edge, position) => (this.rank[edge] = position));
    this.rows = edges.map((edge) => ({
      client: edge.client,
      server: edge.server,
      port: edge.port,
      flows: edge.flows,
      bytes: edge.bytes,
      firstSeen: iso(edge.firstMs),
      lastSeen: iso(edge.lastMs),
    }));
  }
}

const iso = (ms: number | null): string | null => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString());

export function serviceId(proto: number, ports: PortRange | null): string {
  const name = protocolName(proto);
  if (ports === null) return name;
  return ports.from === ports.to ? `${name}/${ports.from}` : `${name}/${ports.from}-${ports.to}`;
}

export const ruleId = (from: string, to: string, service: string): string => `${from}>${to}:${service}`;

export function serviceLabel(proto: number, ports: PortRange | null): string | null {
  return ports === null || ports.from !== ports.to ? null : serviceName(proto, ports.from);
}

const NOT_ADMIN: AdminRole = { kind: 'none' };

/** A rule opened ahead of traffic (port −1: the protocol's whole service): no edges, one step saying why, always open. */
function edgelessRule(from: string, to: string, proto: number, port: number, step: GeneralisationStep): PolicyRule {
  const ports = port < 0 ? null : { from: port, to: port };
  const service = serviceId(proto, ports);
  return { id: ruleId(from, to, service), from, to, service, proto, ports, window: null, identity: null, jit: null, state: 'proposed', evidence: { flows: 0, bytes: 0, firstSeen: null, lastSeen: null, clients: 0, servers: 0, edges: [], steps: [step] } };
}

/** The edges of the given cells on one port. */
function edgesOfCells(index: RuleIndex, cells: readonly string[], port: number): number[] {
  const edges: number[] = [];
  for (const cell of cells) {
    const set = index.cells.get(cell)?.get(port);
    // One push per edge: a spread of a large set would overflow the call stack.
    if (set !== undefined) for (const edge of set) edges.push(edge);
  }
  return edges;
}

/** Builds the rules of one index: lifted services first decided, then every cell. */
export class RuleBuilder {
  private readonly admin = new Set<string>();
  private readonly hostsCache = new Map<string, { fingerprint: string; clients: number; servers: number }>();
  private readonly businessMask: Uint8Array;
  private readonly evidenceRows: EvidenceRows;
  /** Per edge: 1 when it is media on a negotiated port (discover/negotiated-ports.ts). */
  private readonly negotiated: Uint8Array;

  constructor(private readonly context: RuleContext) {
    this.evidenceRows = new EvidenceRows(context.edges, context.sortKey);
    this.negotiated = negotiatedEdges(context.edges);
    for (const service of context.settings.adminServices) this.admin.add(`${service.proto}/${service.port}`);
    this.businessMask = windowMask(context.settings.businessHours);
  }

  isAdminService(proto: number, port: number): boolean {
    return this.admin.has(`${proto}/${port}`);
  }

  /** Whether a service on a server group is remote administration, its role, administration, or no admin service (admin-role.ts). */
  adminRole(index: RuleIndex, to: string, proto: number, port: number): AdminRole {
    if (!this.isAdminService(proto, port)) return NOT_ADMIN;
    const usersOf = (p: number, q: number): number => index.clientGroups(serviceKey(to, p, q), to);
    if (this.context.group(to).kind === 'external') return adminRole(proto, port, this.context.settings, 'outside');
    return adminRole(proto, port, this.context.settings, () => ({
      users: usersOf(proto, port),
      others: Math.max(0, this.context.internalGroups() - 1),
      ...this.serviceHosts(index, serviceKey(to, proto, port)),
      directory: directoryServed(this.context.settings, usersOf),
    }));
  }

  /**
   * Distinct internal client hosts and server hosts of a service's internal
   * edges, cached on the index's fingerprint of that edge set (the same edges
   * give the same hosts, whatever else moved).
   */
  private serviceHosts(index: RuleIndex, service: string): { clients: number; servers: number } {
    const tally = index.serviceEdges.get(service);
    if (tally === undefined) return { clients: 0, servers: 0 };
    const fingerprint = `${tally.count}|${tally.hashA}|${tally.hashB}`;
    const cached = this.hostsCache.get(service);
    if (cached !== undefined && cached.fingerprint === fingerprint) return { clients: cached.clients, servers: cached.servers };
    const { to, proto, port } = splitServiceKey(service);
    const clients = new Set<string>();
    const servers = new Set<string>();
    for (const from of index.serviceClients.get(service)?.keys() ?? []) {
      for (const edge of index.cells.get(cellKey(from, to, proto))?.get(port) ?? []) {
        clients.add(this.context.edges[edge]!.client);
        servers.add(this.context.edges[edge]!.server);
      }
    }
    const counted = { fingerprint, clients: clients.size, servers: servers.size };
    this.hostsCache.set(service, counted);
    return { clients: counted.clients, servers: counted.servers };
  }

  /** Everything the rules of a role-dependent service on a group take from its role decision (a change rebuilds them). */
  roleSignature(index: RuleIndex, service: string): string {
    const { to, proto, port } = splitServiceKey(service);
    return JSON.stringify(this.adminRole(index, to, proto, port));
  }

  /**
   * Whether an internal service is used by enough internal groups, holding
   * enough of the internal hosts, to become one rule from every internal host
   * (never administration).
   */
  isLifted(index: RuleIndex, service: string): boolean {
    const { to, proto, port } = splitServiceKey(service);
    const role = this.adminRole(index, to, proto, port).kind;
    if (role !== 'none' && role !== 'role') return false;
    return this.liftHolds(index.clientGroups(service, to), () => {
      const { userHosts, otherHosts } = this.liftHosts(index, service);
      return { hosts: userHosts, otherHosts };
    });
  }

  /**
   * The lifting thresholds, either way: enough of the other internal groups
   * (and at least liftMinGroups), then enough of the other internal hosts
   * (asked only when the groups suffice).
   */
  private liftHolds(groups: number, hosts: () => { hosts: number; otherHosts: number }): boolean {
    const others = this.context.internalGroups() - 1;
    const { liftMinGroups, liftMinShare, liftMinHostShare } = this.context.settings;
    if (groups < liftMinGroups || others <= 0 || groups / others < liftMinShare) return false;
    const counted = hosts();
    return counted.otherHosts > 0 && counted.hosts / counted.otherHosts >= liftMinHostShare;
  }

  /** The 'lift' step of a lifted rule, either way, with the counts it rests on. */
  private liftStep(groups: number, hosts: number, otherHosts: number, direction: 'from' | 'to'): GeneralisationStep {
    const { liftMinGroups, liftMinShare, liftMinHostShare } = this.context.settings;
    return {
      step: 'lift',
      detail:
        `used ${direction === 'from' ? 'by' : 'on'} ${groups} of the ${this.context.internalGroups() - 1} other internal groups, holding ${hosts} of the ${otherHosts} other internal hosts ` +
        `(lifted at ≥ ${Math.round(liftMinShare * 100)}% and ≥ ${liftMinGroups} groups, ≥ ${Math.round(liftMinHostShare * 100)}% of hosts): one rule ${direction} every internal host`,
    };
  }

  /**
   * Hosts in the groups that use a service (its server group left out), and
   * all internal hosts outside its server group: a lifted rule opens the
   * service to the difference.
   */
  liftHosts(index: RuleIndex, service: string): { userHosts: number; otherHosts: number } {
    const { to } = splitServiceKey(service);
    const { hosts, otherHosts } = this.hostsBeside(index.serviceClients.get(service)?.keys() ?? [], to);
    return { userHosts: hosts, otherHosts };
  }

  /** Hosts of the given groups other than `own`, and all internal hosts outside `own`: what a lifted rule, either way, weighs. */
  private hostsBeside(groups: Iterable<string>, own: string): { hosts: number; otherHosts: number } {
    let hosts = 0;
    for (const group of groups) if (group !== own) hosts += this.context.group(group).size;
    return { hosts, otherHosts: this.context.group(ALL_INTERNAL).size - this.context.group(own).size };
  }

  /** The lifted rule of a service: every internal client edge of it, from all internal hosts. */
  liftedRule(index: RuleIndex, service: string): PolicyRule {
    const { to, proto, port } = splitServiceKey(service);
    const edges = edgesOfCells(index, [...index.serviceClients.get(service)!.keys()].map((from) => cellKey(from, to, proto)), port);
    const { userHosts, otherHosts } = this.liftHosts(index, service);
    const step = this.liftStep(index.clientGroups(service, to), userHosts, otherHosts, 'from');
    return this.rule(ALL_INTERNAL, to, proto, port < 0 ? null : { from: port, to: port }, edges, [step], this.adminRole(index, to, proto, port));
  }

  /**
   * Lifting the other way: whether one internal group uses a service on
   * enough of the other internal groups, holding enough of the other hosts,
   * to get one rule to every internal host (a monitoring server scraping
   * node-exporter everywhere, a backup server polling its agents). The same
   * thresholds as lifting, so the rule opens the service on at most as many
   * hosts again as it was seen on. Administration only from an admin
   * station (isAdminStation), and then just in time.
   */
  isFannedOut(index: RuleIndex, use: string): boolean {
    const { from, proto, port } = splitUseKey(use);
    if (this.isAdminService(proto, port)) return this.isAdminStation(index, use);
    return this.liftHolds(index.serverGroups(use, from), () => {
      const { serverHosts, otherHosts } = this.fanOutHosts(index, use);
      return { hosts: serverHosts, otherHosts };
    });
  }

  /**
   * A group that opened remote administration (SSH, RDP, WinRM, VNC: not
   * SMB or RPC, which are some servers' role) on at least
   * adminStationMinHosts internal hosts outside it, over all those services
   * together, is an admin station: a jump host, an engineering workstation.
   * The next host it administers is as likely one it never reached in the
   * capture (a new server, another line's HMI), so its rule goes to every
   * internal host, just-in-time (closed until an owner opens it, as its
   * per-group rules were). Hosts, not groups: two lines' HMIs reached by
   * RDP and VNC are two groups, and the console reaches the third line
   * next. A group the settings name an admin group (a jump host) keeps its
   * open rules to the groups it administered, an open rule to every host
   * being no least privilege, and gets the just-in-time rule to every host
   * beside them: its next session to a host it has not administered waits
   * for an owner instead of finding no rule.
   */
  private isAdminStation(index: RuleIndex, use: string): boolean {
    const { from, proto, port } = splitUseKey(use);
    if (!this.isRemoteAdmin(proto, port)) return false;
    return this.administeredHosts(index, from) >= this.context.settings.adminStationMinHosts;
  }

  isRemoteAdmin(proto: number, port: number): boolean {
    return adminRole(proto, port, this.context.settings, 'outside').kind === 'remote-admin';
  }

  /** Per group, while withAdminHostMemo runs: the index does not change meanwhile. */
  private adminHostsMemo: Map<string, number> | null = null;

  /** Runs `decide` with administeredHosts remembered per group: a cut decides every admin use of every group at once. */
  withAdminHostMemo<T>(decide: () => T): T {
    this.adminHostsMemo = new Map();
    try {
      return decide();
    } finally {
      this.adminHostsMemo = null;
    }
  }

  /** The internal hosts outside `from` that its members opened remote administration on, over every such service. */
  administeredHosts(index: RuleIndex, from: string): number {
    const remembered = this.adminHostsMemo?.get(from);
    if (remembered !== undefined) return remembered;
    const hosts = new Set<string>();
    for (const cell of index.cellsOfGroup.get(from) ?? []) {
      const { from: client, to, proto } = splitCellKey(cell);
      if (client !== from || to === from || this.context.group(to).kind === 'external') continue;
      for (const [port, edges] of index.cells.get(cell)!) {
        if (!this.isRemoteAdmin(proto, port)) continue;
        for (const edge of edges) hosts.add(index.edges[edge]!.server);
      }
    }
    this.adminHostsMemo?.set(from, hosts.size);
    return hosts.size;
  }

  /** Hosts in the groups serving a use (the client's group left out), and all internal hosts outside the client's group. */
  fanOutHosts(index: RuleIndex, use: string): { serverHosts: number; otherHosts: number } {
    const { from } = splitUseKey(use);
    const { hosts, otherHosts } = this.hostsBeside(index.clientUses.get(use)?.keys() ?? [], from);
    return { serverHosts: hosts, otherHosts };
  }

  /** The rule of a use lifted the other way: every internal edge of it, to every internal host. */
  fanOutRule(index: RuleIndex, use: string): PolicyRule {
    const { from, proto, port } = splitUseKey(use);
    const edges = edgesOfCells(index, [...index.clientUses.get(use)!.keys()].map((to) => cellKey(from, to, proto)), port);
    const ports = port < 0 ? null : { from: port, to: port };
    const groups = index.serverGroups(use, from);
    if (this.isAdminService(proto, port)) {
      const step: GeneralisationStep = {
        step: 'lift',
        detail: `administered ${this.administeredHosts(index, from)} internal hosts outside its group (an admin station at ≥ ${this.context.settings.adminStationMinHosts}), in ${groups} of the ${this.context.internalGroups() - 1} other internal groups on this service: one just-in-time rule to every internal host, for the hosts it will administer next`,
      };
      return this.rule(from, ALL_INTERNAL, proto, ports, edges, [step], { kind: 'remote-admin' }, true);
    }
    const { serverHosts, otherHosts } = this.fanOutHosts(index, use);
    return this.rule(from, ALL_INTERNAL, proto, ports, edges, [this.liftStep(groups, serverHosts, otherHosts, 'to')]);
  }

  /** The rules of one cell, leaving out the ports lifted for internal clients and those lifted the other way for internal servers. */
  cellRules(index: RuleIndex, key: string, lifted: ReadonlySet<string>, fannedOut: ReadonlySet<string>): PolicyRule[] {
    const { from, to, proto } = splitCellKey(key);
    const ports = index.cells.get(key)!;
    const fromInternal = this.context.group(from).kind !== 'external';
    const bothInternal = fromInternal && this.context.group(to).kind !== 'external';
    const rules: PolicyRule[] = [];
    const mergeable: number[] = [];
    for (const port of ports.keys()) {
      if (fromInternal && lifted.has(serviceKey(to, proto, port))) continue;
      // An admin group's own sessions stay open per group beside its just-in-time rule to every host (isAdminStation).
      if (bothInternal && fannedOut.has(useKey(from, proto, port)) && !(this.context.group(from).admin && this.isRemoteAdmin(proto, port))) continue;
      if (port < 0) rules.push(this.rule(from, to, proto, null, [...ports.get(port)!], []));
      else if (this.isAdminService(proto, port)) rules.push(this.rule(from, to, proto, { from: port, to: port }, [...ports.get(port)!], [], this.adminRole(index, to, proto, port)));
      else mergeable.push(port);
    }
    // Media on ports signalling hands out (a phone's RTP): one range over those seen, whatever its density,
    // since the next call takes a port no capture has seen yet.
    // Split at the admin services like any range: a media range never opens one (UDP 3389) on the side.
    // Between internal groups only: LAN announcements to a broadcast address (Dropbox's 17500, MikroTik's
    // 5678 from a dozen hosts) can look like one-off ports on one host, and are no call.
    const taken = new Set<number>();
    const negotiated = (port: number): boolean => bothInternal && [...ports.get(port)!].every((edge) => this.negotiated[edge] === 1);
    for (const media of this.segments(proto, mergeable.filter(negotiated))) {
      if (media.length < 2) continue;
      // Calls spread over phones: one pair of hosts alone on hundreds of one-off ports is as well a port
      // sweep or a peer-to-peer program (a malware capture shows one), and keeps its ports as seen.
      const ends = new Set(media.flatMap((port) => [...ports.get(port)!].flatMap((edge) => [`c${this.context.edges[edge]!.client}`, `s${this.context.edges[edge]!.server}`])));
      if (ends.size < 3) continue;
      const from_ = media.reduce((low, port) => Math.min(low, port), Infinity);
      const to_ = media.reduce((high, port) => Math.max(high, port), -Infinity);
      const edges = media.flatMap((port) => [...ports.get(port)!]);
      const detail = `${media.length} ports that call signalling handed out (negotiated media, one pair per call) within ${from_}–${to_}: the next call takes another`;
      rules.push(this.rule(from, to, proto, { from: from_, to: to_ }, edges, [{ step: 'port-range', detail }]));
      for (const port of media) taken.add(port);
    }
    // A filter, not a spread into splice: a cell can hold more ports than a call takes arguments.
    const rest = taken.size === 0 ? mergeable : mergeable.filter((port) => !taken.has(port));
    const { rangeMinPorts, rangeMinDensity } = this.context.settings;
    for (const run of this.segments(proto, rest).flatMap((segment) => mergePortRanges(segment, rangeMinPorts, rangeMinDensity))) {
      const edges = run.used.flatMap((port) => [...ports.get(port)!]);
      const steps: GeneralisationStep[] =
        run.from === run.to
          ? []
          : [{
              step: 'port-range',
              detail: `${run.used.length} ports used within ${run.from}–${run.to} (${Math.round((100 * run.used.length) / (run.to - run.from + 1))}% of the range; merged at ≥ ${rangeMinPorts} ports filling ≥ ${Math.round(rangeMinDensity * 100)}%)`,
            }];
      rules.push(this.rule(from, to, proto, { from: run.from, to: run.to }, edges, steps));
    }
    return rules;
  }

  /**
   * Ports split at the admin services of the protocol: a range never spans
   * one (they stay explicit, and just-in-time where due). SMB and RPC stay
   * explicit on a server whose role they are too: the role is decided per
   * service and can flip with a regrouping, and a rule that is exactly
   * tcp/445 keeps its id, its role evidence and its admin-path count either way.
   */
  private segments(proto: number, ports: readonly number[]): number[][] {
    const cuts = this.context.settings.adminServices.filter((service) => service.proto === proto).map((service) => service.port).sort((a, b) => a - b);
    const segments = new Map<number, number[]>();
    for (const port of ports) {
      let segment = 0;
      while (segment < cuts.length && cuts[segment]! < port) segment++;
      const list = segments.get(segment);
      if (list === undefined) segments.set(segment, [port]);
      else list.push(port);
    }
    return [...segments.keys()].sort((a, b) => a - b).map((segment) => segments.get(segment)!);
  }

  /** A port that comes with one a rule opens (companion-rules.ts): a rule with no edges of its own, in its rule's window and for its clients. */
  companionRule(opening: CompanionOpening): PolicyRule {
    const { from, to, proto, port, detail, window, identity } = opening;
    return { ...edgelessRule(from, to, proto, port, { step: 'companion', detail }), window, identity };
  }

  /** An idle group's probed port opened to a group that uses it elsewhere (idle-groups.ts): a rule with no edges of its own. */
  idleRule(opening: IdleOpening): PolicyRule {
    const { from, to, proto, port, detail } = opening;
    return edgelessRule(from, to, proto, port, { step: 'idle-replica', detail });
  }

  /** `closed`: just-in-time even from an admin group (an admin station's rule to every host). */
  private rule(from: string, to: string, proto: number, ports: PortRange | null, edgeIds: readonly number[], steps: GeneralisationStep[], role: AdminRole = NOT_ADMIN, closed = false): PolicyRule {
    const { context } = this;
    const { rank } = this.evidenceRows;
    const ordered = Int32Array.from(edgeIds).sort((a, b) => rank[a]! - rank[b]!);
    const edges = Array.from(ordered, (id) => context.edges[id]!);
    const clients = new Set(edges.map((edge) => edge.client));
    const servers = new Set(edges.map((edge) => edge.server));
    const fromGroup = context.group(from);
    const toGroup = context.group(to);
    const jit = role.kind !== 'none' && role.kind !== 'role' && (!fromGroup.admin || closed) ? { requesters: this.requesters(clients, servers) } : null;
    const access = this.accessStep(role, proto, ports, fromGroup, to, jit);
    const allSteps = [...this.groupSteps(fromGroup, clients, 'clients'), ...this.groupSteps(toGroup, servers, 'servers'), ...(access === null ? [] : [access]), ...steps];
    const window = jit === null ? this.proposedWindow(edges) : null;
    if (window !== null) {
      allSteps.push({ step: 'time-window', detail: `all traffic, over ${window.hours} distinct hours of the week, falls in ${describeWindow(context.settings.businessHours)}` });
    }
    const service = serviceId(proto, ports);
    return {
      id: ruleId(from, to, service),
      from,
      to,
      service,
      proto,
      ports,
      window: window === null ? null : context.settings.businessHours,
      identity: null,
      jit,
      state: 'proposed',
      evidence: this.evidence(ordered, edges, clients.size, servers.size, allSteps),
    };
  }

  /** Why a rule on an admin service is or is not just-in-time; null for other services. */
  private accessStep(role: AdminRole, proto: number, ports: PortRange | null, fromGroup: RuleGroup, to: string, jit: PolicyRule['jit']): GeneralisationStep | null {
    if (role.kind === 'none') return null;
    const id = serviceId(proto, ports);
    const name = serviceLabel(proto, ports);
    const service = name === null ? id : `${name} ${id}`;
    const { settings } = this.context;
    if (role.kind === 'role') return { step: 'role', detail: `${describeRole(service, to, role, settings)}: always open, not just-in-time` };
    const what =
      role.kind === 'remote-admin' ? `${service} is remote administration` : role.kind === 'outside' ? `${service} into an outside network is administration` : describeRole(service, to, role, settings);
    if (jit === null) return { step: 'admin-group', detail: `${what}; ${fromGroup.id} (${fromGroup.name}) is an admin group: open` };
    const seen = jit.requesters.length;
    const users = seen > 0 ? ` (${seen} user${seen === 1 ? '' : 's'} seen logging on)` : '';
    if (fromGroup.admin) {
      return {
        step: 'just-in-time',
        detail: `${what}; ${fromGroup.id} (${fromGroup.name}) is an admin group, open to the groups it administered, and just-in-time to every other host, closed until opened on request${users}`,
      };
    }
    return { step: 'just-in-time', detail: `${what}, and ${fromGroup.id} is not an admin group: just-in-time, closed until opened on request${users}` };
  }

  private groupSteps(group: RuleGroup, seen: ReadonlySet<string>, role: 'clients' | 'servers'): GeneralisationStep[] {
    if (group.kind === 'external' && isAnyOutsideGroup(group.id)) {
      const { publicMinNetworks, externalPrefixV4, externalPrefixV6 } = this.context.settings;
      const networks = new Set([...seen].map((ip) => networkGroupId(ip, 'external', this.context.settings))).size;
      const what = role === 'clients' ? 'the service is public' : 'the use is open';
      const bar = role === 'clients' ? `a host's service used from ${publicMinNetworks} or more outside networks` : `a host's use of a service on ${publicMinNetworks} or more outside networks`;
      return [
        {
          step: 'external-cidr',
          detail: `${seen.size} outside addresses from ${networks} networks (/${externalPrefixV4}, /${externalPrefixV6}) seen as ${role}: ${what} (${bar}), and the next ones will come from networks not seen yet; the rule names any outside address`,
        },
      ];
    }
    if (group.kind === 'external') {
      const network = networkOfGroup(group.id);
      const noun = network === null ? 'outside address' : addressNoun(network.scope);
      return [{ step: 'external-cidr', detail: `${seen.size} ${noun}${seen.size === 1 ? '' : 'es'} seen as ${role}; the rule names their network ${network?.network ?? group.id}` }];
    }
    if (group.id === ALL_INTERNAL || seen.size >= group.size) return [];
    return [{ step: 'group', detail: `${seen.size} of the ${group.size} members of ${group.id} (${group.name}) seen as ${role}; the rule covers the whole group` }];
  }

  /**
   * The business-hours window, when every flow of the evidence lies inside it
   * and the traffic is spread over at least windowMinHours distinct hours of
   * the week (one busy hour says nothing about when a service is needed).
   */
  private proposedWindow(edges: readonly PolicyEdge[]): { hours: number } | null {
    const seen = new Uint8Array(168);
    let hours = 0;
    for (const edge of edges) {
      let timed = 0;
      for (let k = 0; k < edge.weekHours.length; k++) {
        const hour = edge.weekHours[k]!;
        if (this.businessMask[hour] !== 1) return null;
        timed += edge.weekFlows[k]!;
        if (seen[hour] === 0) {
          seen[hour] = 1;
          hours++;
        }
      }
      // Flows without a time could have been at any hour.
      if (timed < edge.flows) return null;
    }
    return hours >= this.context.settings.windowMinHours ? { hours } : null;
  }

  private requesters(clients: ReadonlySet<string>, servers: ReadonlySet<string>): { user: string; logons: number }[] {
    const counts = new Map<string, number>();
    for (const logon of this.context.logons) {
      if (logon.targetIp === null || !servers.has(logon.targetIp)) continue;
      // Without a source address in the event, a logon on the server is still evidence of who administers it.
      if (logon.sourceIp !== null && !clients.has(logon.sourceIp)) continue;
      counts.set(logon.user, (counts.get(logon.user) ?? 0) + logon.count);
    }
    return [...counts].map(([user, logons]) => ({ user, logons })).sort((a, b) => b.logons - a.logons || compareText(a.user, b.user));
  }

  private evidence(ids: Int32Array, edges: readonly PolicyEdge[], clients: number, servers: number, steps: GeneralisationStep[]): PolicyRule['evidence'] {
    let flows = 0;
    let bytes = 0;
    let first = Infinity;
    let last = -Infinity;
    for (const edge of edges) {
      flows += edge.flows;
      bytes += edge.bytes;
      if (edge.firstMs !== null && edge.firstMs < first) first = edge.firstMs;
      if (edge.lastMs !== null && edge.lastMs > last) last = edge.lastMs;
    }
    const { rows } = this.evidenceRows;
    const evidenceEdges: EvidenceEdge[] = Array.from(ids, (id) => rows[id]!);
    return { flows, bytes, firstSeen: iso(first), lastSeen: iso(last), clients, servers, edges: evidenceEdges, steps };
  }

}
