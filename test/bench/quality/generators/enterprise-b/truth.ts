// The ground truth: every internal host's group, the hosts that serve
// something, every legitimate client|server|proto|port (remote
// administration apart as well) and the planted attacks. Built from the
// same usages the traffic was drawn from, so it cannot drift from the files.

import type { PlantedAttack, ScenarioTruth } from '../../scenario';
import { edgeKeyOf, type Connection } from './connection';
import type { Estate } from './estate';
import type { Usage } from './usage';

export function buildTruth(estate: Estate, usages: readonly Usage[], attacks: readonly PlantedAttack[], attackConnections: readonly Connection[]): ScenarioTruth {
  const legitimateEdges = new Set(usages.map(edgeKeyOf));
  const adminEdges = new Set(usages.filter((u) => u.admin).map(edgeKeyOf));
  // An attack that reused a legitimate edge would be scored as both; the planting must avoid it.
  const clash = attackConnections.map(edgeKeyOf).find((key) => legitimateEdges.has(key));
  if (clash !== undefined) throw new Error(`enterprise-b: attack edge ${clash} is also a legitimate edge`);
  return {
    groupOfHost: new Map(estate.hosts.map((host) => [host.ip, host.group])),
    servers: new Set(estate.servers().map((host) => host.ip)),
    legitimateEdges,
    adminEdges,
    attacks,
  };
}
