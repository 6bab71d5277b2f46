// The project's own synthetic enterprise (src/core/synth/enterprise.ts, the
// one bench:ingest/discovery/policy use) as a quality-harness scenario: the
// only generator allowed to import src/core/synth, since it IS the project's
// generator; the harness measures the engine on it beside the independent
// ones. Smaller than the benchmarks' (5 days, ≈ 0.5 M AWS flow log records)
// so that a run takes seconds.
//
// - Flows: AWS VPC flow logs v2, one file a day, a flow log on every
//   interface (src/core/synth/aws-flow-log-writer.ts). One-way capture keeps
//   only the requests' records (srcaddr = the client), on both interfaces.
// - Learn on days 1–4, replay day 5 (the planted incidents start at 55–75%
//   of the window, so all of them fall in training, where analyze looks for
//   anomalies under a hold-out).
// - Labels: the CMDB inventory CSV rewritten here. Labellable hosts are the
//   servers and shared-service hosts (one row each); `labelCoverage` keeps
//   that share of their rows (chosen by seed), the department subnet rows are
//   kept unless coverage is 0, and coverage 0 gives no inventory at all.
//   `wrongLabelRate`: that share of the kept server rows (at least one) carry
//   another row's env/app/tier/service values.
// - Truth: "env|app|tier" for servers, "shared|service", "dept|d"
//   (as bench:policy and bench:discovery derive them). Legitimate edges are
//   the enterprise's uses that its security groups allow; the refused dev →
//   prod attempts are planted cross-environment attacks, like the incident
//   of that kind, with or without labels: prod and dev keep to their own
//   address blocks, so behaviour alone can see a dev host reach into prod
//   (issue #8 asks for exactly that).
//   Admin edges: SSH/RDP from the jump host, RDP from IT workstations to it.
import { AWS_V2_HEADER, awsRecordLines, awsRecordsPerConnection } from '../../../../src/core/synth/aws-flow-log-writer';
import { buildEnterprise, type SynthHost } from '../../../../src/core/synth/enterprise';
import { inventoryCsv } from '../../../../src/core/synth/inventory-writer';
import { logonEventLine } from '../../../../src/core/synth/logon-events';
import { connectionsInHour, expectedRecords, type TrafficConfig } from '../../../../src/core/synth/traffic';
import type { AttackKind, PlantedAttack, Scenario, ScenarioFile, ScenarioGenerator, ScenarioParams } from '../scenario';
import { Prng } from './topology-pods/random';

const DAY = 86_400_000;
const DAYS = 5;
const TRAIN_DAYS = 4;
const TARGET_RECORDS = 500_000;
const ADMIN_PORTS = new Set([22, 3389, 5985, 5986, 5900]);

