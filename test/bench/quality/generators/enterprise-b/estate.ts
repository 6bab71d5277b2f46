// The hosts: every internal address with its name, operating system and
// ground-truth group. Addresses inside a zone are handed out in blocks of
// ten whose order the seed shuffles, so adjacency says little about the
// application; desktops get DHCP-looking addresses and asset-tag names.

import { COMPONENTS, DEPARTMENTS, INFRA, type ComponentSpec, type Os, type Zone } from './catalogue';
import { DESKTOP_PREFIX, ENV_PREFIX, INFRA_PREFIX, ZONE_OCTET, type Environment } from './address-plan';
import type { Rng } from './random';

export interface Host {
  readonly ip: string;
  readonly name: string;
  /** Ground-truth group: "prod|ord|db", "infra|dc", "dept|finance". */
  readonly group: string;
  /** "prod", "dev", "infra" or "dept". */
  readonly env: string;
  /** Application, infrastructure service or department. */
  readonly app: string;
  readonly component: string;
  readonly os: Os;
  readonly role: 'server' | 'workstation';
  /** The catalogue entry of an application host. */
  readonly spec: ComponentSpec | null;
  /** Desktops of administrators, who RDP to the jump hosts. */
  readonly admin: boolean;
}

export interface Estate {
  readonly hosts: readonly Host[];
  readonly byIp: ReadonlyMap<string, Host>;
  /** Members of a ground-truth group, in address order of creation. */
  members(group: string): readonly Host[];
  servers(): readonly Host[];
  workstations(): readonly Host[];
}

const two = (n: number): string => String(n).padStart(2, '0');

function applicationHosts(rng: Rng): Host[] {
  const hosts: Host[] = [];
  for (const env of ['prod', 'dev'] as const satisfies readonly Environment[]) {
    for (const zone of ['web', 'app', 'data'] as const satisfies readonly Zone[]) {
      const specs = COMPONENTS.filter((spec) => spec.zone === zone && (env === 'prod' ? spec.prod : spec.dev) > 0);
      const slots = rng.shuffle(specs.map((_, i) => i));
      specs.forEach((spec, i) => {
        const count = env === 'prod' ? spec.prod : spec.dev;
        const base = 10 + 10 * slots[i]!;
        for (let n = 1; n <= count; n++) {
          const name = env === 'prod' ? `PRD-${spec.appCode}-${spec.code}${two(n)}` : `dv-${spec.appCode.toLowerCase()}-${spec.code.toLowerCase()}${two(n)}`;
          hosts.push({
            ip: `${ENV_PREFIX[env]}.${ZONE_OCTET[zone]}.${base + n}`,
            name,
            group: `${env}|${spec.app}|${spec.component}`,
            env,
            app: spec.app,
            component: spec.component,
            os: spec.os,
            role: 'server',
            spec,
            admin: false,
          });
        }
      });
    }
  }
  return hosts;
}

function infrastructureHosts(): Host[] {
  return INFRA.flatMap((spec) =>
    spec.octets.map((octet, i) => ({
      ip: `${INFRA_PREFIX}.${octet}`,
      name: `${spec.namePrefix}${two(i + 1)}`,
      group: `infra|${spec.service}`,
      env: 'infra',
      app: spec.service,
      component: spec.service,
      os: spec.os,
      role: 'server' as const,
      spec: null,
      admin: false,
    })),
  );
}

function desktops(rng: Rng): Host[] {
  const hosts: Host[] = [];
  const tags = new Set<number>();
  for (const dept of DEPARTMENTS) {
    const octets = rng.shuffle(Array.from({ length: 231 }, (_, i) => 20 + i)).slice(0, dept.size).sort((a, b) => a - b);
    const admins = new Set(rng.shuffle(octets).slice(0, dept.admins));
    for (const octet of octets) {
      let tag = rng.int(100, 9999);
      while (tags.has(tag)) tag = rng.int(100, 9999);
      tags.add(tag);
      hosts.push({
        ip: `${DESKTOP_PREFIX}.${dept.subnet}.${octet}`,
        name: `WS-${dept.code}-${String(tag).padStart(4, '0')}`,
        group: `dept|${dept.name}`,
        env: 'dept',
        app: dept.name,
        component: 'desktop',
        os: 'windows',
        role: 'workstation',
        spec: null,
        admin: admins.has(octet),
      });
    }
  }
  return hosts;
}

export function buildEstate(rng: Rng): Estate {
  const hosts = [...infrastructureHosts(), ...applicationHosts(rng.fork('addresses')), ...desktops(rng.fork('desktops'))];
  const byIp = new Map(hosts.map((host) => [host.ip, host]));
  if (byIp.size !== hosts.length) throw new Error('enterprise-b: two hosts share an address');
  const byGroup = new Map<string, Host[]>();
  for (const host of hosts) {
    const list = byGroup.get(host.group) ?? [];
    list.push(host);
    byGroup.set(host.group, list);
  }
  return {
    hosts,
    byIp,
    members: (group) => byGroup.get(group) ?? [],
    servers: () => hosts.filter((host) => host.role === 'server'),
    workstations: () => hosts.filter((host) => host.role === 'workstation'),
  };
}
