import { edgeKey } from './anomalies/types';
import { getOrAdd } from '../util/multimap';
import { REMOTE_ADMIN_SERVICES, ROLE_DEPENDENT_ADMIN_SERVICES } from '../flow/admin-services';
import { ADMIN_ROLE_DEFAULTS } from '../policy/admin-role';
import { hasPorts } from '../flow/protocols';
import { isIcmpError, serviceLabel } from '../enrich/service-names';
import { compareText } from '../util/compare';
import { HOST_FEATURE_DEFAULTS, type HostFeatures } from './host-features';
import { dynamicRpcEdges } from './dynamic-rpc';

/**
 * The role part of a group's name, from what distinguishes the group in
 * the traffic: the server port its clients use most, or, for a group that
 * serves nothing, what it does to others (scrapes every host, administers
 * them, uses a service). A well-known service name is printed only when the
 * port is the registered one and, for ports other software uses too, the
 * traffic fits the service (CHECKED_SERVICE_NAMES).
 */
export const GROUP_NAME_DEFAULTS = {
  /**
   * A service is what the network asks of every host (a monitoring exporter,
   * an agent port) rather than anyone's role when at least this share of the
   * hosts that serve anything serve it…
   */
  everywhereShare: 0.5,
  /** …to distinct clients at most this share of its servers (one Prometheus scraping 40 hosts: 1/40). */
  collectorClientShare: 0.25,
  /**
   * Once the grouping is known, a service is also asked of hosts (a backup
   * or inventory agent) when its servers are in at least this many groups
   * and its clients are as few as above: no application's role spans them.
   */
  collectorMinGroups: 3,
  /** A group that uses such a service on at least this share of its servers polls them ("monitoring" for monitoring agents). */
  scrapeShare: 0.5,
  /** SMB and RPC name a group only when more than this share of its clients use them (a file server's role). */
  roleDependentShare: 0.5,
  /** A group that serves nothing and uses remote administration on at least this many hosts is administration… */
  adminMinHosts: 3,
  /** …when at least this share of its members do so (one scanner among workstations is not); likewise for polling. */
  roleMemberShare: 0.5,
  /**
   * Remote administration names a group only where at least this many
   * client hosts come to it for it… (SFTP that every store server pulls
   * from, a terminal server a department works on). Policy's hub test
   * (admin-role.ts isHub: roleMinGroups × roleMinClientsPerServer client
   * hosts at roleMinClientsPerServer per server), so the group whose SSH
   * rule is its role is the one named by SSH; administration fans out from
   * a few consoles and never comes in that many.
   */
  adminHubMinClients: ADMIN_ROLE_DEFAULTS.roleMinGroups * ADMIN_ROLE_DEFAULTS.roleMinClientsPerServer,
  /** …and at least this many per member serving it. */
  adminHubMinClientsPerServer: ADMIN_ROLE_DEFAULTS.roleMinClientsPerServer,
  /** "Few clients", in the checks of CHECKED_SERVICE_NAMES. */
  fewClients: 3,
  /** "Scrapes many hosts", in the checks of CHECKED_SERVICE_NAMES: polls one collector service (isCollectorService) on at least this many hosts. */
  scrapeMinHosts: 5,
} as const;

/** A client→server edge; `flows` (default 1) ranks services its clients use equally often by host count. */
export interface NamingEdge {
  readonly client: string;
  readonly server: string;
  readonly proto: number;
  /** −1 for protocols without ports; ICMP carries its type here. */
  readonly port: number;
  readonly flows?: number;
}

/** What the traffic says about one service a group offers, for CHECKED_SERVICE_NAMES. */
export interface ServiceEvidence {
  /** Distinct client hosts of the service on the group's members. */
  readonly clients: number;
  /** The share of those clients that are members of the group itself (cluster peers). */
  readonly insideShare: number;
  /** Offered by most serving hosts to a few collectors (see GROUP_NAME_DEFAULTS.everywhereShare). */
  readonly collector: boolean;
  /** The most hosts outside the group the group polls one collector service on (an agent most hosts offer to a few clients). */
  readonly scrapedHosts: number;
  /** The protocol a sensor identified on this port of most of the group's servers (Zeek's service), if any. */
  readonly observed?: string;
}

export interface CheckedServiceName {
  readonly proto: number;
  readonly port: number;
  readonly name: string;
  /** Why the port alone does not say it. */
  readonly why: string;
  readonly fits: (evidence: ServiceEvidence) => boolean;
}

