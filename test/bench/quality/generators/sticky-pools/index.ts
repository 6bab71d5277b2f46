// sticky-pools: applications whose client replicas each hold connections to
// a random subset of the next tier's replicas (estate.ts), as AWS VPC flow
// logs v2 (a record per direction and connection; one-way capture keeps
// the requests' records only), with a CMDB-style inventory CSV. Written for
// the quality harness; it shares nothing with src/.
//
// - 4 days, one file a day; learn on the first 3, replay the 4th. People
//   work 8:00–18:00 UTC on weekdays; services run all day.
// - Labels: `labelCoverage` keeps that share of the server rows of the
//   inventory (chosen by seed); coverage 0 gives no inventory.
//   `wrongLabelRate`: that share of the kept rows (at least one) carry
//   another row's env/app/tier.
// - Planted in training: a workstation scanning 60 servers on admin and
//   database ports (most refused); a dev app replica reaching a prod database.
// - Truth: "env|app|tier" per replica; "shared|dns", "shared|ntp",
//   "shared|monitoring", "desk|users". Scored servers: the application
//   replicas. No remote administration: adminEdges is empty.
import type { PlantedAttack, Scenario, ScenarioFile, ScenarioGenerator, ScenarioParams } from '../../scenario';
import { Prng } from '../topology-pods/random';
import { buildEstate, type Host, type Use } from './estate';

const HOUR = 3_600_000;
const DAYS = 4;
const TRAIN_DAYS = 3;
const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

export const stickyPools: ScenarioGenerator = {
  name: 'sticky-pools',
  build(params: ScenarioParams): Scenario {
    const random = new Prng(`sticky-pools:${params.seed}`);
    const estate = buildEstate(random.derive('estate'));
    const startMs = Date.UTC(2026, 1, 2) + (params.seed % 5) * 24 * HOUR;
    const attacks: PlantedAttack[] = [];
    const legitimate = new Set(estate.uses.map((use) => `${use.client}|${use.server}|${use.proto}|${use.port}`));
    const planted = plantAttacks(estate.hosts, estate.desks, estate.uses, random.derive('attacks'), attacks);

    const flows: ScenarioFile[] = [];
    const traffic = random.derive('traffic');
    for (let day = 0; day < DAYS; day++) {
      const lines = [HEADER];
      for (let hour = day * 24; hour < (day + 1) * 24; hour++) {
        const at = startMs + hour * HOUR;
        const clock = new Date(at);
        const weekday = clock.getUTCDay() !== 0 && clock.getUTCDay() !== 6;
        const office = weekday && clock.getUTCHours() >= 8 && clock.getUTCHours() < 18;
        for (const use of estate.uses) {
          const rate = use.office ? (office ? use.rate * 1.5 : 0) : use.rate * (office ? 1.3 : 0.6);
          for (let n = traffic.poisson(rate); n > 0; n--) connection(lines, use, at + traffic.int(0, HOUR - 120_000), traffic, params.oneWay, 'ACCEPT');
        }
        for (const attempt of planted.filter((entry) => entry.hour === hour)) connection(lines, attempt.use, at + attempt.offsetMs, traffic, params.oneWay, attempt.action);
      }
      flows.push({ name: `vpc-flow-logs-day${day + 1}.log`, content: `${lines.join('\n')}\n` });
    }

    const inventories = params.labelCoverage === 0 ? [] : [{ name: 'cmdb-export.csv', content: inventoryCsv(estate.hosts, params, random.derive('labels')) }];
    const groupOfHost = new Map(estate.hosts.map((host) => [host.ip, host.truth]));
    const servers = new Set(estate.hosts.filter((host) => host.app !== null).map((host) => host.ip));
    return {
      id: `sticky-pools/seed${params.seed}/labels${Math.round(params.labelCoverage * 100)}${params.wrongLabelRate > 0 ? `-wrong${Math.round(params.wrongLabelRate * 100)}` : ''}${params.oneWay ? '/one-way' : ''}`,
      params,
      flows,
      inventories,
      pods: [],
      logons: [],
      internalCidrs: [],
      trainUntilMs: startMs + TRAIN_DAYS * 24 * HOUR,
      truth: { groupOfHost, servers, legitimateEdges: legitimate, adminEdges: new Set(), attacks },
    };
  },
};

