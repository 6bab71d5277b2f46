// What the enterprise runs, as data: eight applications in prod and dev
// (dev smaller), the shared platforms some of them use, the infrastructure
// services and the departments. Ports and who talks to whom live in the
// usages-*.ts files; this file only says what exists and where.

export type Os = 'windows' | 'linux';
/** The network zone (and so the subnet and NSG) a component sits in. */
export type Zone = 'web' | 'app' | 'data';

export interface ComponentSpec {
  /** Application segment of the ground-truth group ("ord", "shared-mssql"). */
  readonly app: string;
  /** Component segment of the ground-truth group ("web", "api", "db"…): replicas of one component share a group. */
  readonly component: string;
  /** Hostname parts: PRD-<appCode>-<code>01 in prod, dv-<appcode>-<code>01 in dev. */
  readonly appCode: string;
  readonly code: string;
  /** The coarser tier a CMDB records (both of ord's app services are "app"). */
  readonly cmdbTier: string;
  readonly os: Os;
  readonly zone: Zone;
  readonly prod: number;
  readonly dev: number;
  /** The team a CMDB names as owner. */
  readonly owner: string;
}

const c = (
  app: string, component: string, appCode: string, code: string, cmdbTier: string,
  os: Os, zone: Zone, prod: number, dev: number, owner: string,
): ComponentSpec => ({ app, component, appCode, code, cmdbTier, os, zone, prod, dev, owner });

export const COMPONENTS: readonly ComponentSpec[] = [
  // CRM: IIS front end, .NET service, data in the shared SQL Server cluster.
  c('crm', 'web', 'CRM', 'WEB', 'web', 'windows', 'web', 3, 1, 'team-crm'),
  c('crm', 'app', 'CRM', 'APP', 'app', 'windows', 'app', 2, 1, 'team-crm'),
  // Billing: no web tier; an API other applications call and a night batch.
  c('bil', 'api', 'BIL', 'API', 'app', 'windows', 'app', 2, 1, 'team-finance-it'),
  c('bil', 'batch', 'BIL', 'BAT', 'batch', 'windows', 'app', 1, 1, 'team-finance-it'),
  // Orders: two app services (REST API and a Thrift pricing engine on 9090), Postgres pair, Redis.
  c('ord', 'web', 'ORD', 'WEB', 'web', 'linux', 'web', 3, 1, 'team-commerce'),
  c('ord', 'api', 'ORD', 'API', 'app', 'linux', 'app', 3, 1, 'team-commerce'),
  c('ord', 'pricing', 'ORD', 'PRC', 'app', 'linux', 'app', 2, 1, 'team-commerce'),
  c('ord', 'db', 'ORD', 'PG', 'db', 'linux', 'data', 2, 1, 'team-commerce'),
  c('ord', 'cache', 'ORD', 'RDS', 'cache', 'linux', 'data', 1, 1, 'team-commerce'),
  // Warehouse: MongoDB replica set.
  c('wms', 'web', 'WMS', 'WEB', 'web', 'linux', 'web', 2, 1, 'team-logistics-it'),
  c('wms', 'app', 'WMS', 'APP', 'app', 'linux', 'app', 2, 1, 'team-logistics-it'),
  c('wms', 'db', 'WMS', 'MDB', 'db', 'linux', 'data', 3, 1, 'team-logistics-it'),
  // HR: Windows stack with its own SQL Server.
  c('hr', 'web', 'HR', 'WEB', 'web', 'windows', 'web', 2, 1, 'team-hr-it'),
  c('hr', 'app', 'HR', 'APP', 'app', 'windows', 'app', 1, 1, 'team-hr-it'),
  c('hr', 'db', 'HR', 'SQL', 'db', 'windows', 'data', 1, 1, 'team-hr-it'),
  // Reporting: web, query service, nightly ETL, a Postgres warehouse and a Redis cache.
  c('rpt', 'web', 'RPT', 'WEB', 'web', 'linux', 'web', 1, 1, 'team-bi'),
  c('rpt', 'app', 'RPT', 'APP', 'app', 'linux', 'app', 2, 1, 'team-bi'),
  c('rpt', 'etl', 'RPT', 'ETL', 'batch', 'linux', 'app', 1, 1, 'team-bi'),
  c('rpt', 'dw', 'RPT', 'PG', 'db', 'linux', 'data', 1, 1, 'team-bi'),
  c('rpt', 'cache', 'RPT', 'RDS', 'cache', 'linux', 'data', 1, 1, 'team-bi'),
  // Documents: the app servers also serve an SMB share (445) to the web tier: their own role, not administration.
  c('dms', 'web', 'DMS', 'WEB', 'web', 'windows', 'web', 2, 1, 'team-documents'),
  c('dms', 'app', 'DMS', 'APP', 'app', 'windows', 'app', 2, 1, 'team-documents'),
  c('dms', 'db', 'DMS', 'SQL', 'db', 'windows', 'data', 1, 1, 'team-documents'),
  // Payments: no web tier; a gRPC gateway on 9090, MongoDB, Redis, and the payment provider outside.
  c('pay', 'gw', 'PAY', 'GW', 'app', 'linux', 'app', 2, 1, 'team-payments'),
  c('pay', 'db', 'PAY', 'MDB', 'db', 'linux', 'data', 3, 1, 'team-payments'),
  c('pay', 'cache', 'PAY', 'RDS', 'cache', 'linux', 'data', 1, 1, 'team-payments'),
  // Shared platforms: one SQL Server cluster (CRM and billing), RabbitMQ (CRM, billing, documents),
  // Kafka (orders, warehouse, reporting), and the internet-facing reverse proxies (orders, documents).
  c('shared-mssql', 'db', 'SQLCL', 'N', 'db', 'windows', 'data', 2, 1, 'team-dba'),
  c('shared-rabbitmq', 'mq', 'MQ', 'RBT', 'mq', 'linux', 'data', 2, 1, 'team-platform'),
  c('shared-kafka', 'mq', 'KFK', 'BRK', 'mq', 'linux', 'data', 3, 1, 'team-platform'),
  c('shared-rpx', 'web', 'DMZ', 'RPX', 'web', 'linux', 'web', 2, 0, 'team-platform'),
];

