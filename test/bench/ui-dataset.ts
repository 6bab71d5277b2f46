import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_V2_HEADER } from '../../src/core/synth/aws-flow-log-writer';
import { Random } from '../../src/core/util/random';

/**
 * The data set bench:ui imports in the browser: 5,000 hosts in 100
 * three-tier applications of 50 hosts (20 web, 14 app, 16 database) and
 * 50,400 edges, as an AWS VPC flow log (one record per edge, from an
 * ephemeral client port so direction is plain) and an inventory labelling
 * every host with its environment and application. Every web host calls
 * every app host of its application, and every app host every database
 * host, so the replicas of a tier behave alike and discovery finds about
 * 300 groups (a client that calls only some replicas, as a sticky load
 * balancer makes it, is the separate, harder case of issue #8). Written
 * once into .bench-data/ui and reused.
 */
export const UI_HOSTS = 5_000;
export const UI_EDGES = 50_400;
const APPS = 100;
const TIERS = [
  { name: 'web', hosts: 20, port: 443 },
  { name: 'app', hosts: 14, port: 8080 },
  { name: 'db', hosts: 16, port: 5432 },
] as const;
const VERSION = 3;

const ip = (app: number, tier: number, member: number) => `10.${app}.${tier}.${10 + member}`;

export async function uiDatasetFiles(): Promise<string[]> {
  const folder = fileURLToPath(new URL(`../../.bench-data/ui/v${VERSION}-${UI_HOSTS}-${UI_EDGES}`, import.meta.url));
  const flows = join(folder, 'vpc-flow-log.log');
  const inventory = join(folder, 'inventory.csv');
  if (existsSync(flows) && existsSync(inventory)) return [flows, inventory];
  await mkdir(folder, { recursive: true });
  const random = new Random(11);
  const lines = [AWS_V2_HEADER];
  const start = Math.floor(Date.UTC(2026, 0, 5) / 1000);
  let record = 0;
  for (let app = 0; app < APPS; app++) {
    for (let tier = 0; tier + 1 < TIERS.length; tier++) {
      const server = TIERS[tier + 1]!;
      for (let client = 0; client < TIERS[tier]!.hosts; client++) {
        for (let member = 0; member < server.hosts; member++) {
          const flowsOfEdge = random.int(1, 200);
          const at = start + random.int(0, 86_000);
          lines.push(['2', '123456789012', `eni-${(record % 997).toString(16).padStart(8, '0')}`, ip(app, tier, client), ip(app, tier + 1, member), 40_000 + (record % 20_000), server.port, 6, flowsOfEdge * 6, flowsOfEdge * random.int(400, 40_000), at, at + 60, 'ACCEPT', 'OK'].join(' '));
          record++;
        }
      }
    }
  }
  await writeFile(flows, `${lines.join('\n')}\n`);
  const rows = ['ip,hostname,env,app,tier'];
  for (let app = 0; app < APPS; app++) {
    TIERS.forEach((tier, index) => {
      for (let member = 0; member < tier.hosts; member++) rows.push([ip(app, index, member), `app${app}-${tier.name}-${member}`, app % 2 === 0 ? 'prod' : 'dev', `app${app}`, tier.name].join(','));
    });
  }
  await writeFile(inventory, `${rows.join('\n')}\n`);
  return [flows, inventory];
}
