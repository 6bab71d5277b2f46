// The applications' own traffic, prod and dev alike (dev at a quarter of the
// rate): web → app → data, the shared platforms, calls between applications,
// the internet customers behind the reverse proxies, and the two services
// that only start in the replay. Databases of different applications listen
// on the same ports (1433, 27017, 6379, 5432) but each serves only its own
// application, except the shared SQL Server cluster.

import { INTERNET, customerAddress, type Environment } from './address-plan';
import type { Estate, Host } from './estate';
import { REPLAY_FIRST_HOUR } from './calendar';
import type { Rng } from './random';
import { TCP, type Rhythm, type UsageList } from './usage';
import type { TrafficKind } from './traffic-kinds';

const DEV_SCALE = 0.25;

/** Service ports, by "<app>|<component>": one place, read by the usages below and by nothing of the engine. */
export const APP_PORTS = {
  web: 443,
  crmApp: 8443,
  bilApi: 8080,
  ordApi: 8080,
  ordPricing: 9090,
  postgres: 5432,
  redis: 6379,
  mongo: 27017,
  mssql: 1433,
  mssqlMirror: 5022,
  wmsApp: 8080,
  hrApp: 8443,
  rptApp: 8080,
  dmsApp: 8443,
  dmsShare: 445,
  payGw: 9090,
  rabbit: 5672,
  rabbitCluster: 25672,
  kafka: 9092,
  /** New in the replay: reporting's export API, and a Postgres exporter on the orders primary. */
  rptExport: 9443,
  pgExporter: 9187,
} as const;

/** Customers of the internet-facing applications. */
export const CUSTOMER_COUNT = 40;

export function applicationUsages(estate: Estate, list: UsageList, rng: Rng): void {
  for (const env of ['prod', 'dev'] as const) envUsages(estate, list, env);
  internetFacing(estate, list, rng);
  newServices(estate, list);
}

