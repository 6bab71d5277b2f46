// cloud-asg: an AWS estate of load-balanced Auto Scaling groups (estate.ts)
// as VPC Flow Logs v5 with a custom field order (flow-log.ts), and a CMDB
// export whose address column is EC2's `PrivateIpAddress`. Written for the
// quality harness; it shares nothing with src/ nor with the other
// generators.
//
// What makes it unlike the others:
// - callers reach an application only through its load balancer, so the
//   application's instances are served by the ALB's nodes alone, and the
//   ALB's nodes (one per AZ, each forwarding to every target and
//   health-checking it) are a group of their own;
// - a third of the prod instances are replaced during training (a new
//   address from then on), so some hosts exist for part of the window;
// - every ENI logs its side: four records per connection inside the
//   estate, six through a NAT gateway, and a dropped connection is an
//   ACCEPT on the initiator's ENI and a REJECT on the target's;
// - no DNS (the VPC resolver's traffic is never logged), every instance
//   polls the SSM endpoint of its AZ, ships logs to OpenSearch and is
//   scraped by Prometheus; managed ENIs (ALB, Aurora, ElastiCache, MSK,
//   endpoints) are not;
// - an ElastiCache replica is a client of its primary, and Aurora readers
//   take reads from some web instances only.
//
// Three days, one file a day; learn on the first two, replay the third.
// Labels: `labelCoverage` keeps that share of the estate's rows in the CMDB
// export (Name, Environment, Application, Role; managed resources included),
// `wrongLabelRate` gives that share of the kept rows (at least one) another
// row's Environment/Application/Role. Coverage 0: no export.
//
// Planted in training: a web instance scanning 30–40 hosts on 6–8 ports
// (dropped by security groups), a worker (or web) instance opening SSH to
// 10–16 instances within the hour (half dropped), an instance uploading
// 1–4 GB through its NAT gateway to a new address, and a staging web
// instance using its prod twin's database through the transit gateway.
//
// Truth: "<env>|<app>|<role>" (web, worker, db, cache, lb), "<env>|kafka",
// "<env>|vpce-ssm", "<env>|vpce-secrets", "shared|opensearch",
// "shared|prometheus", "shared|bastion"; scored: all of those. NAT gateways
// ("<env>|nat") and the corporate addresses have a truth but are not
// scored. Admin edges: SSH to and from the bastion.
import type { PlantedAttack, Scenario, ScenarioFile, ScenarioGenerator, ScenarioParams } from '../../scenario';
import { buildEstate, liveAt, type Estate, type Link, type Node, type Slot } from './estate';
import { connectionRecords, FLOW_LOG_HEADER, type Connection } from './flow-log';
import { Dice } from './random';

const HOUR = 3_600_000;
const DAYS = 3;
const TRAIN_HOURS = 48;

export const cloudAsg: ScenarioGenerator = {
  name: 'cloud-asg',
  build(params: ScenarioParams): Scenario {
    const dice = new Dice(`cloud-asg#${params.seed}`);
    const hours = DAYS * 24;
    const estate = buildEstate(dice.fork('estate'), hours, TRAIN_HOURS);
    const startMs = Date.UTC(2026, 4, 11) + (params.seed % 4) * 24 * HOUR;
    const zone = dice.fork('zone').between(-6, 9);
    const attacks: PlantedAttack[] = [];
    const planted = plant(estate, dice.fork('attacks'), attacks);

    const traffic = dice.fork('traffic');
    const flows: ScenarioFile[] = [];
    for (let day = 0; day < DAYS; day++) {
      const lines = [FLOW_LOG_HEADER];
      for (let hour = day * 24; hour < (day + 1) * 24; hour++) {
        const hourStart = startMs + hour * HOUR;
        const local = new Date(hourStart + zone * HOUR);
        const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
        const clock = local.getUTCHours();
        const factor = { users: (clock >= 8 && clock < 21 ? 1.4 : 0.35) * (weekend ? 0.6 : 1), steady: 1, office: !weekend && clock >= 9 && clock < 18 ? 1.8 : 0 };
        for (const link of estate.links) {
          const client = liveAt(link.client, hour);
          const server = liveAt(link.server, hour);
          if (client === undefined || server === undefined) continue;
          for (let n = traffic.count(link.rate * factor[link.rhythm]); n > 0; n--) {
            const startSec = Math.floor((hourStart + traffic.between(0, HOUR - 60_000)) / 1000);
            lines.push(...connectionRecords(connection(estate, link, client, server, startSec, traffic), params.oneWay));
          }
        }
        for (const attempt of planted) if (attempt.hour === hour) lines.push(...connectionRecords(attempt.connection(Math.floor(hourStart / 1000)), params.oneWay));
      }
      flows.push({ name: `111122223333_vpcflowlogs_eu-west-1_day${day + 1}.log`, content: `${lines.join('\n')}\n` });
    }

    const nodes = estate.slots.flatMap((slot) => slot.nodes);
    const groupOfHost = new Map<string, string>();
    for (const node of nodes) if (node.truth !== null) groupOfHost.set(node.ip, node.truth);
    for (const nat of estate.nats.values()) groupOfHost.set(nat.ip, nat.truth!);
    const servers = new Set(nodes.filter((node) => node.scored).map((node) => node.ip));
    const { legitimate, admin } = legitimateEdges(estate);
    const inventories = params.labelCoverage === 0 ? [] : [{ name: 'cmdb-ec2-export.csv', content: inventoryCsv(nodes.filter((node) => node.scored), params, dice.fork('labels')) }];
    const labels = `labels${Math.round(params.labelCoverage * 100)}${params.wrongLabelRate > 0 ? `-wrong${Math.round(params.wrongLabelRate * 100)}` : ''}`;
    return {
      id: `cloud-asg/seed${params.seed}/${labels}${params.oneWay ? '/one-way' : ''}`,
      params,
      flows,
      inventories,
      pods: [],
      logons: [],
      internalCidrs: [],
      trainUntilMs: startMs + TRAIN_HOURS * HOUR,
      truth: { groupOfHost, servers, legitimateEdges: legitimate, adminEdges: admin, attacks },
    };
  },
};