const D = GROUP_NAME_DEFAULTS;

/**
 * Registered names whose port other software uses as often: the name is
 * printed only when the traffic fits; otherwise the bare port ("tcp/9090").
 * Ports not listed here are named from src/core/enrich/service-names.ts.
 */
export const CHECKED_SERVICE_NAMES: readonly CheckedServiceName[] = [
  {
    proto: 6,
    port: 5000,
    name: 'http-alt',
    why: 'Flask, the Docker registry, UPnP and NAS consoles all listen on 5000; flow records cannot tell HTTP from the rest.',
    fits: () => false,
  },
  {
    proto: 6,
    port: 7000,
    name: 'cassandra',
    why: "7000 is also AirPlay and many application defaults; Cassandra's inter-node port is used mostly by the other nodes of its own cluster.",
    fits: (e) => e.insideShare >= 0.5,
  },
  {
    proto: 6,
    port: 9000,
    name: 'http-alt',
    why: 'php-fpm (FastCGI, not HTTP), the ClickHouse native protocol, MinIO, SonarQube and Portainer all listen on 9000.',
    fits: () => false,
  },
  {
    proto: 6,
    port: 9090,
    name: 'prometheus',
    why: 'Thrift services, Cockpit and Openfire listen on 9090 too; a Prometheus server is queried by a few dashboards and itself scrapes many hosts.',
    fits: (e) => e.clients <= D.fewClients && e.scrapedHosts >= D.scrapeMinHosts,
  },
  {
    proto: 6,
    port: 9093,
    name: 'alertmanager',
    why: "9093 is Kafka's usual TLS listener; Alertmanager hears from a few Prometheus servers, a broker from many producers and consumers.",
    fits: (e) => e.clients <= D.fewClients,
  },
  {
    proto: 6,
    port: 9100,
    name: 'node-exporter',
    why: 'raw printing (HP JetDirect) is 9100; an exporter is scraped on most hosts by a few collectors, a printer is used by many workstations.',
    fits: (e) => e.collector,
  },
];

/**
 * Agents a monitoring system polls: a group polling one of these on most of
 * its servers is "monitoring"; other polled agents (backup, inventory) get
 * a plain "polls tcp/9102 on 12 hosts".
 */
const MONITORING_AGENTS = new Set(['6/9100', '6/9182', '6/10050', '6/5666', '6/4949', '17/161', '1/8', '58/128']);

const REMOTE_ADMIN = new Set(REMOTE_ADMIN_SERVICES.map((service) => serviceKey(service.proto, service.port)));
const ROLE_DEPENDENT = new Set(ROLE_DEPENDENT_ADMIN_SERVICES.map((service) => serviceKey(service.proto, service.port)));
const CHECKED = new Map(CHECKED_SERVICE_NAMES.map((entry) => [serviceKey(entry.proto, entry.port), entry]));

/** A peer host: its key (address, or a refinement round's group name), the internal host standing for it (−1: none), how many hosts it stands for. */
interface Peer {
  readonly key: string;
  readonly host: number;
  readonly weight: number;
}
interface Use {
  readonly service: string;
  readonly proto: number;
  readonly port: number;
  readonly peer: Peer;
  readonly flows: number;
  /** A server's RPC endpoint that this client used (dynamic-rpc.ts): the domain's plumbing, not what the client is for. */
  readonly rpcEndpoint?: boolean;
}

/** The role part of a group's name. */
export interface GroupRole {
  /** What the group is for: its service, "monitoring (…)", "administration (…)"; null when the traffic shows no role. */
  readonly role: string | null;
  /** Whether the role is a service it serves (else what it does to others, which agreed labels name better). */
  readonly serves: boolean;
  /** Without a role: what it uses ("clients of https tcp/443"), or the little it does. */
  readonly fallback: string;
  /** Whose group tells this one apart from a namesake: its clients' when it serves, its servers' when it uses. */
  readonly peers: 'clients' | 'servers';
}

/**
 * Per-host evidence for naming, built once per grouping: what each internal
 * host serves and to whom, what it uses and on whom. From the edges when the
 * caller has them; otherwise read back from the features' "serves S to P" and
 * "uses S on P" (in refinement rounds P names a group, "{10.0.0.5 +2}",
 * counted as its three hosts).
 */
