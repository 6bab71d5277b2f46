// Every scenario generator the harness runs. The topologies come from
// ../shared/data/topologies and are skipped, with a message, without it;
// enterprise-b is loaded when present. Each topology runs twice: as pods seen
// by Zeek (topology-pods) and in an Istio mesh seen by VPC flow logs (mesh-pods).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudAsg } from './generators/cloud-asg/index';
import { enterpriseA } from './generators/enterprise-a';
import { hospital } from './generators/hospital/index';
import { meshGenerators } from './generators/mesh-pods/index';
import { otPlant } from './generators/ot-plant/index';
import { retailChain } from './generators/retail-chain/index';
import { stickyPools } from './generators/sticky-pools/index';
import { topologyGenerators } from './generators/topology-pods/index';
import type { ScenarioGenerator } from './scenario';

export const TOPOLOGY_DIR = fileURLToPath(new URL('../../../../shared/data/topologies', import.meta.url));

export async function allGenerators(): Promise<{ generators: ScenarioGenerator[]; notes: string[] }> {
  const generators: ScenarioGenerator[] = [enterpriseA, stickyPools, cloudAsg, otPlant, hospital, retailChain];
  const notes: string[] = [];
  try {
    const module = (await import('./generators/enterprise-b/index')) as { enterpriseB?: ScenarioGenerator };
    if (module.enterpriseB !== undefined) generators.push(module.enterpriseB);
    else notes.push('enterprise-b: its module exports no enterpriseB; skipped');
  } catch (error) {
    notes.push(`enterprise-b: not loadable (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); skipped`);
  }
  if (existsSync(TOPOLOGY_DIR)) generators.push(...topologyGenerators(TOPOLOGY_DIR), ...meshGenerators(TOPOLOGY_DIR));
  else notes.push(`topologies: ${TOPOLOGY_DIR} not found; the topology scenarios are skipped`);
  return { generators, notes };
}