function connection(estate: Estate, link: Link, client: Node, server: Node, startSec: number, dice: Dice): Connection {
  const nat = server.eni === '' && client.eni !== '' ? (estate.nats.get(`${client.vpc}|${client.az}`) ?? null) : null;
  const long = link.port === 22 || link.port === 9094 || link.port === 6379;
  return {
    client,
    server,
    clientPort: dice.between(32768, 60999),
    port: link.port,
    startSec,
    endSec: startSec + (long ? dice.between(60, 3000) : dice.between(0, 20)),
    request: dice.size(link.request),
    response: dice.size(link.response),
    rejected: false,
    nat,
  };
}

/** Every client→server use the links allow between nodes alive at the same time (and through the NAT gateways). */
function legitimateEdges(estate: Estate): { legitimate: Set<string>; admin: Set<string> } {
  const legitimate = new Set<string>();
  const admin = new Set<string>();
  for (const link of estate.links) {
    for (const client of link.client.nodes) {
      for (const server of link.server.nodes) {
        if (client.from >= server.to || server.from >= client.to) continue;
        const key = `${client.ip}|${server.ip}|6|${link.port}`;
        legitimate.add(key);
        if (link.admin) admin.add(key);
        if (server.eni === '' && client.eni !== '') {
          const nat = estate.nats.get(`${client.vpc}|${client.az}`);
          if (nat !== undefined) legitimate.add(`${nat.ip}|${server.ip}|6|${link.port}`);
        }
      }
    }
  }
  return { legitimate, admin };
}

interface Attempt {
  readonly hour: number;
  connection(hourStartSec: number): Connection;
}

