// The ground truth the harness scores against: each host's group
// (line<n>|plc, line<n>|hmi, line<n>|io, site|<role>, dmz|<role>, and the
// corporate clients' corp|… groups), the servers (plant hosts that serve a
// legitimate use: PLCs, I/O adapters, operator stations that take RDP or
// VNC or an ePO wake-up, the Level-3 and DMZ servers), and the legitimate
// and remote-administration uses the planner declared.
import type { PlantedAttack, ScenarioTruth } from '../../scenario';
import type { Plant } from './plant';
import type { Planner } from './planner';

export function buildTruth(plant: Plant, planner: Planner, attacks: readonly PlantedAttack[]): ScenarioTruth {
  const groupOfHost = new Map<string, string>();
  for (const host of plant.hosts) if (host.truth !== null) groupOfHost.set(host.ip, host.truth);
  const serving = new Set([...planner.legitimate].map((key) => key.split('|')[1]!));
  const servers = new Set(plant.hosts.filter((host) => (host.place === 'line' || host.place === 'site' || host.place === 'dmz') && serving.has(host.ip)).map((host) => host.ip));
  return { groupOfHost, servers, legitimateEdges: planner.legitimate, adminEdges: planner.admin, attacks };
}
