// enterprise-b: an Azure-hosted enterprise of ~170 hosts (eight applications
// in prod and dev, shared SQL Server, RabbitMQ and Kafka, Active Directory
// and the usual infrastructure, five departments of virtual desktops) over
// two weeks of NSG flow logs v2, with a CMDB export and four planted attacks.
// Written apart from the engine on purpose: its own catalogue, address plan,
// ports, randomness and writer.

import type { Scenario, ScenarioGenerator, ScenarioParams } from '../../scenario';
import { plantAttacks } from './attacks';
import { TRAIN_UNTIL_MS } from './calendar';
import { edgeKeyOf } from './connection';
import { buildDeskCalendar } from './desk-calendar';
import { buildEstate } from './estate';
import { writeInventory } from './inventory';
import { internetNoise } from './noise';
import { NsgLogWriter } from './nsg-writer';
import { Rng } from './random';
import { Scheduler } from './scheduler';
import { buildTruth } from './truth';
import { UsageList } from './usage';
import { adminUsages } from './usages-admin';
import { applicationUsages } from './usages-apps';
import { deskUsages } from './usages-desk';
import { infrastructureUsages } from './usages-infra';

const percent = (share: number): number => Math.round(share * 100);

export function scenarioId(params: ScenarioParams): string {
  const parts = [`enterprise-b/seed${params.seed}/labels${percent(params.labelCoverage)}`];
  if (params.wrongLabelRate > 0) parts.push(`wrong${percent(params.wrongLabelRate)}`);
  if (params.oneWay) parts.push('oneway');
  return parts.join('/');
}

/** A scenario and the edges of its planted attacks (client|server|proto|port), which the Scenario itself does not list. */
export interface EnterpriseBBuild {
  readonly scenario: Scenario;
  readonly attackEdges: ReadonlySet<string>;
}

export function buildEnterpriseB(params: ScenarioParams): EnterpriseBBuild {
  // Streams forked by purpose: labels and capture options never change the traffic drawn.
  const root = new Rng(params.seed);
  const estate = buildEstate(root.fork('estate'));
  const calendar = buildDeskCalendar(estate, root.fork('desks'));

  const list = new UsageList();
  infrastructureUsages(estate, list, root.fork('infra'));
  applicationUsages(estate, list, root.fork('apps'));
  deskUsages(estate, list);
  adminUsages(estate, list);
  const usages = list.list();

  const writer = new NsgLogWriter(params.seed, params.oneWay);
  const scheduler = new Scheduler(estate, calendar);
  const traffic = root.fork('traffic');
  for (const usage of usages) {
    for (const c of scheduler.connectionsOf(usage, traffic.fork(`${usage.client}|${usage.server}|${usage.proto}|${usage.port}`))) writer.add(c);
  }
  for (const c of internetNoise(estate, root.fork('noise'))) writer.add(c);
  const planted = plantAttacks(estate, calendar, root.fork('attacks'));
  for (const c of planted.connections) writer.add(c);

  const scenario: Scenario = {
    id: scenarioId(params),
    params,
    flows: writer.files(),
    inventories: [writeInventory(estate, params, root.fork('inventory'))],
    pods: [],
    logons: [],
    internalCidrs: [],
    trainUntilMs: TRAIN_UNTIL_MS,
    truth: buildTruth(estate, usages, planted.attacks, planted.connections),
  };
  return { scenario, attackEdges: new Set(planted.connections.map(edgeKeyOf)) };
}

export const enterpriseB: ScenarioGenerator = {
  name: 'enterprise-b',
  build: (params) => buildEnterpriseB(params).scenario,
};
