import type { InternalGroupSpec } from '../policy/generate-rules';
import type { PolicyEdge, PolicyHost } from '../policy/policy-input';
import { ipSortKey } from '../net/ip';
import { Random } from '../util/random';

/**
 * A grouped network of a chosen size for the what-if benchmark and tests:
 * application groups (half prod, half dev) that each serve a few ports and
 * call a few other groups, one DNS group every host uses, an admin group
 * reaching servers over SSH, and some outside destinations. Deterministic
 * for a seed.
 */
export interface WhatIfScale {
  readonly hosts: Map<string, PolicyHost>;
  readonly edges: PolicyEdge[];
  readonly groups: InternalGroupSpec[];
  readonly assignment: Map<string, string>;
}

const SERVICE_PORTS = [443, 8080, 8443, 5432, 3306, 6379, 9092, 9200, 27017, 5672];

export function whatIfScale(hostCount: number, edgeCount: number, seed = 7): WhatIfScale {
  const random = new Random(seed);
  const groupCount = Math.max(4, Math.round(hostCount / 50));
  const hosts = new Map<string, PolicyHost>();
  const groups: InternalGroupSpec[] = [];
  const members: string[][] = [];
  const assignment = new Map<string, string>();
  for (let g = 0; g < groupCount; g++) {
    const id = `g${g + 1}`;
    const env = g % 2 === 0 ? 'prod' : 'dev';
    const name = g === 0 ? 'dns' : g === 1 ? 'admin · bastion' : `app${g} · ${env}`;
    groups.push({ id, name, kind: g === 0 ? 'infrastructure' : 'application', labels: g === 1 ? { role: 'bastion' } : { app: `app${g}`, env } });
    members.push([]);
  }
  for (let h = 0; h < hostCount; h++) {
    const g = h < 4 ? 0 : h < 8 ? 1 : 2 + (h % (groupCount - 2));
    const ip = `10.${Math.floor(h / 250) % 256}.${h % 250}.${1 + Math.floor(h / 64000)}`;
    const group = groups[g]!;
    hosts.set(ip, { ip, sortKey: ipSortKey(ip), scope: 'internal', name: `${group.name.split(' ')[0]}-${h}`, labels: Object.entries(group.labels).map(([key, value]) => ({ key, value })) });
    members[g]!.push(ip);
    assignment.set(ip, group.id);
  }
  const servesPorts = members.map((_, g) => (g === 0 ? [53] : [SERVICE_PORTS[g % SERVICE_PORTS.length]!, SERVICE_PORTS[(g * 3 + 1) % SERVICE_PORTS.length]!]));
  const calls = members.map((_, g) => (g < 2 ? [] : Array.from({ length: random.int(2, 5) }, () => random.int(2, groupCount - 1)).filter((other) => other !== g)));
  const keys = new Set<string>();
  const edges: PolicyEdge[] = [];
  const add = (client: string, server: string, proto: number, port: number): void => {
    const key = `${client}|${server}|${proto}|${port}`;
    if (keys.has(key)) return;
    keys.add(key);
    const flows = random.int(1, 500);
    const start = Date.UTC(2026, 0, 1) + random.int(0, 86_400_000);
    edges.push({ client, server, proto, port, action: random.chance(0.02) ? 2 : 1, flows, bytes: flows * random.int(200, 20_000), firstMs: start, lastMs: start + 3_600_000, hours: random.int(1, 500), weekHours: [], weekFlows: [] });
  };
  for (const ip of hosts.keys()) add(ip, random.pick(members[0]!), 17, 53);
  for (const admin of members[1]!) for (let k = 0; k < 40; k++) add(admin, random.pick([...hosts.keys()]), 6, 22);
  for (let e = 0; e < 40; e++) add(random.pick(members[2 + (e % (groupCount - 2))]!), `198.51.${100 + (e % 3)}.${10 + e}`, 6, 443);
  let guard = 0;
  while (edges.length < edgeCount && guard++ < edgeCount * 20) {
    const g = random.int(2, groupCount - 1);
    const target = calls[g]!.length === 0 ? g : random.pick(calls[g]!);
    add(random.pick(members[g]!), random.pick(members[target]!), 6, random.pick(servesPorts[target]!));
  }
  for (const edge of edges) {
    for (const ip of [edge.client, edge.server]) {
      if (!hosts.has(ip)) hosts.set(ip, { ip, sortKey: ipSortKey(ip), scope: 'external', name: null, labels: [] });
    }
  }
  return { hosts, edges, groups, assignment };
}