function plant(estate: Estate, dice: Dice, attacks: PlantedAttack[]): Attempt[] {
  const attempts: Attempt[] = [];
  const prod = estate.apps.get('prod')!;
  const staging = estate.apps.get('staging')!;
  const stable = (slots: readonly Slot[]): Node[] => slots.filter((slot) => slot.nodes.length === 1).map((slot) => slot.nodes[0]!);
  const prodWeb = stable([...prod.values()].flatMap((roles) => roles.get('web')!));
  const prodWorkers = stable([...prod.values()].flatMap((roles) => roles.get('worker')!));
  const everyone = estate.slots.flatMap((slot) => (slot.nodes.length === 1 && slot.nodes[0]!.eni !== '' ? [slot.nodes[0]!] : []));
  const instances = everyone.filter((node) => node.ec2);
  const served = new Set(estate.links.flatMap((link) => link.server.nodes.map((node) => `${node.ip}|${link.port}`)));
  const base = (client: Node, server: Node, port: number, startSec: number, rejected: boolean, request: number, response: number, nat: Node | null = null): Connection => ({
    client,
    server,
    clientPort: dice.between(32768, 60999),
    port,
    startSec,
    endSec: startSec + (rejected ? 0 : dice.between(1, 600)),
    request,
    response,
    rejected,
    nat,
  });

  const scanner = dice.one(prodWeb);
  {
    const hour = dice.between(20, 40);
    const targets = dice.shuffled(everyone.filter((node) => node !== scanner)).slice(0, dice.between(30, 40));
    const ports = dice.shuffled([22, 23, 80, 443, 445, 1433, 3306, 3389, 5432, 6379, 8080, 9200, 27017]).slice(0, dice.between(6, 8));
    let i = 0;
    for (const target of targets) {
      for (const port of ports) {
        const offset = 600 + i++ * dice.between(1, 4);
        const open = served.has(`${target.ip}|${port}`);
        attempts.push({ hour, connection: (at) => base(scanner, target, port, at + offset, !open, open ? 300 : 0, open ? 500 : 0) });
      }
    }
    attacks.push({ kind: 'scan', src: scanner.ip, dsts: targets.map((node) => node.ip), note: `${scanner.name} ${scanner.ip}: ${targets.length} hosts × ${ports.length} ports in one hour` });
  }
  const mover = dice.one([...prodWorkers, ...prodWeb].filter((node) => node !== scanner));
  {
    const hour = dice.between(20, 40);
    const targets = dice.shuffled(instances.filter((node) => node !== mover && node !== scanner && node.role !== 'bastion')).slice(0, dice.between(10, 16));
    targets.forEach((target, index) => {
      const success = index % 2 === 0;
      const offset = 300 + index * dice.between(60, 200);
      attempts.push({ hour, connection: (at) => base(mover, target, 22, at + offset, !success, success ? dice.size(9000) : 0, success ? dice.size(40000) : 0) });
    });
    attacks.push({ kind: 'lateral-movement', src: mover.ip, dsts: targets.map((node) => node.ip), note: `${mover.name} ${mover.ip}: SSH to ${targets.length} instances within the hour, half dropped` });
  }
  const exfiltrator = dice.one(prodWorkers.length > 0 ? prodWorkers : prodWeb.filter((node) => node !== scanner && node !== mover));
  {
    const hour = dice.between(14, 40);
    const drop: Node = { ...exfiltrator, ip: `45.${dice.between(1, 250)}.${dice.between(0, 255)}.${dice.between(1, 254)}`, eni: '', instanceId: null, truth: null, scored: false, ec2: false };
    const nat = estate.nats.get(`${exfiltrator.vpc}|${exfiltrator.az}`) ?? null;
    const count = dice.between(4, 7);
    let total = 0;
    for (let n = 0; n < count; n++) {
      const bytes = dice.between(250, 600) * 1_000_000;
      total += bytes;
      const offset = n * dice.between(300, 900);
      attempts.push({ hour: hour + (n % 2), connection: (at) => base(exfiltrator, drop, 443, at + offset, false, bytes, dice.size(30000), nat) });
    }
    attacks.push({ kind: 'exfiltration', src: exfiltrator.ip, dsts: [drop.ip], note: `${exfiltrator.name} ${exfiltrator.ip}: ${(total / 1e9).toFixed(1)} GB to ${drop.ip}:443 through its NAT gateway` });
  }
  {
    const app = [...staging.keys()].find((name) => stable(staging.get(name)!.get('web')!).length > 0 && prod.has(name))!;
    const client = stable(staging.get(app)!.get('web')!)[0]!;
    const db = prod.get(app)!.get('db')![0]!.nodes[0]!;
    const port = estate.links.find((link) => link.server.nodes.includes(db))!.port;
    const hour = dice.between(26, 40);
    for (let k = 0; k < 6; k++) attempts.push({ hour: hour + (k % 3), connection: (at) => base(client, db, port, at + k * 400, false, dice.size(700), dice.size(20000)) });
    attacks.push({ kind: 'cross-environment', src: client.ip, dsts: [db.ip], note: `${client.name} ${client.ip} (staging) uses ${db.name} ${db.ip} (prod)` });
  }
  return attempts;
}

/** The CMDB export: kept rows by coverage, some with another row's labels. */
function inventoryCsv(nodes: readonly Node[], params: ScenarioParams, dice: Dice): string {
  const kept = dice.shuffled(nodes).slice(0, Math.round(nodes.length * params.labelCoverage));
  const wrong = new Set(params.wrongLabelRate > 0 ? dice.shuffled(kept).slice(0, Math.max(1, Math.round(kept.length * params.wrongLabelRate))).map((node) => node.ip) : []);
  const rows = ['PrivateIpAddress,InstanceId,Name,Environment,Application,Role'];
  for (const node of [...kept].sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0))) {
    const source = wrong.has(node.ip) ? dice.one(kept.filter((other) => other.truth !== node.truth)) : node;
    rows.push([node.ip, node.instanceId ?? node.eni, node.name, source.env ?? '', source.app ?? '', source.role].join(','));
  }
  return `${rows.join('\n')}\n`;
}
