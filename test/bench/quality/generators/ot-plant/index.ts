// ot-plant: an industrial plant laid out on the Purdue model (plant.ts), its
// traffic over three days (traffic-*.ts, planner.ts) as NetFlow v9 from the
// plant's switches and its IT/OT firewall (exporters.ts, netflow.ts),
// exported with nfdump ≤ 1.7.4 as CSV, one file a day (nfdump-csv.ts), and
// the asset list of an OT visibility product (inventory.ts). Written for the
// quality harness apart from the engine: its own port table, address plan,
// randomness and writer; it imports nothing from src/.
//
// What makes it unlike the other generators:
// - most of the traffic is a few hundred TCP sessions that last for days
//   (operator stations and SCADA servers polling PLCs), seen only as one
//   record per direction every active timeout, without SYN, on the same
//   ephemeral ports from start to end; UDP class-1 I/O runs 2222 → 2222;
// - lines of one vendor speak the same protocol to look-alike PLCs, and two
//   lines share a legacy flat /24: only the operator stations that poll a
//   PLC tell its line, while both SCADA servers poll everything;
// - NetFlow is unidirectional and recorded at the sender's access port, so
//   a connection's two records usually come from two exporters; what
//   crosses the firewall is recorded twice; DMZ-internal traffic not at all;
// - the 24/7 process barely changes with the time of day; people's work
//   (engineering, remote administration, business users) only in the day
//   shift of the plant's own time zone, with a bump at each shift change.
//
// Learn on the first two days (trainUntilMs = start + 48 h), replay the
// third. Planted in training: a scan, lateral movement, an exfiltration
// (attacks.ts). Drift: SNMP polling starts on the replayed day.
import type { Scenario, ScenarioGenerator, ScenarioParams } from '../../scenario';
import { plantAttacks } from './attacks';
import { buildCalendar, DAY, DAYS } from './calendar';
import { Exporters } from './exporters';
import { inventoryCsv, inventoryRows } from './inventory';
import { NetFlow } from './netflow';
import { dayFile } from './nfdump-csv';
import { buildPlant, type Plant } from './plant';
import { Planner } from './planner';
import { Dice } from './random';
import { controlTraffic } from './traffic-control';
import { peopleTraffic } from './traffic-people';
import { siteTraffic } from './traffic-site';
import { windowsTraffic } from './traffic-windows';
import { buildTruth } from './truth';

export interface OtPlantBuild {
  readonly scenario: Scenario;
  readonly plant: Plant;
  /** Records per day file. */
  readonly recordsPerFile: readonly number[];
}

export function scenarioId(params: ScenarioParams): string {
  const labels = `labels${Math.round(params.labelCoverage * 100)}${params.wrongLabelRate > 0 ? `-wrong${Math.round(params.wrongLabelRate * 100)}` : ''}`;
  return `ot-plant/seed${params.seed}/${labels}${params.oneWay ? '/one-way' : ''}`;
}

export function buildOtPlant(params: ScenarioParams): OtPlantBuild {
  // Streams forked by purpose: the labels and the capture side never change the plant or its traffic.
  const root = new Dice(`ot-plant#${params.seed}`);
  const plant = buildPlant(root.fork('plant'));
  const cal = buildCalendar(params.seed, root.fork('calendar'));
  const planner = new Planner(plant, cal);
  controlTraffic(planner, root.fork('control'));
  windowsTraffic(planner, root.fork('windows'));
  siteTraffic(planner, root.fork('site'));
  peopleTraffic(planner, root.fork('people'));
  const attacks = plantAttacks(planner, root.fork('attacks'));

  const netflow = new NetFlow(new Exporters(plant), cal.startMs, cal.endMs, params.oneWay, root.fork('netflow'));
  for (const conn of planner.conns) netflow.add(conn);
  const records = netflow.records.sort((a, b) => a.trMs - b.trMs || a.exid - b.exid || a.tsMs - b.tsMs);
  const flows = [];
  const recordsPerFile: number[] = [];
  for (let day = 0; day < DAYS; day++) {
    const file = dayFile(records, cal.startMs + day * DAY, cal.startMs + (day + 1) * DAY);
    flows.push({ name: file.name, content: file.content });
    recordsPerFile.push(file.records);
  }
  const rows = inventoryRows(plant, params, root.fork('inventory'));
  const inventories = rows.length === 0 ? [] : [{ name: `asset-inventory-${plant.siteName.toLowerCase()}.csv`, content: inventoryCsv(rows) }];
  const scenario: Scenario = {
    id: scenarioId(params),
    params,
    flows,
    inventories,
    pods: [],
    logons: [],
    internalCidrs: [],
    trainUntilMs: cal.trainUntilMs,
    truth: buildTruth(plant, planner, attacks),
  };
  return { scenario, plant, recordsPerFile };
}

export const otPlant: ScenarioGenerator = {
  name: 'ot-plant',
  build: (params) => buildOtPlant(params).scenario,
};