export class NamingEvidence {
  private readonly served: Use[][];
  private readonly used: Use[][];
  private readonly servers = new Map<string, Set<number>>();
  private readonly clients = new Map<string, Map<string, number>>();
  private readonly users = new Map<string, Set<number>>();
  private readonly servingHosts: number;
  private readonly collectors = new Map<string, boolean>();
  private groupOf: Int32Array | null = null;

  constructor(
    private readonly features: HostFeatures,
    edges?: readonly NamingEdge[],
    /** The protocol a sensor identified per server port, keyed "ip|proto|port" (observed-services.ts). */
    private readonly observedServices: ReadonlyMap<string, string> = new Map(),
  ) {
    const count = features.hosts.length;
    const index = new Map(features.hosts.map((host, i) => [host.ip, i]));
    this.served = Array.from({ length: count }, () => []);
    this.used = Array.from({ length: count }, () => []);
    const peer = (text: string): Peer => {
      const group = /^\{(\S+) \+(\d+)\}$/.exec(text);
      if (group !== null) return { key: text, host: index.get(group[1]!) ?? -1, weight: Number(group[2]) + 1 };
      return { key: text, host: index.get(text) ?? -1, weight: 1 };
    };
    if (edges !== undefined) {
      const merged = new Map<string, NamingEdge & { flows: number }>();
      for (const edge of edges) {
        if (edge.client === edge.server) continue;
        const key = edgeKey(edge);
        const seen = merged.get(key);
        if (seen === undefined) merged.set(key, { ...edge, flows: edge.flows ?? 1 });
        else seen.flows += edge.flows ?? 1;
      }
      const isRpcEndpoint = dynamicRpcEdges(edges, HOST_FEATURE_DEFAULTS.rpcEndpointMinAskedShare);
      for (const edge of merged.values()) {
        if (hasPorts(edge.proto) && edge.port === 0) continue;
        const service = serviceKey(edge.proto, edge.port);
        const server = index.get(edge.server);
        const client = index.get(edge.client);
        if (server !== undefined) this.served[server]!.push({ service, proto: edge.proto, port: edge.port, peer: peer(edge.client), flows: edge.flows });
        if (client !== undefined) this.used[client]!.push({ service, proto: edge.proto, port: edge.port, peer: peer(edge.server), flows: edge.flows, rpcEndpoint: isRpcEndpoint(edge) });
      }
    } else {
      for (let host = 0; host < count; host++) {
        const profile = features.profileOfHost[host]!;
        for (let k = features.featureStart[profile]!; k < features.featureStart[profile + 1]!; k++) {
          const feature = features.features[features.featureIds[k]!]!;
          if (feature.kind !== 'servesTo' && feature.kind !== 'usesOn') continue;
          const head = feature.kind === 'servesTo' ? 'serves ' : 'uses ';
          const at = feature.name.indexOf(feature.kind === 'servesTo' ? ' to ' : ' on ');
          const parsed = parseServiceText(feature.name.slice(head.length, at));
          // Port 0 is no service (fragments, malformed records): it never names a group.
          if (parsed === null || (hasPorts(parsed.proto) && parsed.port === 0)) continue;
          const use = { service: serviceKey(parsed.proto, parsed.port), ...parsed, peer: peer(feature.name.slice(at + 4)), flows: 1 };
          if (use.peer.key === features.hosts[host]!.ip) continue;
          (feature.kind === 'servesTo' ? this.served : this.used)[host]!.push(use);
        }
      }
    }
    let serving = 0;
    for (let host = 0; host < count; host++) {
      if (this.served[host]!.length > 0) serving++;
      for (const use of this.served[host]!) {
        getOrAdd(this.servers, use.service, () => new Set<number>()).add(host);
        getOrAdd(this.clients, use.service, () => new Map<string, number>()).set(use.peer.key, use.peer.weight);
      }
      for (const use of this.used[host]!) getOrAdd(this.users, use.service, () => new Set<number>()).add(host);
    }
    this.servingHosts = serving;
  }

