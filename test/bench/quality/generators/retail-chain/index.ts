// A chain of shops and its head office, as an outside analyst would receive
// it: three days of NetFlow v9 from every shop router and the data-centre
// core as pmacct's nfacctd wrote it (one JSON line per record, one file per
// UTC day), and the retailer's NetBox exported to CSV. Written from scratch
// for the quality harness: nothing here comes from the engine (src/) or from
// a sibling generator.
//
// The model, file by file:
// - estate.ts: the region (US, Australia or Iberia), the head-office data
//   centre (POS back end, payment switch and HSM, SAP ERP on HANA,
//   e-commerce, replenishment and pricing, each in production and QA; DCs,
//   WSUS, Configuration Manager, monitoring, log collector with
//   Elasticsearch and Kibana, file server, proxy, managed file transfer,
//   Kafka, signage content, two jump hosts) and 20–60 shops of three sizes,
//   each a /24 cut into per-VLAN blocks (store server, 3–12 lanes, 1–3
//   back-office PCs, handhelds, label printer, signage player, and in some
//   shops cameras recording to their own NVR), with its own time zone and
//   opening hours;
// - services.ts: the ports; uses.ts: who uses what, when and how much;
//   traffic.ts: uses into connections; attacks.ts: the planted attacks;
// - network.ts: which exporters a conversation crosses; flow-writer.ts:
//   the exporters' records and pmacct's files;
// - inventory.ts: the NetBox exports; truth.ts: the ground truth;
// - clock.ts, random.ts: time and seeded randomness.
//
// Awkward on purpose, because real data is:
// - flows between a shop and the data centre are exported twice (shop
//   router and core), shop to shop three times, and each direction is its
//   own record; the broadband line's return records carry the shop's public
//   address;
// - long-lived connections (lane sessions, scrapes, replication, RTSP,
//   pools) are cut into hour-long pieces by the active timeout, and those
//   already up when the capture starts appear without their SYN; the first
//   file holds the tails of the previous evening;
// - a few shops replaced their store server mid-capture (the lanes retry
//   the dead one, then move to the spare's new address) or swapped a lane;
// - rare legitimate uses in both windows (the month-end report, the weekly
//   stock count each shop sends on its own weekday) and a little drift in
//   the replay (the pricing API's v2 port, an extra lane in one shop);
// - shared ports with different meanings (SFTP and SSH on 22, raw printing
//   and node_exporter on 9100, two APIs on 8443), dynamic RPC ports that
//   differ per DC, NTP from port 123, unanswered syslog.
//
// Files: nfacctd-YYYYMMDD.json ×3; "netbox_devices.csv" and
// "netbox_virtual machines.csv". Learn before 1 April 00:00 UTC (48 h),
// replay the last day.
import type { Scenario, ScenarioGenerator, ScenarioParams } from '../../scenario';
import { plantAttacks, type Planted } from './attacks';
import { TRAIN_UNTIL } from './clock';
import type { Connection } from './connection';
import { buildEstate, type Estate } from './estate';
import { FlowWriter } from './flow-writer';
import { writeInventory, type InventoryPlan } from './inventory';
import { Random } from './random';
import { expandUse } from './traffic';
import { buildTruth } from './truth';
import { bookUses, type UseBook } from './uses';

/** Everything a build produces, for the tests. */
export interface RetailChainBuild {
  readonly scenario: Scenario;
  readonly estate: Estate;
  readonly book: UseBook;
  readonly planted: Planted;
  /** Connections with at least one record in the files. */
  readonly written: readonly Connection[];
  readonly records: number;
  readonly recordsByTag: ReadonlyMap<string, number>;
  readonly inventory: InventoryPlan;
}

export function buildRetailChain(params: ScenarioParams): RetailChainBuild {
  const rand = new Random(`retail-chain#${params.seed}`);
  const estate = buildEstate(rand.fork('estate'));
  const book = bookUses(estate, rand.fork('uses'));
  const trafficRand = rand.fork('traffic');
  const planted = plantAttacks(estate, book.uses, rand.fork('attacks'));
  const exporterRand = rand.fork('exporters');
  const inventoryRand = rand.fork('inventory');

  const connections: Connection[] = [];
  for (const use of book.uses) for (const conn of expandUse(use, trafficRand)) connections.push(conn);
  for (const conn of planted.connections) connections.push(conn);
  connections.sort((a, b) => a.start - b.start);
  const writer = new FlowWriter(estate, exporterRand, params.oneWay);
  for (const conn of connections) writer.add(conn);
  const flows = writer.finish();

  const truth = buildTruth(estate, flows.written, flows.endToEnd, planted.attacks);
  const inventory = writeInventory(estate, params, inventoryRand);
  const labels = `labels${Math.round(params.labelCoverage * 100)}${params.wrongLabelRate > 0 ? `-wrong${Math.round(params.wrongLabelRate * 100)}` : ''}`;
  const scenario: Scenario = {
    id: `retail-chain/seed${params.seed}/${labels}${params.listUnlabelled === true ? '-all-listed' : ''}${params.oneWay ? '/one-way' : ''}`,
    params,
    flows: flows.files,
    inventories: inventory.files,
    pods: [],
    logons: [],
    internalCidrs: [],
    trainUntilMs: TRAIN_UNTIL,
    truth,
  };
  return { scenario, estate, book, planted, written: flows.written, records: flows.records, recordsByTag: flows.recordsByTag, inventory };
}

export const retailChain: ScenarioGenerator = {
  name: 'retail-chain',
  listsUnlabelled: true,
  build: (params) => buildRetailChain(params).scenario,
};