interface Attempt {
  readonly hour: number;
  readonly offsetMs: number;
  readonly use: Use;
  readonly action: 'ACCEPT' | 'REJECT';
}

function plantAttacks(hosts: readonly Host[], desks: readonly string[], uses: readonly Use[], random: Prng, attacks: PlantedAttack[]): Attempt[] {
  const attempts: Attempt[] = [];
  // A scan from a workstation, on a weekday morning of the second day.
  const scanner = random.pick(desks);
  const scanHour = 24 + 10;
  const targets = random.shuffle(hosts.filter((host) => host.server)).slice(0, 60);
  for (const target of targets) {
    for (const port of [22, 445, 3389, 5432]) {
      attempts.push({ hour: scanHour, offsetMs: random.int(0, 20 * 60_000), use: { client: scanner, server: target.ip, proto: 6, port, rate: 0, office: false }, action: random.chance(0.85) ? 'REJECT' : 'ACCEPT' });
    }
  }
  attacks.push({ kind: 'scan', src: scanner, dsts: [], note: `${scanner} probes 60 servers on 4 ports` });
  // A dev application replica reaching a prod database (the same application's, a day later).
  const devApp = hosts.find((host) => host.env === 'dev' && host.tier === 'app');
  const prodDb = devApp === undefined ? undefined : hosts.find((host) => host.env === 'prod' && host.app === devApp.app && host.tier === 'db');
  if (devApp !== undefined && prodDb !== undefined) {
    const port = uses.find((use) => use.server === prodDb.ip)?.port ?? 5432;
    for (let k = 0; k < 6; k++) attempts.push({ hour: 48 + 9 + k, offsetMs: random.int(0, 50 * 60_000), use: { client: devApp.ip, server: prodDb.ip, proto: 6, port, rate: 0, office: false }, action: 'ACCEPT' });
    attacks.push({ kind: 'cross-environment', src: devApp.ip, dsts: [prodDb.ip], note: `${devApp.name} (dev) uses ${prodDb.name} (prod)` });
  }
  return attempts;
}

/** One connection as AWS records: the request on the client's side and, unless one-way, the response. */
function connection(lines: string[], use: Use, atMs: number, random: Prng, oneWay: boolean, action: 'ACCEPT' | 'REJECT'): void {
  const ephemeral = random.int(32768, 60999);
  const start = Math.floor(atMs / 1000);
  const end = start + random.int(1, 90);
  const packets = action === 'REJECT' ? 1 : random.int(2, 40);
  const eni = `eni-${use.client.split('.').map((part) => Number(part).toString(16).padStart(2, '0')).join('')}`;
  lines.push(['2', '123456789012', eni, use.client, use.server, ephemeral, use.port, use.proto, packets, packets * random.int(60, 900), start, end, action, 'OK'].join(' '));
  if (oneWay || action === 'REJECT') return;
  const serverEni = `eni-${use.server.split('.').map((part) => Number(part).toString(16).padStart(2, '0')).join('')}`;
  lines.push(['2', '123456789012', serverEni, use.server, use.client, use.port, ephemeral, use.proto, packets, packets * random.int(100, 4000), start, end, action, 'OK'].join(' '));
}

/** The inventory: kept rows by coverage, some with another row's values. */
function inventoryCsv(hosts: readonly Host[], params: ScenarioParams, random: Prng): string {
  const labelled = hosts.filter((host) => host.server);
  const kept = random.shuffle(labelled).slice(0, Math.round(labelled.length * params.labelCoverage));
  const wrong = new Set(params.wrongLabelRate > 0 ? random.shuffle(kept).slice(0, Math.max(1, Math.round(kept.length * params.wrongLabelRate))).map((host) => host.ip) : []);
  const rows = ['ip,hostname,env,app,tier'];
  for (const host of [...kept].sort((a, b) => (a.ip < b.ip ? -1 : 1))) {
    const source = wrong.has(host.ip) ? random.pick(kept.filter((other) => other.app !== host.app && other.app !== null)) : host;
    rows.push([host.ip, host.name, source.env ?? 'shared', source.app ?? host.truth.split('|')[1], source.tier ?? 'service'].join(','));
  }
  return `${rows.join('\n')}\n`;
}
