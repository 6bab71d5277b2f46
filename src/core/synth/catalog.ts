/**
 * What the synthetic enterprise runs: applications with web/app/data tiers in
 * prod and dev, shared infrastructure services, and departments of
 * workstations. Ports and protocols are the ones these products really use,
 * so the data exercises the same service names and direction heuristics as
 * real exports.
 */

export interface TierSpec {
  readonly tier: 'web' | 'app' | 'db' | 'cache' | 'queue';
  readonly port: number;
  readonly proto: 6 | 17;
  readonly replicas: { readonly prod: number; readonly dev: number };
  readonly os: 'linux' | 'windows';
}

export interface AppSpec {
  readonly name: string;
  readonly tiers: readonly TierSpec[];
  /** Tier → tier calls inside the app. */
  readonly calls: readonly (readonly [TierSpec['tier'], TierSpec['tier']])[];
  /** Departments whose workstations use the app's web tier. */
  readonly usedBy: readonly string[];
  /** Partner APIs the app tier calls on the internet. */
  readonly partners?: number;
}

const web = (port = 443, os: 'linux' | 'windows' = 'linux'): TierSpec => ({ tier: 'web', port, proto: 6, replicas: { prod: 3, dev: 1 }, os });
const app = (port: number, os: 'linux' | 'windows' = 'linux'): TierSpec => ({ tier: 'app', port, proto: 6, replicas: { prod: 3, dev: 1 }, os });
const db = (port: number, os: 'linux' | 'windows' = 'linux'): TierSpec => ({ tier: 'db', port, proto: 6, replicas: { prod: 2, dev: 1 }, os });

export const APPS: readonly AppSpec[] = [
  { name: 'billing', tiers: [web(), app(8080), db(5432)], calls: [['web', 'app'], ['app', 'db']], usedBy: ['finance'] },
  {
    name: 'crm',
    tiers: [web(), app(8443), db(3306), { tier: 'cache', port: 6379, proto: 6, replicas: { prod: 2, dev: 1 }, os: 'linux' }],
    calls: [['web', 'app'], ['app', 'db'], ['app', 'cache']],
    usedBy: ['sales'],
  },
  { name: 'hr', tiers: [web(443, 'windows'), app(8080, 'windows'), db(1433, 'windows')], calls: [['web', 'app'], ['app', 'db']], usedBy: ['hr', 'finance'] },
  {
    name: 'inventory',
    tiers: [web(), app(9000), db(27017), { tier: 'queue', port: 9092, proto: 6, replicas: { prod: 3, dev: 1 }, os: 'linux' }],
    calls: [['web', 'app'], ['app', 'db'], ['app', 'queue']],
    usedBy: ['engineering', 'sales'],
  },
  { name: 'payments', tiers: [web(), app(8080), db(5432)], calls: [['web', 'app'], ['app', 'db']], usedBy: ['finance'], partners: 2 },
  { name: 'analytics', tiers: [web(), app(8080), db(9200)], calls: [['web', 'app'], ['app', 'db']], usedBy: ['engineering', 'finance', 'sales'] },
  { name: 'intranet', tiers: [web(), app(8080), db(5432)], calls: [['web', 'app'], ['app', 'db']], usedBy: ['finance', 'sales', 'engineering', 'hr', 'it'] },
];

/** Cross-application dependencies (prod only): analytics reads billing's and inventory's data. */
export const CROSS_APP_CALLS: readonly { readonly from: string; readonly to: string; readonly tier: TierSpec['tier'] }[] = [
  { from: 'analytics', to: 'billing', tier: 'db' },
  { from: 'analytics', to: 'inventory', tier: 'db' },
  { from: 'payments', to: 'billing', tier: 'app' },
];

export interface SharedServiceSpec {
  readonly name: string;
  readonly count: number;
  readonly os: 'linux' | 'windows';
}

export const SHARED_SERVICES: readonly SharedServiceSpec[] = [
  { name: 'dns', count: 2, os: 'linux' },
  { name: 'ntp', count: 2, os: 'linux' },
  { name: 'directory', count: 2, os: 'windows' },
  { name: 'monitoring', count: 1, os: 'linux' },
  { name: 'logging', count: 2, os: 'linux' },
  { name: 'backup', count: 1, os: 'linux' },
  { name: 'proxy', count: 2, os: 'linux' },
  { name: 'jump', count: 1, os: 'windows' },
  { name: 'files', count: 1, os: 'windows' },
  { name: 'mail', count: 1, os: 'linux' },
  { name: 'patching', count: 1, os: 'windows' },
];

export const DEPARTMENTS: readonly { readonly name: string; readonly workstations: number }[] = [
  { name: 'finance', workstations: 24 },
  { name: 'sales', workstations: 24 },
  { name: 'engineering', workstations: 36 },
  { name: 'hr', workstations: 10 },
  { name: 'it', workstations: 6 },
];

/** Internet destinations reached through the proxies. */
export const INTERNET_DESTINATIONS = 40;