export interface InfraSpec {
  /** Ground-truth group is "infra|<service>". */
  readonly service: string;
  readonly namePrefix: string;
  readonly os: Os;
  /** Last octets in 172.16.0.0/24. */
  readonly octets: readonly number[];
  /** What a CMDB calls it. */
  readonly cmdbApp: string;
}

export const INFRA: readonly InfraSpec[] = [
  { service: 'dc', namePrefix: 'AD-DC', os: 'windows', octets: [11, 12, 13], cmdbApp: 'active-directory' },
  { service: 'dns', namePrefix: 'INF-DNS', os: 'linux', octets: [21, 22], cmdbApp: 'dns-resolver' },
  { service: 'ntp', namePrefix: 'INF-NTP', os: 'linux', octets: [25], cmdbApp: 'ntp' },
  { service: 'files', namePrefix: 'INF-FS', os: 'windows', octets: [31], cmdbApp: 'file-services' },
  { service: 'wsus', namePrefix: 'INF-WSUS', os: 'windows', octets: [41], cmdbApp: 'wsus' },
  { service: 'aptproxy', namePrefix: 'INF-APT', os: 'linux', octets: [42], cmdbApp: 'apt-cacher' },
  { service: 'proxy', namePrefix: 'INF-PRX', os: 'linux', octets: [51, 52], cmdbApp: 'web-proxy' },
  { service: 'monitoring', namePrefix: 'INF-MON', os: 'linux', octets: [61], cmdbApp: 'prometheus' },
  { service: 'logs', namePrefix: 'INF-LOG', os: 'linux', octets: [62], cmdbApp: 'log-collector' },
  { service: 'jump', namePrefix: 'INF-JMP', os: 'windows', octets: [71, 72], cmdbApp: 'admin-jump' },
];

export interface DepartmentSpec {
  readonly name: string;
  readonly code: string;
  /** Third octet of its 192.168.x.0/24. */
  readonly subnet: number;
  readonly size: number;
  /** Prod applications whose web tier it uses. */
  readonly prodApps: readonly string[];
  /** Dev applications whose web tier it uses (engineering only). */
  readonly devApps: readonly string[];
  /** How many of its workstations belong to administrators (RDP to the jump hosts). */
  readonly admins: number;
}

export const DEPARTMENTS: readonly DepartmentSpec[] = [
  { name: 'finance', code: 'FIN', subnet: 11, size: 12, prodApps: ['crm', 'rpt', 'dms', 'hr'], devApps: [], admins: 0 },
  { name: 'sales', code: 'SAL', subnet: 12, size: 17, prodApps: ['crm', 'ord', 'dms', 'hr'], devApps: [], admins: 0 },
  { name: 'logistics', code: 'LOG', subnet: 13, size: 14, prodApps: ['wms', 'ord', 'hr'], devApps: [], admins: 0 },
  { name: 'hr', code: 'HR', subnet: 14, size: 7, prodApps: ['hr', 'dms'], devApps: [], admins: 0 },
  { name: 'engineering', code: 'ENG', subnet: 15, size: 18, prodApps: ['rpt', 'hr'], devApps: ['crm', 'ord', 'wms', 'hr', 'rpt', 'dms'], admins: 4 },
];