  /**
   * Offered by most hosts that serve anything, to a few clients: what the
   * network asks of every host (node exporter scraped by one Prometheus),
   * not any host's role.
   */
  isCollectorService(service: string): boolean {
    let answer = this.collectors.get(service);
    if (answer === undefined) {
      const servers = this.servers.get(service) ?? new Set<number>();
      let clients = 0;
      for (const weight of this.clients.get(service)?.values() ?? []) clients += weight;
      // Remote administration reaches every server from a few jump hosts: that is management, not an agent's port.
      const few = !REMOTE_ADMIN.has(service) && !ROLE_DEPENDENT.has(service) && servers.size > 0 && clients <= D.collectorClientShare * servers.size;
      const everywhere = servers.size >= D.everywhereShare * this.servingHosts;
      const groupOf = this.groupOf;
      const acrossGroups = groupOf !== null && new Set([...servers].map((host) => groupOf[host])).size >= D.collectorMinGroups;
      answer = few && (everywhere || acrossGroups);
      this.collectors.set(service, answer);
    }
    return answer;
  }

  /** The grouping being named (group per host index, −1: none), which lets agents polled across groups be recognised. */
  setGrouping(groupOfHost: Int32Array): void {
    this.groupOf = groupOfHost;
    this.collectors.clear();
  }

  /** The role part of the name of a group with these members (host indexes). */
  role(members: readonly number[]): GroupRole {
    const memberSet = new Set(members);
    const inside = (peer: Peer) => peer.host >= 0 && memberSet.has(peer.host);
    const scraped = this.usedServices(members, inside);

    // What it serves, per service: distinct clients outside and inside the group, and flows.
    const offered = new Map<string, { proto: number; port: number; outside: Map<string, number>; inside: Map<string, number>; outFlows: number; inFlows: number; servers: Set<number> }>();
    const allOutside = new Map<string, number>();
    const allInside = new Map<string, number>();
    for (const host of members) {
      for (const use of this.served[host]!) {
        if (this.isCollectorService(use.service)) continue;
        const entry = getOrAdd(offered, use.service, () => ({ proto: use.proto, port: use.port, outside: new Map(), inside: new Map(), outFlows: 0, inFlows: 0, servers: new Set<number>() }));
        entry.servers.add(host);
        if (inside(use.peer)) {
          entry.inside.set(use.peer.key, use.peer.weight);
          entry.inFlows += use.flows;
          allInside.set(use.peer.key, use.peer.weight);
        } else {
          entry.outside.set(use.peer.key, use.peer.weight);
          entry.outFlows += use.flows;
          allOutside.set(use.peer.key, use.peer.weight);
        }
      }
    }
    const groupClients = allOutside.size > 0 ? allOutside : allInside;
    const groupClientCount = total(groupClients);
    const ranked = [...offered.entries()]
      .filter(([service, entry]) => {
        if (hasPorts(entry.proto) && entry.port <= 0) return false;
        if (REMOTE_ADMIN.has(service)) {
          const clients = total(entry.outside) + total(entry.inside);
          return clients >= D.adminHubMinClients && clients >= D.adminHubMinClientsPerServer * entry.servers.size;
        }
        if (!ROLE_DEPENDENT.has(service)) return true;
        let using = 0;
        for (const [key, weight] of groupClients) if ((allOutside.size > 0 ? entry.outside : entry.inside).has(key)) using += weight;
        return using > D.roleDependentShare * groupClientCount;
      })
      .map(([service, entry]) => ({ service, ...entry, out: total(entry.outside), in: total(entry.inside) }))
      .sort((a, b) => b.out - a.out || b.outFlows - a.outFlows || b.in - a.in || b.inFlows - a.inFlows || a.proto - b.proto || a.port - b.port);
    const isPortService = (entry: { proto: number; port: number }) => hasPorts(entry.proto) && entry.port > 0;
    const best = ranked.find(isPortService) ?? ranked.find((entry) => !isIcmpError(entry.proto, entry.port));
    // Scraping is polling an agent most hosts offer to a few collectors (an exporter's port), not
    // calling a replicated service: every Thrift service sends its traces to the jaeger agent on each node.
    const scrapedHosts = scraped.filter((entry) => this.isCollectorService(entry.service)).reduce((most, entry) => Math.max(most, entry.hosts), 0);
    if (best !== undefined) {
      const clients = best.out + best.in;
      const observed = this.observedOn(members, best.proto, best.port);
      const evidence: ServiceEvidence = { clients, insideShare: clients === 0 ? 0 : best.in / clients, collector: false, scrapedHosts, ...(observed === null ? {} : { observed }) };
      return { role: this.label(best.proto, best.port, evidence), serves: true, fallback: this.label(best.proto, best.port, evidence), peers: 'clients' };
    }

    // Serves nothing that names it: what it does to others.
    const fallback = this.fallback(members, scraped);
    const monitoring = scraped
      .filter(
        (entry) =>
          this.isCollectorService(entry.service) && entry.hosts >= D.scrapeShare * (this.servers.get(entry.service)?.size ?? 0) && entry.members >= D.roleMemberShare * members.length,
      )
      .sort((a, b) => b.hosts - a.hosts || a.proto - b.proto || a.port - b.port)[0];
    if (monitoring !== undefined) {
      const evidence: ServiceEvidence = { clients: 0, insideShare: 0, collector: true, scrapedHosts };
      const service = this.label(monitoring.proto, monitoring.port, evidence);
      const polls =
        monitoring.service === '1/8' || monitoring.service === '58/128'
          ? `monitoring (pings ${monitoring.hosts} hosts)`
          : MONITORING_AGENTS.has(monitoring.service)
            ? `monitoring (scrapes ${service} on ${monitoring.hosts} hosts)`
            : `polls ${service} on ${monitoring.hosts} hosts`;
      return { role: polls, serves: false, fallback, peers: 'servers' };
    }
    const admin = scraped.filter((entry) => REMOTE_ADMIN.has(entry.service)).sort((a, b) => b.hosts - a.hosts || a.proto - b.proto || a.port - b.port);
    const adminHosts = new Map<string, number>();
    const admins = new Set<number>();
    for (const entry of admin) for (const [key, weight] of entry.servers) adminHosts.set(key, weight);
    for (const host of members) if (this.used[host]!.some((use) => REMOTE_ADMIN.has(use.service) && !inside(use.peer))) admins.add(host);
    if (admin.length > 0 && total(adminHosts) >= D.adminMinHosts && admins.size >= D.roleMemberShare * members.length) {
      const services = admin.slice(0, 2).map((entry) => serviceLabel(entry.proto, entry.port));
      return { role: `administration (${services.join(', ')} on ${total(adminHosts)} hosts)`, serves: false, fallback, peers: 'servers' };
    }
    return { role: null, serves: false, fallback, peers: 'servers' };
  }

