// Where everything sits. Prod and dev live in different /16s (172.20 and
// 172.30), infrastructure in 172.16.0.0/24, each department's desktops in a
// 192.168.x.0/24 of its own. The internet is the two documentation ranges.
// Each subnet is bound to one Azure NSG; the NSGs are what write the logs.

import { hash32 } from './random';
import type { Zone } from './catalogue';

export type Environment = 'prod' | 'dev';

export const ZONE_OCTET: Readonly<Record<Zone, number>> = { web: 10, app: 20, data: 30 };
export const ENV_PREFIX: Readonly<Record<Environment, string>> = { prod: '172.20', dev: '172.30' };
export const INFRA_PREFIX = '172.16.0';
export const DESKTOP_PREFIX = '192.168';

export interface Nsg {
  readonly name: string;
  readonly resourceId: string;
  readonly systemId: string;
}

const SUBSCRIPTION = '5B0F7A2E-91C4-4D3A-8E62-0C1F5D7B9A43';

function nsg(name: string, resourceGroup: string): Nsg {
  const h = (label: string): string => hash32(`${name}:${label}`).toString(16).padStart(8, '0');
  // A stable GUID-shaped systemId per NSG.
  const systemId = `${h('a')}-${h('b').slice(0, 4)}-4${h('c').slice(0, 3)}-a${h('d').slice(0, 3)}-${h('e')}${h('f').slice(0, 4)}`;
  return {
    name,
    resourceId: `/SUBSCRIPTIONS/${SUBSCRIPTION}/RESOURCEGROUPS/${resourceGroup}/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/${name}`,
    systemId,
  };
}

/** Six NSGs: one per prod zone, one for all of dev, one for infrastructure, one for the desktops (VDI). */
export const NSGS = {
  prodWeb: nsg('NSG-PRD-WEB', 'RG-NET-PRD'),
  prodApp: nsg('NSG-PRD-APP', 'RG-NET-PRD'),
  prodData: nsg('NSG-PRD-DATA', 'RG-NET-PRD'),
  dev: nsg('NSG-DEV-ALL', 'RG-NET-DEV'),
  infra: nsg('NSG-INF-CORE', 'RG-NET-SHARED'),
  desktops: nsg('NSG-VDI-USERS', 'RG-NET-VDI'),
} as const;

export const ALL_NSGS: readonly Nsg[] = Object.values(NSGS);

/** The NSG that logs an internal address's NIC, or null for the internet. */
export function nsgOf(ip: string): Nsg | null {
  if (ip.startsWith(`${ENV_PREFIX.prod}.${ZONE_OCTET.web}.`)) return NSGS.prodWeb;
  if (ip.startsWith(`${ENV_PREFIX.prod}.${ZONE_OCTET.app}.`)) return NSGS.prodApp;
  if (ip.startsWith(`${ENV_PREFIX.prod}.${ZONE_OCTET.data}.`)) return NSGS.prodData;
  if (ip.startsWith(`${ENV_PREFIX.dev}.`)) return NSGS.dev;
  if (ip.startsWith(`${INFRA_PREFIX}.`)) return NSGS.infra;
  if (ip.startsWith(`${DESKTOP_PREFIX}.`)) return NSGS.desktops;
  return null;
}

export const isInternal = (ip: string): boolean => nsgOf(ip) !== null;

/** Azure NICs carry Microsoft's 00-0D-3A prefix; the rest is stable per address and seed. */
export function macOf(ip: string, seed: number): string {
  return `000D3A${(hash32(`${seed}:mac:${ip}`) & 0xffffff).toString(16).toUpperCase().padStart(6, '0')}`;
}

/** Fixed internet peers (documentation ranges). Customers and background noise are drawn from the rest. */
export const INTERNET = {
  /** Destinations the web proxies fetch for users. */
  proxyUpstreams: ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14', '198.51.100.15', '203.0.113.20', '203.0.113.21', '203.0.113.22', '203.0.113.23'],
  /** SaaS reached directly on 443 from every desktop (split tunnel). */
  saas: ['198.51.100.20', '198.51.100.21', '203.0.113.50'],
  upstreamDns: '198.51.100.53',
  upstreamNtp: '198.51.100.123',
  /** Payment provider: production and sandbox endpoints. */
  pspProd: '203.0.113.10',
  pspSandbox: '203.0.113.11',
  /** Package mirrors behind the apt proxy, and Microsoft Update behind WSUS. */
  aptMirrors: ['203.0.113.30', '203.0.113.31'],
  microsoftUpdate: '203.0.113.40',
  /** Where the planted upload goes: used by nothing else. */
  exfilDrop: '203.0.113.201',
} as const;

/** Customers of the internet-facing applications: 198.51.100.100–199 and 203.0.113.100–199. */
export const customerAddress = (n: number): string => (n < 100 ? `198.51.100.${100 + n}` : `203.0.113.${n}`);
/** Internet background scanners: 198.51.100.210–254 and 203.0.113.210–254. */
export const noiseAddress = (n: number): string => (n < 45 ? `198.51.100.${210 + n}` : `203.0.113.${210 + (n - 45)}`);
