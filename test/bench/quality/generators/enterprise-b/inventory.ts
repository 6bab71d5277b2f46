// The CMDB export: one row per host, sorted by hostname. Column names are
// the ones Flowfence gives meaning to (env, app, tier); owner, os and
// department ride along as plain labels. labelCoverage decides which
// servers carry their labels (the rest are listed by name only), and
// wrongLabelRate which of those carry another application's or
// environment's values instead. Desktops get at most a department. At
// coverage 0 the export is addresses and names only.

import { INFRA } from './catalogue';
import type { Estate, Host } from './estate';
import type { Rng } from './random';
import type { ScenarioFile, ScenarioParams } from '../../scenario';

export const INVENTORY_FILE = 'cmdb-export.csv';
export const INVENTORY_COLUMNS = ['ip_address', 'hostname', 'env', 'app', 'tier', 'owner', 'os', 'department'] as const;

export interface ServerLabels {
  readonly env: string;
  readonly app: string;
  readonly tier: string;
  readonly owner: string;
}

/** What a correct CMDB says about a server. */
export function trueLabels(host: Host): ServerLabels {
  if (host.spec !== null) return { env: host.env, app: host.app, tier: host.spec.cmdbTier, owner: host.spec.owner };
  const infra = INFRA.find((spec) => spec.service === host.app);
  if (infra === undefined) throw new Error(`enterprise-b: no labels for ${host.name}`);
  return { env: 'shared', app: infra.cmdbApp, tier: 'infra', owner: 'team-infra' };
}

/** A wrong record: the other environment of the same application, or another application's values. */
function wrongLabels(host: Host, servers: readonly Host[], rng: Rng): ServerLabels {
  const right = trueLabels(host);
  if (host.spec !== null && rng.chance(0.5)) return { ...right, env: right.env === 'prod' ? 'dev' : 'prod' };
  const others = servers.filter((s) => s.app !== host.app && (host.spec === null || s.env === host.env));
  return trueLabels(rng.pick(others));
}

const osName = (host: Host): string => (host.role === 'workstation' ? 'Windows 11' : host.os === 'windows' ? 'Windows Server 2022' : 'Ubuntu 22.04');

const csvField = (value: string): string => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export function writeInventory(estate: Estate, params: ScenarioParams, rng: Rng): ScenarioFile {
  const servers = estate.servers();
  const desks = estate.workstations();
  const pick = (hosts: readonly Host[], share: number, r: Rng): Set<string> =>
    new Set(r.shuffle(hosts.map((h) => h.ip)).slice(0, Math.round(share * hosts.length)));
  const labelled = pick(servers, params.labelCoverage, rng.fork('labelled'));
  const labelledDesks = pick(desks, params.labelCoverage, rng.fork('desks'));
  const wrongRng = rng.fork('wrong');
  const wrong = new Set(wrongRng.shuffle([...labelled].sort()).slice(0, Math.round(params.wrongLabelRate * labelled.size)));

  const rows = [...estate.hosts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (params.labelCoverage === 0) {
    const lines = ['ip_address,hostname', ...rows.map((h) => `${h.ip},${h.name}`)];
    return { name: INVENTORY_FILE, content: `${lines.join('\n')}\n` };
  }
  const lines: string[] = [INVENTORY_COLUMNS.join(',')];
  for (const host of rows) {
    let values: string[] = [host.ip, host.name, '', '', '', '', '', ''];
    if (host.role === 'server' && labelled.has(host.ip)) {
      const labels = wrong.has(host.ip) ? wrongLabels(host, servers, wrongRng) : trueLabels(host);
      values = [host.ip, host.name, labels.env, labels.app, labels.tier, labels.owner, osName(host), ''];
    } else if (host.role === 'workstation' && labelledDesks.has(host.ip)) {
      values = [host.ip, host.name, '', '', '', '', osName(host), host.app];
    }
    lines.push(values.map(csvField).join(','));
  }
  return { name: INVENTORY_FILE, content: `${lines.join('\n')}\n` };
}