  /**
   * Without a role: "clients of" the most specific service most members use
   * (services of their own first, then protocols without ports, then
   * administration, agents polled, ICMP errors and the RPC endpoints of
   * servers: each domain controller draws its own port, so the one a site's
   * desks use looks rare, but it is the domain's plumbing), else the little the
   * group answers ("ICMP time-exceeded"), else nothing to name it by.
   */
  private fallback(members: readonly number[], used: readonly UsedService[]): string {
    const hostCount = this.features.hosts.length;
    const rank = (entry: { service: string; proto: number; port: number; rpcEndpoint?: boolean }): number =>
      REMOTE_ADMIN.has(entry.service) || this.isCollectorService(entry.service) || isIcmpError(entry.proto, entry.port) || entry.rpcEndpoint === true ? 2 : hasPorts(entry.proto) ? 0 : 1;
    const candidates = used
      .map((entry) => {
        // Specificity: the inverse document frequency of using it (DNS, used by every host, says nothing).
        const specificity = Math.log(hostCount / Math.max(1, this.users.get(entry.service)?.size ?? 0));
        return { ...entry, score: entry.members * specificity, rank: rank(entry) };
      })
      .sort((a, b) => a.rank - b.rank || b.score - a.score || b.members - a.members || b.hosts - a.hosts || a.proto - b.proto || a.port - b.port);
    const top = candidates[0];
    const evidence: ServiceEvidence = { clients: 0, insideShare: 0, collector: top !== undefined && this.isCollectorService(top.service), scrapedHosts: 0 };
    if (top !== undefined) return `clients of ${this.label(top.proto, top.port, evidence)}`;
    const answered = new Map<string, { service: string; proto: number; port: number }>();
    for (const host of members) for (const use of this.served[host]!) answered.set(use.service, use);
    const any = [...answered.values()].sort((a, b) => rank(a) - rank(b) || a.proto - b.proto || a.port - b.port)[0];
    if (any === undefined) return 'no identifiable service';
    return REMOTE_ADMIN.has(any.service) ? `remote administration only (${serviceLabel(any.proto, any.port)})` : serviceLabel(any.proto, any.port, null);
  }

