// Small builders for the policy tests: hosts, edges, generator inputs,
// hand-made policies and a seeded random input for the what-if tests.
import { analysisSettings } from '../../../src/core/discover/discovery-settings';
import { buildPolicy, type PolicyGroupSource } from '../../../src/core/policy/build-policy';
import { RuleGenerator, type InternalGroupSpec, type RuleGeneratorInput } from '../../../src/core/policy/generate-rules';
import type { PolicyEdge, PolicyHost, PolicyLogon } from '../../../src/core/policy/policy-input';
import { mulberry32 } from '../../helpers/prng';
import {
  DEFAULT_POLICY_SETTINGS,
  POLICY_FORMAT,
  POLICY_VERSION,
  type MembershipRule,
  type Policy,
  type PolicyGroup,
  type PolicyRule,
  type PolicySettings,
} from '../../../src/core/policy/policy-model';

export const HOUR = 3_600_000;
/** Monday 2026-01-05 00:00 UTC. */
export const T0 = Date.UTC(2026, 0, 5);

/** Hour of the week (0 = Sunday 00:00 UTC). */
export const how = (day: number, hour: number): number => day * 24 + hour;

/** Zero-padded octets: numeric order as text order (10.0.1.9 before 10.0.1.10). */
export const sortKeyOf = (ip: string): string => ip.split('.').map((part) => part.padStart(3, '0')).join('.');

export interface HostOptions {
  readonly scope?: PolicyHost['scope'];
  readonly name?: string | null;
  readonly labels?: Readonly<Record<string, string>>;
}