function envUsages(estate: Estate, list: UsageList, env: Environment): void {
  const scale = env === 'prod' ? 1 : DEV_SCALE;
  const g = (app: string, component: string): readonly Host[] => estate.members(`${env}|${app}|${component}`);
  /** Every client of `from` uses every server of `to` (load balancers and connection pools spread them). */
  const use = (from: readonly Host[], to: readonly Host[], port: number, kind: TrafficKind, rhythm: Rhythm, rate: number): void => {
    for (const client of from) for (const server of to) list.add(client.ip, server.ip, TCP, port, kind, rhythm, rate * scale);
  };
  /** Primary and secondaries: most of the load on the first member. */
  const usePrimary = (from: readonly Host[], to: readonly Host[], port: number, kind: TrafficKind, rhythm: Rhythm, rate: number, secondaryShare: number): void => {
    to.forEach((server, i) => use(from, [server], port, kind, rhythm, i === 0 ? rate : rate * secondaryShare));
  };
  /** Members of a cluster talk to each other. */
  const mesh = (members: readonly Host[], port: number, rate: number): void => {
    for (const a of members) for (const b of members) if (a !== b) list.add(a.ip, b.ip, TCP, port, 'replication', 'steady', rate * scale);
  };

  const mssql = g('shared-mssql', 'db');
  const rabbit = g('shared-rabbitmq', 'mq');
  const kafka = g('shared-kafka', 'mq');
  const P = APP_PORTS;

  // CRM
  use(g('crm', 'web'), g('crm', 'app'), P.crmApp, 'api', 'business', 1.5);
  usePrimary(g('crm', 'app'), mssql, P.mssql, 'db', 'business', 1.5, 0.2);
  use(g('crm', 'app'), rabbit, P.rabbit, 'mq', 'steady', 0.2);
  use(g('crm', 'app'), g('bil', 'api'), P.bilApi, 'api', 'business', 0.4);
  // Billing
  usePrimary(g('bil', 'api'), mssql, P.mssql, 'db', 'business', 1, 0.2);
  use(g('bil', 'api'), rabbit, P.rabbit, 'mq', 'steady', 0.2);
  use(g('bil', 'api'), g('pay', 'gw'), P.payGw, 'api', 'business', 0.4);
  usePrimary(g('bil', 'batch'), mssql, P.mssql, 'dbBatch', 'batch', 1.5, 0.3);
  use(g('bil', 'batch'), g('bil', 'api'), P.bilApi, 'api', 'batch', 3);
  use(g('bil', 'batch'), g('dms', 'app'), P.dmsApp, 'api', 'batch', 2);
  use(g('bil', 'batch'), rabbit, P.rabbit, 'mq', 'batch', 0.8);
  // Orders
  use(g('ord', 'web'), g('ord', 'api'), P.ordApi, 'api', 'business', 1.5);
  use(g('ord', 'api'), g('ord', 'pricing'), P.ordPricing, 'api', 'business', 1.2);
  usePrimary(g('ord', 'api'), g('ord', 'db'), P.postgres, 'db', 'business', 1.5, 0.5);
  use(g('ord', 'api'), g('ord', 'cache'), P.redis, 'cache', 'business', 1.5);
  use(g('ord', 'api'), kafka, P.kafka, 'mq', 'steady', 0.2);
  use(g('ord', 'api'), g('pay', 'gw'), P.payGw, 'api', 'business', 0.5);
  use(g('ord', 'api'), g('bil', 'api'), P.bilApi, 'api', 'business', 0.3);
  use(g('ord', 'pricing'), g('ord', 'cache'), P.redis, 'cache', 'business', 1);
  // Pricing reads its tables from the standby (the last member), which streams WAL from the primary.
  const ordDb = g('ord', 'db');
  use(g('ord', 'pricing'), ordDb.slice(-1), P.postgres, 'db', 'business', 0.6);
  if (ordDb.length > 1) use(ordDb.slice(1), ordDb.slice(0, 1), P.postgres, 'replication', 'steady', 0.2);
  // Warehouse
  use(g('wms', 'web'), g('wms', 'app'), P.wmsApp, 'api', 'business', 1.5);
  use(g('wms', 'app'), g('wms', 'db'), P.mongo, 'db', 'business', 0.6);
  use(g('wms', 'app'), kafka, P.kafka, 'mq', 'steady', 0.2);
  mesh(g('wms', 'db'), P.mongo, 0.12);
  // HR
  use(g('hr', 'web'), g('hr', 'app'), P.hrApp, 'api', 'business', 1.2);
  use(g('hr', 'app'), g('hr', 'db'), P.mssql, 'db', 'business', 1.2);
  use(g('hr', 'app'), g('dms', 'app'), P.dmsApp, 'api', 'business', 0.25);
  // Reporting
  use(g('rpt', 'web'), g('rpt', 'app'), P.rptApp, 'api', 'business', 1);
  use(g('rpt', 'app'), g('rpt', 'dw'), P.postgres, 'db', 'business', 1.2);
  use(g('rpt', 'app'), g('rpt', 'cache'), P.redis, 'cache', 'business', 1.2);
  use(g('rpt', 'etl'), kafka, P.kafka, 'mq', 'steady', 0.25);
  use(g('rpt', 'etl'), g('rpt', 'dw'), P.postgres, 'dbBatch', 'batch', 1.5);
  // Documents: the web tier reads the document store over SMB as well as the API.
  use(g('dms', 'web'), g('dms', 'app'), P.dmsApp, 'api', 'business', 1.2);
  use(g('dms', 'web'), g('dms', 'app'), P.dmsShare, 'smb', 'business', 0.5);
  use(g('dms', 'app'), g('dms', 'db'), P.mssql, 'db', 'business', 1.2);
  use(g('dms', 'app'), rabbit, P.rabbit, 'mq', 'steady', 0.15);
  // Payments
  use(g('pay', 'gw'), g('pay', 'db'), P.mongo, 'db', 'business', 0.6);
  use(g('pay', 'gw'), g('pay', 'cache'), P.redis, 'cache', 'business', 1.5);
  mesh(g('pay', 'db'), P.mongo, 0.12);
  for (const gw of g('pay', 'gw')) list.add(gw.ip, env === 'prod' ? INTERNET.pspProd : INTERNET.pspSandbox, TCP, 443, 'api', 'business', 0.8 * scale);
  // Platform clusters
  mesh(mssql, P.mssqlMirror, 0.1);
  mesh(rabbit, P.rabbitCluster, 0.1);
  mesh(kafka, P.kafka, 0.15);
}

function internetFacing(estate: Estate, list: UsageList, rng: Rng): void {
  const proxies = estate.members('prod|shared-rpx|web');
  const customers = rng.shuffle(Array.from({ length: 200 }, (_, n) => customerAddress(n))).slice(0, CUSTOMER_COUNT).sort();
  for (const customer of customers) for (const rpx of proxies) list.add(customer, rpx.ip, TCP, APP_PORTS.web, 'web', 'business', 0.15);
  for (const rpx of proxies) {
    for (const web of [...estate.members('prod|ord|web'), ...estate.members('prod|dms|web')]) {
      list.add(rpx.ip, web.ip, TCP, APP_PORTS.web, 'web', 'business', 1);
    }
  }
}

/** Two genuinely new services, first used in the replay (drift, not mistakes). */
function newServices(estate: Estate, list: UsageList): void {
  const thursday9 = REPLAY_FIRST_HOUR + 9;
  for (const client of estate.members('prod|bil|api')) {
    for (const server of estate.members('prod|rpt|app')) list.add(client.ip, server.ip, TCP, APP_PORTS.rptExport, 'api', 'business', 0.5, { fromHour: thursday9 });
  }
  const monitoring = estate.members('infra|monitoring')[0]!;
  const primary = estate.members('prod|ord|db')[0]!;
  list.add(monitoring.ip, primary.ip, TCP, APP_PORTS.pgExporter, 'scrape', 'steady', 0.25, { fromHour: thursday9 + 5 });
}