  /** Services the members use on hosts outside the group: how many members use each, on how many distinct hosts. */
  private usedServices(members: readonly number[], inside: (peer: Peer) => boolean): UsedService[] {
    const byService = new Map<string, { proto: number; port: number; servers: Map<string, number>; users: Set<number>; rpcUsers: Set<number> }>();
    for (const host of members) {
      for (const use of this.used[host]!) {
        if (inside(use.peer)) continue;
        const entry = getOrAdd(byService, use.service, () => ({ proto: use.proto, port: use.port, servers: new Map(), users: new Set(), rpcUsers: new Set() }));
        entry.servers.set(use.peer.key, use.peer.weight);
        entry.users.add(host);
        if (use.rpcEndpoint === true) entry.rpcUsers.add(host);
      }
    }
    return [...byService.entries()]
      .sort((a, b) => compareText(a[0], b[0]))
      .map(([service, entry]) => ({
        service,
        proto: entry.proto,
        port: entry.port,
        servers: entry.servers,
        hosts: total(entry.servers),
        members: entry.users.size,
        // As most of the members who use it use it.
        rpcEndpoint: 2 * entry.rpcUsers.size > entry.users.size,
      }));
  }

  /**
   * The protocol a sensor identified on this port of more than half of the
   * members that serve it, or null. What the sensor saw on the wire beats
   * the port number: "http" on 9090, "ssh" on 2222.
   */
  private observedOn(members: readonly number[], proto: number, port: number): string | null {
    if (this.observedServices.size === 0) return null;
    const counts = new Map<string, number>();
    let servers = 0;
    for (const host of members) {
      if (!this.served[host]!.some((use) => use.proto === proto && use.port === port)) continue;
      servers++;
      const name = this.observedServices.get(`${this.features.hosts[host]!.ip}|${proto}|${port}`);
      if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const [top] = [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
    return top !== undefined && top[1] > servers / 2 ? top[0] : null;
  }

  /** A service as it reads in a name: what the sensor identified on it, else its well-known name only when the evidence fits it. */
  private label(proto: number, port: number, evidence: ServiceEvidence): string {
    if (evidence.observed !== undefined) return serviceLabel(proto, port, evidence.observed);
    const checked = CHECKED.get(serviceKey(proto, port));
    if (checked === undefined) return serviceLabel(proto, port);
    return serviceLabel(proto, port, checked.fits(evidence) ? checked.name : null);
  }

  /**
   * For each member's clients (role 'clients') or servers ('servers'): the
   * internal host standing for the peer (−1: outside), weighted by the hosts
   * it stands for. Used to tell namesakes apart by whose group they work with.
   */
  peerHosts(members: readonly number[], peers: 'clients' | 'servers'): Map<number, number> {
    const memberSet = new Set(members);
    const seen = new Map<string, Peer>();
    for (const host of members) {
      for (const use of (peers === 'clients' ? this.served : this.used)[host]!) {
        if (REMOTE_ADMIN.has(use.service) || this.isCollectorService(use.service)) continue;
        if (use.peer.host >= 0 && memberSet.has(use.peer.host)) continue;
        seen.set(use.peer.key, use.peer);
      }
    }
    const weights = new Map<number, number>();
    for (const peer of seen.values()) weights.set(peer.host, (weights.get(peer.host) ?? 0) + peer.weight);
    return weights;
  }
}

interface UsedService {
  readonly service: string;
  readonly proto: number;
  readonly port: number;
  /** Distinct servers outside the group, with the hosts each stands for. */
  readonly servers: ReadonlyMap<string, number>;
  readonly hosts: number;
  /** Members that use it. */
  readonly members: number;
  /** Most of those members use it as a server's RPC endpoint (dynamic-rpc.ts). */
  readonly rpcEndpoint: boolean;
}

/** "6/443", "1/11", "2/-1": services as keys. */
export function serviceKey(proto: number, port: number): string {
  return `${proto}/${port}`;
}

/** host-features' service text ("tcp/443", "icmp/11", "proto2") back to protocol and port. */
export function parseServiceText(text: string): { proto: number; port: number } | null {
  const match = /^(tcp|udp|icmp6|icmp|proto(\d+))(?:\/(\d+))?$/.exec(text);
  if (match === null) return null;
  const proto = match[2] !== undefined ? Number(match[2]) : { tcp: 6, udp: 17, icmp: 1, icmp6: 58 }[match[1] as 'tcp' | 'udp' | 'icmp' | 'icmp6'];
  return { proto, port: match[3] === undefined ? -1 : Number(match[3]) };
}

function total(weights: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const weight of weights.values()) sum += weight;
  return sum;
}