/** 10.x addresses are internal unless told otherwise. */
export function host(ip: string, options: HostOptions = {}): PolicyHost {
  return {
    ip,
    sortKey: sortKeyOf(ip),
    scope: options.scope ?? (ip.startsWith('10.') ? 'internal' : 'external'),
    name: options.name ?? null,
    labels: Object.entries(options.labels ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** A TCP edge allowed today, one flow, no time of week unless given. */
export function edge(client: string, server: string, port: number, fields: Partial<PolicyEdge> = {}): PolicyEdge {
  return {
    client,
    server,
    proto: 6,
    port,
    action: 1,
    flows: 1,
    bytes: 100,
    firstMs: T0,
    lastMs: T0 + HOUR,
    hours: 1,
    weekHours: [],
    weekFlows: [],
    ...fields,
  };
}

/** Every address on the edges (and the given hosts, which win). */
export function hostsOf(edges: readonly PolicyEdge[], extra: readonly PolicyHost[] = []): Map<string, PolicyHost> {
  const hosts = new Map<string, PolicyHost>();
  for (const e of edges) for (const ip of [e.client, e.server]) if (!hosts.has(ip)) hosts.set(ip, host(ip));
  for (const h of extra) hosts.set(h.ip, h);
  return hosts;
}

export interface GroupDef {
  readonly id: string;
  readonly name?: string;
  readonly kind?: InternalGroupSpec['kind'];
  readonly labels?: Readonly<Record<string, string>>;
  readonly members: readonly string[];
  readonly match?: MembershipRule | null;
}

export const specOf = (group: GroupDef): InternalGroupSpec => ({ id: group.id, name: group.name ?? `group ${group.id}`, kind: group.kind ?? 'application', labels: group.labels ?? {} });

export const sourceOf = (group: GroupDef): PolicyGroupSource => ({ ...specOf(group), members: group.members, match: group.match ?? null });

export function assignmentOf(groups: readonly GroupDef[]): Map<string, string> {
  const assignment = new Map<string, string>();
  for (const group of groups) for (const ip of group.members) assignment.set(ip, group.id);
  return assignment;
}

export interface InputOptions {
  readonly edges: readonly PolicyEdge[];
  readonly groups: readonly GroupDef[];
  readonly hosts?: readonly PolicyHost[];
  readonly logons?: readonly PolicyLogon[];
  readonly flagged?: readonly string[];
  readonly settings?: PolicySettings;
}

export function generatorInput(options: InputOptions): RuleGeneratorInput {
  return {
    edges: options.edges,
    flagged: new Set(options.flagged ?? []),
    hosts: hostsOf(options.edges, options.hosts ?? []),
    groups: options.groups.map(specOf),
    assignment: assignmentOf(options.groups),
    logons: options.logons ?? [],
    settings: options.settings ?? DEFAULT_POLICY_SETTINGS,
  };
}

export const generate = (options: InputOptions): RuleGenerator => new RuleGenerator(generatorInput(options));

export const ruleIds = (rules: readonly PolicyRule[]): string[] => rules.map((rule) => rule.id);

/** A policy from hand-made groups and edges, through the real generator and builder. */
export function policyOf(options: InputOptions): Policy {
  const input = generatorInput(options);
  return buildPolicy({
    settings: input.settings,
    analysis: analysisSettings(),
    inputs: [{ name: 'flows.csv', bytes: 10, sha256: 'a'.repeat(64) }],
    window: { from: null, to: null },
    groups: options.groups.map(sourceOf),
    hosts: input.hosts,
    generator: new RuleGenerator(input),
  });
}

/** A rule as a hand-made policy holds it (evidence empty unless given). */
export function rule(from: string, to: string, proto: number, ports: { from: number; to: number } | null, fields: Partial<PolicyRule> = {}): PolicyRule {
  const protoName = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 ? 'icmp' : String(proto);
  const service = ports === null ? protoName : ports.from === ports.to ? `${protoName}/${ports.from}` : `${protoName}/${ports.from}-${ports.to}`;
  return {
    id: `${from}>${to}:${service}`,
    from,
    to,
    service,
    proto,
    ports,
    window: null,
    identity: null,
    jit: null,
    state: 'proposed',
    evidence: { flows: 0, bytes: 0, firstSeen: null, lastSeen: null, clients: 0, servers: 0, edges: [], steps: [] },
    ...fields,
  };
}

export function group(id: string, members: readonly string[], fields: Partial<PolicyGroup> = {}): PolicyGroup {
  return { id, name: `group ${id}`, kind: 'application', members, match: null, labels: {}, ...fields };
}

export const EVERYONE: PolicyGroup = { id: 'internal', name: 'every internal host', kind: 'all-internal', members: [], match: { scope: 'internal' }, labels: {} };

/** A policy object from hand-made groups and rules (services derived from the rules; digest not computed). */
export function handPolicy(groups: readonly PolicyGroup[], rules: readonly PolicyRule[], settings: PolicySettings = DEFAULT_POLICY_SETTINGS): Policy {
  const services = new Map(rules.map((r) => [r.service, { id: r.service, proto: r.proto, ports: r.ports, name: null }]));
  return {
    format: POLICY_FORMAT,
    version: POLICY_VERSION,
    settings,
    analysis: null,
    inputs: { files: [], sha256: '0'.repeat(64) },
    window: { from: null, to: null },
    groups: [...groups, EVERYONE],
    services: [...services.values()],
    rules,
    defaultAction: 'deny',
    contentSha256: '0'.repeat(64),
  };
}

/** A seeded PRNG, so random cases replay exactly. */
export const prng = mulberry32;

export const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

export function shuffle<T>(random: () => number, list: readonly T[]): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export interface RandomInput {
  readonly input: RuleGeneratorInput;
  readonly groups: GroupDef[];
  readonly internal: string[];
}

/**
 * About 60 hosts (52 internal in 8 groups, one of them an admin group by
 * name and one by label, plus 8 outside addresses in 3 networks) and about
 * 400 edges: popular services that lift, admin services, dense port sets,
 * ICMP, refused and flagged edges, business-hours and round-the-clock times.
 */
export function randomInput(seed: number): RandomInput {
  const random = prng(seed);
  const internal = Array.from({ length: 52 }, (_, i) => `10.0.${1 + (i % 8)}.${10 + i}`);
  const external = ['198.51.100.7', '198.51.100.9', '198.51.100.200', '203.0.113.5', '203.0.113.6', '192.0.2.1', '192.0.2.2', '192.0.2.3'];
  const groupIds = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8'];
  const members = new Map<string, string[]>(groupIds.map((id) => [id, []]));
  internal.forEach((ip, i) => members.get(groupIds[i % 8]!)!.push(ip));
  const groups: GroupDef[] = groupIds.map((id) => ({
    id,
    name: id === 'g7' ? 'mgmt hosts' : `app ${id}`,
    labels: (id === 'g8' ? { role: 'bastion' } : { app: id }) as Record<string, string>,
    members: members.get(id)!,
  }));
  const hosts = [...internal.map((ip) => host(ip)), ...external.map((ip) => host(ip))];
  const services: { proto: number; port: number }[] = [
    { proto: 17, port: 53 },
    { proto: 6, port: 443 },
    { proto: 6, port: 5432 },
    { proto: 6, port: 8080 },
    { proto: 6, port: 22 },
    { proto: 6, port: 3389 },
    { proto: 6, port: 445 },
    { proto: 1, port: -1 },
    ...Array.from({ length: 10 }, (_, k) => ({ proto: 6, port: 9000 + k })),
    ...Array.from({ length: 6 }, (_, k) => ({ proto: 6, port: 30000 + 7 * k })),
  ];
  const edges: PolicyEdge[] = [];
  const seen = new Set<string>();
  const inGroup = (id: string): string => pick(random, members.get(id)!);
  // A dense port set from one g3 host to one g5 host: a port range, whatever the random draws.
  for (let k = 0; k < 10; k++) {
    const client = members.get('g3')![0]!;
    const server = members.get('g5')![0]!;
    seen.add(`${client}|${server}|6|${9000 + k}`);
    edges.push(edge(client, server, 9000 + k, { flows: 2, hours: 3, weekHours: [how(2, 11)], weekFlows: [2] }));
  }
  while (edges.length < 400) {
    const roll = random();
    let client: string;
    let server: string;
    let service: { proto: number; port: number };
    if (roll < 0.2) {
      // Popular: DNS in g1, HTTPS in g2.
      client = pick(random, internal);
      const dns = random() < 0.5;
      server = inGroup(dns ? 'g1' : 'g2');
      service = dns ? { proto: 17, port: 53 } : { proto: 6, port: 443 };
    } else if (roll < 0.3) {
      client = pick(random, internal);
      server = pick(random, external);
      service = { proto: 6, port: 443 };
    } else if (roll < 0.35) {
      client = pick(random, external);
      server = inGroup('g2');
      service = { proto: 6, port: 443 };
    } else if (roll < 0.45) {
      client = inGroup(pick(random, ['g3', 'g4']));
      server = inGroup('g5');
      service = { proto: 6, port: 9000 + Math.floor(random() * 10) };
    } else {
      client = pick(random, internal);
      server = pick(random, internal);
      service = pick(random, services);
    }
    if (client === server) continue;
    const key = `${client}|${server}|${service.proto}|${service.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const business = random() < 0.6;
    // Business-hours edges spread over up to 24 hours of the week, so some rules reach the window's 20 distinct hours.
    const slots = business ? 4 + Math.floor(random() * 21) : 1 + Math.floor(random() * 4);
    const week = new Map<number, number>();
    for (let s = 0; s < slots; s++) {
      const hourOfWeek = business ? how(1 + Math.floor(random() * 5), 8 + Math.floor(random() * 10)) : Math.floor(random() * 168);
      week.set(hourOfWeek, (week.get(hourOfWeek) ?? 0) + 1 + Math.floor(random() * 5));
    }
    const weekHours = [...week.keys()].sort((a, b) => a - b);
    const weekFlows = weekHours.map((h) => week.get(h)!);
    const flows = weekFlows.reduce((a, b) => a + b, 0);
    const firstMs = T0 + Math.floor(random() * 100) * HOUR;
    const fields: Partial<PolicyEdge> = {
      proto: service.proto,
      flows,
      bytes: flows * 1000,
      firstMs,
      lastMs: firstMs + 20 * HOUR,
      hours: 4 + Math.floor(random() * 20),
      weekHours,
      weekFlows,
      action: random() < 0.08 ? 2 : 1,
    };
    edges.push(edge(client, server, service.port, fields));
    // A second action row for some edges: refused or unknown flows of the same service.
    if (random() < 0.05) edges.push(edge(client, server, service.port, { ...fields, action: random() < 0.5 ? 2 : 0, flows: 2, weekHours: [how(2, 9)], weekFlows: [2] }));
  }
  const flagged = edges.filter(() => random() < 0.02).map((e) => `${e.client}|${e.server}|${e.proto}|${e.port}`);
  const logons: PolicyLogon[] = Array.from({ length: 30 }, (_, i) => ({
    user: `user${i % 7}`,
    sourceIp: random() < 0.2 ? null : pick(random, internal),
    targetIp: pick(random, internal),
    count: 1 + Math.floor(random() * 9),
  }));
  return {
    input: { edges, flagged: new Set(flagged), hosts: new Map(hosts.map((h) => [h.ip, h])), groups: groups.map(specOf), assignment: assignmentOf(groups), logons, settings: DEFAULT_POLICY_SETTINGS },
    groups,
    internal,
  };
}

/** The policy of a random input (see randomInput). */
export function randomPolicy(seed: number): Policy {
  const { input, groups } = randomInput(seed);
  return buildPolicy({
    settings: input.settings,
    analysis: analysisSettings(),
    inputs: [{ name: 'flows.csv', bytes: 10, sha256: 'a'.repeat(64) }],
    window: { from: null, to: null },
    groups: groups.map(sourceOf),
    hosts: input.hosts,
    generator: new RuleGenerator(input),
  });
}

/**
 * A trained policy and a later window of traffic for drift and new-host
 * placement. g1 "web" (label app=web): 10.0.1.1, 10.0.1.2; g2 "db": 10.0.2.1;
 * g3 "cache": 10.0.3.1. Rules: outside → g1 https, g1 → g2 ssh (just-in-time)
 * and postgres, g1 → g3 redis.
 */
export function driftScenario() {
  const policy = policyOf({
    edges: [
      edge('10.0.1.1', '10.0.2.1', 5432),
      edge('10.0.1.2', '10.0.2.1', 5432),
      edge('198.51.100.7', '10.0.1.1', 443),
      edge('198.51.100.8', '10.0.1.2', 443),
      edge('10.0.1.1', '10.0.3.1', 6379),
      edge('10.0.1.1', '10.0.2.1', 22),
    ],
    groups: [
      { id: 'g1', name: 'web', members: ['10.0.1.1', '10.0.1.2'], match: { label: { key: 'app', value: 'web' } } },
      { id: 'g2', name: 'db', members: ['10.0.2.1'] },
      { id: 'g3', name: 'cache', members: ['10.0.3.1'] },
    ],
  });
  const later = {
    known: edge('10.0.1.1', '10.0.2.1', 5432),
    outside: edge('198.51.100.9', '10.0.1.2', 443),
    labelled: edge('10.0.1.50', '10.0.2.1', 5432),
    webLike: edge('10.0.1.60', '10.0.2.1', 5432),
    stranger: edge('10.0.7.7', '10.0.2.1', 9999, { proto: 17 }),
    faintA: edge('10.0.8.8', '10.0.3.1', 6379),
    faintB: edge('10.0.8.8', '10.0.2.1', 1),
    faintC: edge('10.0.8.8', '10.0.2.1', 2),
    newServer: edge('10.0.1.1', '10.0.2.9', 5432),
    ssh: edge('10.0.1.1', '10.0.2.1', 22),
  };
  return { policy, later, hosts: hostsOf(Object.values(later), [host('10.0.1.50', { labels: { app: 'web' } })]) };
}