export const enterpriseA: ScenarioGenerator = {
  name: 'enterprise-a',
  build(params: ScenarioParams): Scenario {
    const startMs = Date.UTC(2026, 0, 5) + (params.seed % 7) * DAY;
    const enterprise = buildEnterprise({ seed: 1000 + params.seed, workstationScale: 0.5 });
    const hours = DAYS * 24;
    const expected = expectedRecords(enterprise, { startMs, hours }, awsRecordsPerConnection);
    const intensity = Math.max(0.02, (TARGET_RECORDS - expected.fixed) / expected.perIntensity);
    const traffic: TrafficConfig = { seed: 2000 + params.seed, startMs, hours, intensity };

    const flows: ScenarioFile[] = [];
    const logonLines: string[] = [];
    let recordId = 100_000;
    for (let day = 0; day < DAYS; day++) {
      const lines = [AWS_V2_HEADER];
      for (let hour = day * 24; hour < (day + 1) * 24; hour++) {
        const sessions = new Set<string>();
        for (const connection of connectionsInHour(enterprise, traffic, hour)) {
          const out: string[] = [];
          awsRecordLines(connection, out);
          // v2 fields: version account interface srcaddr …: a response record has the server as its source.
          for (const line of out) if (!params.oneWay || line.split(' ')[3] !== connection.server.ip) lines.push(line);
          const session = `${connection.client.ip}>${connection.server.ip}:${connection.dport}`;
          if (connection.dport === 445 && sessions.has(session)) continue;
          sessions.add(session);
          const logon = logonEventLine(connection, recordId);
          if (logon !== null) {
            logonLines.push(logon);
            recordId++;
          }
        }
      }
      const date = new Date(startMs + day * DAY).toISOString().slice(0, 10).replace(/-/g, '');
      flows.push({ name: `123456789012_vpcflowlogs_us-east-1_fl-0quality_${date}.log`, content: `${lines.join('\n')}\n` });
    }

    // The inventory, rewritten for the label variant.
    const random = new Prng(`enterprise-a:labels:${params.seed}:${params.labelCoverage}:${params.wrongLabelRate}`);
    const [header, ...rows] = inventoryCsv(enterprise).trimEnd().split('\n');
    const serverRows = rows.filter((row) => !row.split(',')[0]!.includes('/'));
    const subnetRows = rows.filter((row) => row.split(',')[0]!.includes('/'));
    const kept = random.shuffle(serverRows).slice(0, Math.round(params.labelCoverage * serverRows.length));
    if (params.wrongLabelRate > 0 && kept.length > 1) {
      const count = Math.max(1, Math.round(params.wrongLabelRate * kept.length));
      for (const index of random.shuffle(kept.map((_, i) => i)).slice(0, count)) {
        const cells = kept[index]!.split(',');
        // Another application's or environment's values (env, app, tier, service).
        const donors = kept.map((row) => row.split(',')).filter((other) => other.slice(2, 6).join() !== cells.slice(2, 6).join());
        const donor = random.pick(donors);
        for (let c = 2; c < 6; c++) cells[c] = donor[c]!;
        kept[index] = cells.join(',');
      }
    }
    const inventories: ScenarioFile[] = params.labelCoverage === 0 ? [] : [{ name: 'cmdb-inventory.csv', content: `${[header, ...kept.sort(), ...subnetRows].join('\n')}\n` }];

    // Ground truth.
    const groupOf = (host: SynthHost): string | null =>
      host.kind === 'server' ? `${host.env}|${host.app}|${host.tier}` : host.kind === 'shared' ? `shared|${host.service}` : host.kind === 'workstation' ? `dept|${host.dept}` : null;
    const groupOfHost = new Map<string, string>();
    for (const host of enterprise.hosts) {
      const group = groupOf(host);
      if (group !== null) groupOfHost.set(host.ip, group);
    }
    const legitimateEdges = new Set<string>();
    const adminEdges = new Set<string>();
    const attacks = new Map<string, PlantedAttack>();
    const plant = (kind: AttackKind, src: SynthHost, dsts: readonly SynthHost[], note: string): void => {
      const key = `${kind}|${src.ip}|${dsts.map((dst) => dst.ip).sort().join(',')}`;
      if (!attacks.has(key)) attacks.set(key, { kind, src: src.ip, dsts: dsts.map((dst) => dst.ip), note });
    };
    for (const use of enterprise.uses) {
      if (use.denied) {
        const crossing = use.servers.filter((server) => server.env !== undefined && use.client.env !== undefined && server.env !== use.client.env);
        if (crossing.length > 0) plant('cross-environment', use.client, crossing, `${use.client.name} → ${crossing.map((s) => s.name).join(', ')}:${use.port} (refused)`);
        continue;
      }
      for (const server of use.servers) {
        const key = `${use.client.ip}|${server.ip}|${use.proto}|${use.port}`;
        legitimateEdges.add(key);
        if (use.proto === 6 && ADMIN_PORTS.has(use.port)) adminEdges.add(key);
      }
    }
    for (const incident of enterprise.incidents ?? []) {
      const targets = [...new Set(incident.targets.map((target) => target.server))];
      plant(incident.kind, incident.client, targets, `${incident.kind} from ${incident.client.name} to ${targets.length} host(s)`);
    }

    const coverage = Math.round(params.labelCoverage * 100);
    return {
      id: `enterprise-a/seed${params.seed}/labels${coverage}${params.wrongLabelRate > 0 ? `-wrong${Math.round(params.wrongLabelRate * 100)}` : ''}${params.oneWay ? '/one-way' : ''}`,
      params,
      flows,
      inventories,
      pods: [],
      logons: logonLines.length === 0 ? [] : [{ name: 'windows-logons.ndjson', content: `${logonLines.join('\n')}\n` }],
      internalCidrs: [],
      trainUntilMs: startMs + TRAIN_DAYS * DAY,
      truth: {
        groupOfHost,
        servers: new Set(enterprise.hosts.filter((host) => host.kind === 'server' || host.kind === 'shared').map((host) => host.ip)),
        legitimateEdges,
        adminEdges,
        attacks: [...attacks.values()],
      },
    };
  },
};
