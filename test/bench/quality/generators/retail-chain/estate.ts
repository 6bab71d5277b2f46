// The retailer's estate: a head-office data centre and 20–60 shops, every
// host with its address, its active window, its ground-truth group and what
// the CMDB (NetBox, inventory.ts) would say about it.
//
// The chain trades in one of three regions (by seed): the United States
// (five time zones), Australia (five, Adelaide's half hour included) or
// Iberia (the mainland, the Canaries and Portugal). Head office and its data
// centre sit in the region's main city; each shop keeps its own opening
// hours in its own time zone.
//
// Address plan, as a network team would lay it out:
// - 10.10.0.0/16 the production data centre and shared services, one /24 per
//   server VLAN (10 infrastructure, 11 management, 12 logging, 13 messaging,
//   20 POS back end, 21 payments (PCI), 22 ERP, 23 e-commerce, 24
//   replenishment); 10.11.0.0/16 the QA copies, same third octets;
//   10.10.255.1 the core's loopback (its NetFlow source).
// - 10.100.<n>.0/24 shop n, cut into per-VLAN blocks the same way in every
//   shop: .0/28 network (switch .2), .16/28 servers (store server .20, its
//   replacement .21, NVR .22), .32/27 POS lanes (PCI), .64/27 back office,
//   .96/27 handheld Wi-Fi (DHCP), .128/27 devices (label printer, signage
//   player), .160/27 cameras. The shop router routes between them and owns
//   the first address of each block; it sources syslog, NTP and its NetFlow
//   export from its loopback 10.99.0.<n>.
// - Every shop also has a broadband line with a public address: its router
//   sends Microsoft 365 and anything else not corporate straight out of it
//   (split tunnel), translating the source to that address.
import { atLocal, CAPTURE_START, DAY, HOUR, localDay, localWeekday, MINUTE, TRAIN_UNTIL, type Zone } from './clock';
import type { Random } from './random';

export type Os = 'windows' | 'linux' | 'appliance';

/** Which NetBox list a host belongs in: physical devices, virtual machines, or neither (endpoints NetBox does not track). */
export type Listing = 'device' | 'vm' | null;

/** What a complete and correct CMDB entry would say. */
export interface Labels {
  readonly application: string;
  readonly environment: 'Production' | 'QA';
  readonly role: string;
  readonly tenant: string;
  readonly platform: string;
  readonly cluster: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly location: string;
  readonly rack: string;
  readonly tags: readonly string[];
}

export interface Site {
  readonly code: string;
  /** NetBox site name. */
  readonly name: string;
  readonly zone: Zone;
  readonly shop: Shop | null;
}

export interface Host {
  readonly external: false;
  readonly name: string;
  readonly ip: string;
  /** Prefix length of its subnet, as NetBox stores the address ("10.10.20.11/24"). */
  readonly prefix: number;
  /** Ground-truth group. */
  readonly group: string;
  /** What it does, for the generator's own wiring (e.g. "erp-app", "pos-lane"). */
  readonly role: string;
  readonly site: Site;
  readonly vlan: number;
  readonly os: Os;
  /** Online over [from, to): a store server or lane replaced mid-capture is two hosts with two addresses (to is set when it is retired). */
  readonly from: number;
  to: number;
  readonly listing: Listing;
  readonly labels: Labels | null;
  /** NetBox status as of the export (after the capture; set when it is retired). */
  status: 'Active' | 'Offline' | 'Decommissioning';
}

/** An address outside the estate. */
export interface External {
  readonly external: true;
  readonly ip: string;
  readonly what: string;
}

export type Endpoint = Host | External;

export interface Exporter {
  readonly name: string;
  /** What nfacctd prints as peer_ip_src. */
  readonly ip: string;
  readonly activeMs: number;
  readonly inactiveMs: number;
  /** Its clock's error against the collector (NTP keeps it to a few milliseconds). */
  readonly skewMs: number;
}

export type ShopSize = 'small' | 'medium' | 'large';

export interface Shop {
  readonly index: number;
  readonly number: number;
  readonly code: string;
  readonly city: string;
  readonly zone: Zone;
  readonly site: Site;
  readonly net: string;
  readonly size: ShopSize;
  /** Trade relative to a typical shop of its size. */
  readonly busyness: number;
  readonly publicIp: string;
  readonly wanLatencyMs: number;
  /** Local weekday of its weekly stock count upload (staggered so the ERP is not hit by every shop at once). */
  readonly stockCountWeekday: number;
  /** Index of the DC its DHCP scope and servers list first. */
  readonly preferredDc: number;
  readonly exporter: Exporter;
  router: Host;
  switch: Host;
  storeServers: Host[];
  nvr: Host | null;
  lanes: Host[];
  backOffice: Host[];
  handhelds: Host[];
  labelPrinter: Host;
  signage: Host;
  cameras: Host[];
  /** Local opening hours of a weekday (0 Sunday), or null when closed. */
  hours(weekday: number): readonly [number, number] | null;
}

export interface Region {
  readonly key: 'us' | 'au' | 'iberia';
  readonly hqCity: string;
  readonly hqZone: Zone;
  readonly cities: readonly (readonly [string, Zone])[];
  /** First octets of the ISPs' ranges shop broadband and e-commerce customers come from. */
  readonly ispOctets: readonly number[];
}

export interface Estate {
  readonly region: Region;
  readonly hqSite: Site;
  readonly hosts: Host[];
  readonly shops: Shop[];
  readonly core: Exporter;
  /** Hosts of the data centre by role. */
  dc(role: string): Host[];
  /** The dynamic RPC ports each domain controller's endpoint mapper hands out: [LSASS, Netlogon]. */
  readonly dcRpcPorts: ReadonlyMap<Host, readonly number[]>;
  readonly internet: Internet;
  /** Events the tests look for: who was replaced when, the lane added in the replay. */
  readonly changes: { readonly replacedServers: readonly Shop[]; readonly replacedLanes: readonly Shop[]; readonly addedLane: Host };
}

export interface Internet {
  readonly o365: readonly External[];
  readonly web: readonly External[];
  readonly acquirers: readonly External[];
  readonly ntp: readonly External[];
  readonly dnsForwarders: readonly External[];
  /** A customer of the web shop: a residential address of the region's ISPs. */
  customer(rand: Random): External;
}

const ZONES = {
  newYork: { name: 'America/New_York', offsetMinutes: -240 },
  chicago: { name: 'America/Chicago', offsetMinutes: -300 },
  denver: { name: 'America/Denver', offsetMinutes: -360 },
  phoenix: { name: 'America/Phoenix', offsetMinutes: -420 },
  losAngeles: { name: 'America/Los_Angeles', offsetMinutes: -420 },
  sydney: { name: 'Australia/Sydney', offsetMinutes: 660 },
  melbourne: { name: 'Australia/Melbourne', offsetMinutes: 660 },
  brisbane: { name: 'Australia/Brisbane', offsetMinutes: 600 },
  adelaide: { name: 'Australia/Adelaide', offsetMinutes: 630 },
  perth: { name: 'Australia/Perth', offsetMinutes: 480 },
  madrid: { name: 'Europe/Madrid', offsetMinutes: 120 },
  canary: { name: 'Atlantic/Canary', offsetMinutes: 60 },
  lisbon: { name: 'Europe/Lisbon', offsetMinutes: 60 },
} as const satisfies Record<string, Zone>;

const REGIONS: readonly Region[] = [
  {
    key: 'us',
    hqCity: 'Columbus',
    hqZone: ZONES.newYork,
    cities: [
      ['Columbus', ZONES.newYork], ['Pittsburgh', ZONES.newYork], ['Charlotte', ZONES.newYork], ['Atlanta', ZONES.newYork], ['Tampa', ZONES.newYork],
      ['Richmond', ZONES.newYork], ['Albany', ZONES.newYork], ['Cleveland', ZONES.newYork], ['Chicago', ZONES.chicago], ['Milwaukee', ZONES.chicago],
      ['Minneapolis', ZONES.chicago], ['Dallas', ZONES.chicago], ['Houston', ZONES.chicago], ['Kansas City', ZONES.chicago], ['Nashville', ZONES.chicago],
      ['St. Louis', ZONES.chicago], ['Denver', ZONES.denver], ['Salt Lake City', ZONES.denver], ['Boise', ZONES.denver], ['Albuquerque', ZONES.denver],
      ['Phoenix', ZONES.phoenix], ['Tucson', ZONES.phoenix], ['Seattle', ZONES.losAngeles], ['Portland', ZONES.losAngeles], ['Sacramento', ZONES.losAngeles],
      ['San Diego', ZONES.losAngeles], ['Fresno', ZONES.losAngeles],
    ],
    ispOctets: [24, 50, 67, 68, 69, 71, 73, 75, 76, 96, 98, 99, 107, 108, 174],
  },
  {
    key: 'au',
    hqCity: 'Melbourne',
    hqZone: ZONES.melbourne,
    cities: [
      ['Melbourne', ZONES.melbourne], ['Geelong', ZONES.melbourne], ['Ballarat', ZONES.melbourne], ['Bendigo', ZONES.melbourne], ['Sydney', ZONES.sydney],
      ['Newcastle', ZONES.sydney], ['Wollongong', ZONES.sydney], ['Canberra', ZONES.sydney], ['Hobart', ZONES.sydney], ['Brisbane', ZONES.brisbane],
      ['Gold Coast', ZONES.brisbane], ['Townsville', ZONES.brisbane], ['Cairns', ZONES.brisbane], ['Toowoomba', ZONES.brisbane], ['Adelaide', ZONES.adelaide],
      ['Mount Gambier', ZONES.adelaide], ['Perth', ZONES.perth], ['Bunbury', ZONES.perth], ['Joondalup', ZONES.perth],
    ],
    ispOctets: [1, 14, 27, 49, 58, 101, 110, 115, 120, 121, 124, 144, 159, 203],
  },
  {
    key: 'iberia',
    hqCity: 'Madrid',
    hqZone: ZONES.madrid,
    cities: [
      ['Madrid', ZONES.madrid], ['Barcelona', ZONES.madrid], ['Valencia', ZONES.madrid], ['Sevilla', ZONES.madrid], ['Málaga', ZONES.madrid],
      ['Bilbao', ZONES.madrid], ['Zaragoza', ZONES.madrid], ['Murcia', ZONES.madrid], ['Valladolid', ZONES.madrid], ['Alicante', ZONES.madrid],
      ['A Coruña', ZONES.madrid], ['Las Palmas', ZONES.canary], ['Santa Cruz de Tenerife', ZONES.canary], ['Lisboa', ZONES.lisbon], ['Porto', ZONES.lisbon],
      ['Braga', ZONES.lisbon], ['Coimbra', ZONES.lisbon], ['Faro', ZONES.lisbon],
    ],
    ispOctets: [2, 31, 77, 79, 80, 81, 83, 84, 85, 88, 90, 95, 188, 213, 217],
  },
];

/** Octets no public address starts with (private, loopback, CGNAT's 100, link-local's 169, multicast and above). */
const NOT_PUBLIC = new Set([0, 10, 100, 127, 169, 172, 192, 198, 224]);

export function publicAddress(rand: Random, octets: readonly number[]): string {
  const first = rand.pick(octets.filter((o) => !NOT_PUBLIC.has(o) && o < 224));
  return `${first}.${rand.int(0, 255)}.${rand.int(0, 255)}.${rand.int(1, 254)}`;
}

/** Hosting and CDN ranges the back-office browsing lands on. */
const WEB_OCTETS = [3, 8, 13, 18, 20, 23, 34, 35, 44, 52, 54, 64, 66, 72, 74, 91, 93, 104, 142, 151, 157, 162, 185, 199, 204, 208, 209, 216];

export function buildEstate(rand: Random): Estate {
  const region = rand.pick(REGIONS);
  const hosts: Host[] = [];
  const byRole = new Map<string, Host[]>();
  const hqSite: Site = { code: 'hq-dc1', name: 'HQ-DC1', zone: region.hqZone, shop: null };

  const add = (host: Omit<Host, 'external' | 'from' | 'to' | 'status'> & Partial<Pick<Host, 'from' | 'to' | 'status'>>): Host => {
    const full: Host = { external: false, from: -Infinity, to: Infinity, status: 'Active', ...host };
    hosts.push(full);
    const list = byRole.get(full.role) ?? [];
    list.push(full);
    byRole.set(full.role, list);
    return full;
  };

  buildDataCentre(rand.fork('dc'), hqSite, add);

  const dcs = byRole.get('dc')!;
  const dcRpcPorts = new Map<Host, number[]>();
  const rpc = rand.fork('rpc');
  for (const dc of dcs) {
    const lsass = rpc.int(49664, 49680);
    dcRpcPorts.set(dc, [lsass, lsass + rpc.int(1, 6)]);
  }

  const shopRand = rand.fork('shops');
  const shopCount = shopRand.int(20, 60);
  const numbers = shopRand.sample(Array.from({ length: 880 }, (_, i) => 101 + i), shopCount).sort((a, b) => a - b);
  const cityUse = new Map<string, number>();
  const weekdays = shopRand.shuffle(Array.from({ length: shopCount }, (_, i) => i % 7));
  const shops: Shop[] = [];
  for (let i = 0; i < shopCount; i++) {
    const [city, zone] = i === 0 ? [region.hqCity, region.hqZone] : shopRand.pick(region.cities);
    const seen = (cityUse.get(city) ?? 0) + 1;
    cityUse.set(city, seen);
    shops.push(buildShop(shopRand.fork(`shop${i}`), region, i + 1, numbers[i]!, seen > 1 ? `${city} ${seen}` : city, zone, weekdays[i]!, i % 2, add));
  }

  // Mid-capture replacements: a store server that died (its successor comes up hours later with the next address) and lanes swapped overnight.
  const changeRand = rand.fork('changes');
  const replacedServers = changeRand.sample(shops, changeRand.int(1, 3));
  for (const shop of replacedServers) replaceStoreServer(changeRand, shop, add);
  const replacedLanes = changeRand.sample(shops.filter((s) => !replacedServers.includes(s)), changeRand.int(1, 2));
  for (const shop of replacedLanes) replaceLane(changeRand, shop, add);
  // Drift: one shop opens an extra lane on the replay day.
  const growing = changeRand.pick(shops.filter((s) => !replacedLanes.includes(s)));
  const addedLane = addLane(growing, growing.lanes.length + 1, laneHostNumber(growing), openingOnOrAfter(growing, TRAIN_UNTIL) - HOUR, add);

  const netRand = rand.fork('internet');
  const o365 = ['52.96.', '52.97.', '40.99.', '52.98.', '40.97.'].map((prefix, i) => ({ external: true as const, ip: `${prefix}${netRand.int(0, 255)}.${netRand.int(2, 250)}`, what: `o365-${i}` }));
  const web = Array.from({ length: 220 }, (_, i) => ({ external: true as const, ip: publicAddress(netRand, WEB_OCTETS), what: `web-${i}` }));
  const acquirers = [0, 1].map((i) => ({ external: true as const, ip: publicAddress(netRand, [63, 161, 206]), what: `acquirer-${i}` }));
  const ntp = [0, 1].map((i) => ({ external: true as const, ip: publicAddress(netRand, [45, 129, 162, 194]), what: `ntp-${i}` }));
  const dnsForwarders = [0, 1].map((i) => ({ external: true as const, ip: publicAddress(netRand, region.ispOctets), what: `dns-${i}` }));
  const internet: Internet = {
    o365,
    web,
    acquirers,
    ntp,
    dnsForwarders,
    customer: (r) => ({ external: true, ip: publicAddress(r, region.ispOctets), what: 'customer' }),
  };

  // The core's flow monitor uses the same timeouts as the shop routers' template (an hour active, a minute inactive).
  const core: Exporter = { name: 'hq-core', ip: '10.10.255.1', activeMs: 3600_000, inactiveMs: 60_000, skewMs: 0 };
  return {
    region,
    hqSite,
    hosts,
    shops,
    core,
    dc: (role) => byRole.get(role) ?? [],
    dcRpcPorts,
    internet,
    changes: { replacedServers, replacedLanes, addedLane },
  };
}

type AddHost = (host: Omit<Host, 'external' | 'from' | 'to' | 'status'> & Partial<Pick<Host, 'from' | 'to' | 'status'>>) => Host;

interface DcSpec {
  readonly role: string;
  readonly group: string;
  readonly names: string;
  readonly count: number;
  readonly net: string;
  readonly first: number;
  readonly os: Os;
  readonly listing: Listing;
  readonly application: string;
  readonly environment: 'Production' | 'QA';
  readonly cmdbRole: string;
  readonly tenant: string;
}

/** The head-office data centre, production and QA; sizes vary by seed. */
function buildDataCentre(rand: Random, site: Site, add: AddHost): void {
  const prod = (role: string, group: string, names: string, count: number, net: string, first: number, os: Os, listing: Listing, application: string, cmdbRole: string, tenant: string): DcSpec => ({
    role,
    group,
    names,
    count,
    net: `10.10.${net}`,
    first,
    os,
    listing,
    application,
    environment: 'Production',
    cmdbRole,
    tenant,
  });
  const qa = (spec: DcSpec): DcSpec => ({ ...spec, role: `qa-${spec.role}`, group: spec.group.replace(/^prod\|/, 'qa|'), names: spec.names.replace('-prd-', '-qa-'), count: 1, net: spec.net.replace(/^10\.10\./, '10.11.'), environment: 'QA', listing: 'vm' });
  const specs: DcSpec[] = [
    prod('dc', 'shared|dc', 'hq-dc', 2, '10', 10, 'windows', 'vm', 'Active Directory', 'Domain Controller', 'Infrastructure'),
    prod('wsus', 'shared|wsus', 'hq-wsus', 1, '10', 20, 'windows', 'vm', 'WSUS', 'Patch Server', 'Infrastructure'),
    prod('sccm', 'shared|sccm', 'hq-sccm', 1, '10', 21, 'windows', 'vm', 'Configuration Manager', 'Software Distribution', 'Infrastructure'),
    prod('fileserver', 'shared|fileserver', 'hq-fs', 1, '10', 30, 'windows', 'vm', 'File Services', 'File Server', 'Infrastructure'),
    prod('mft', 'shared|mft', 'hq-mft', 1, '10', 40, 'linux', 'vm', 'Managed File Transfer', 'File Transfer', 'Integration'),
    prod('proxy', 'shared|proxy', 'hq-proxy', rand.int(1, 2), '10', 50, 'linux', 'vm', 'Web Proxy', 'Proxy', 'Infrastructure'),
    prod('signage', 'shared|signage', 'hq-sign', 1, '10', 60, 'linux', 'vm', 'Digital Signage', 'Content Server', 'Marketing Technology'),
    prod('monitoring', 'shared|monitoring', 'hq-mon', 1, '11', 10, 'linux', 'vm', 'Monitoring', 'Monitoring', 'Infrastructure'),
    prod('logcollector', 'shared|syslog', 'hq-log', 1, '11', 11, 'linux', 'vm', 'Logging', 'Log Collector', 'Infrastructure'),
    prod('kibana', 'shared|kibana', 'hq-kibana', 1, '11', 12, 'linux', 'vm', 'Logging', 'Dashboard', 'Infrastructure'),
    prod('jump', 'shared|jump', 'hq-jump', 2, '11', 20, 'windows', 'vm', 'Privileged Access', 'Jump Host', 'Infrastructure'),
    prod('elasticsearch', 'shared|elasticsearch', 'hq-es', rand.int(3, 5), '12', 10, 'linux', 'vm', 'Logging', 'Search Node', 'Infrastructure'),
    prod('kafka', 'shared|kafka', 'hq-kafka', 3, '13', 10, 'linux', 'vm', 'Kafka', 'Message Broker', 'Integration'),
    prod('pos-app', 'prod|pos-backend|app', 'posbe-prd-app', rand.int(2, 4), '20', 10, 'linux', 'vm', 'POS Back End', 'Application Server', 'Store Systems'),
    prod('pos-db', 'prod|pos-backend|db', 'posbe-prd-db', 2, '20', 50, 'linux', 'device', 'POS Back End', 'Database Server', 'Store Systems'),
    prod('payment-switch', 'prod|payment|switch', 'paysw-prd-', 2, '21', 10, 'linux', 'vm', 'Payment Switch', 'Payment Switch', 'Payments'),
    prod('hsm', 'prod|payment|hsm', 'paysw-prd-hsm', rand.int(1, 2), '21', 20, 'appliance', 'device', 'Payment Switch', 'HSM', 'Payments'),
    prod('erp-ascs', 'prod|erp|ascs', 'erp-prd-ascs', 1, '22', 10, 'linux', 'vm', 'SAP S/4HANA', 'Central Services', 'Finance Systems'),
    prod('erp-app', 'prod|erp|app', 'erp-prd-app', rand.int(2, 4), '22', 11, 'linux', 'vm', 'SAP S/4HANA', 'Application Server', 'Finance Systems'),
    prod('erp-db', 'prod|erp|db', 'erp-prd-hdb', 1, '22', 50, 'linux', 'device', 'SAP S/4HANA', 'Database Server', 'Finance Systems'),
    prod('ecom-web', 'prod|ecom|web', 'ecom-prd-web', rand.int(2, 4), '23', 10, 'linux', 'vm', 'E-Commerce', 'Web Server', 'Digital'),
    prod('ecom-api', 'prod|ecom|api', 'ecom-prd-api', rand.int(2, 3), '23', 20, 'linux', 'vm', 'E-Commerce', 'Application Server', 'Digital'),
    prod('ecom-db', 'prod|ecom|db', 'ecom-prd-db', 1, '23', 50, 'linux', 'vm', 'E-Commerce', 'Database Server', 'Digital'),
    prod('repl-app', 'prod|replenishment|app', 'repl-prd-app', 2, '24', 10, 'linux', 'vm', 'Replenishment & Pricing', 'Application Server', 'Supply Chain'),
    prod('repl-db', 'prod|replenishment|db', 'repl-prd-sql', 1, '24', 50, 'windows', 'vm', 'Replenishment & Pricing', 'Database Server', 'Supply Chain'),
  ];
  const qaOf = (role: string): DcSpec => qa(specs.find((s) => s.role === role)!);
  specs.push(
    qaOf('pos-app'),
    { ...qaOf('pos-db'), first: 50 },
    qaOf('payment-switch'),
    // QA runs central services and the application server on one host.
    { ...qaOf('erp-app'), first: 11 },
    qaOf('erp-db'),
    qaOf('ecom-web'),
    qaOf('ecom-api'),
    qaOf('ecom-db'),
    qaOf('repl-app'),
    { role: 'qa-kafka', group: 'qa|kafka', names: 'kafka-qa-', count: 1, net: '10.11.13', first: 10, os: 'linux', listing: 'vm', application: 'Kafka', environment: 'QA', cmdbRole: 'Message Broker', tenant: 'Integration' },
    { role: 'qa-test-runner', group: 'qa|test-runner', names: 'qa-testrun', count: 1, net: '10.11.30', first: 10, os: 'linux', listing: 'vm', application: 'Test Automation', environment: 'QA', cmdbRole: 'Test Automation', tenant: 'Digital' },
  );

  const windowsPlatform = rand.pick(['Windows Server 2019', 'Windows Server 2022']);
  for (const spec of specs) {
    for (let i = 0; i < spec.count; i++) {
      const name = `${spec.names}${String(i + 1).padStart(2, '0')}`;
      const ip = `${spec.net}.${spec.first + i}`;
      const physical = spec.listing === 'device';
      const platform = spec.os === 'windows' ? windowsPlatform : spec.os === 'appliance' ? '' : /^(erp|qa-erp)/.test(spec.role) ? 'SLES 15 SP5' : spec.role.includes('ecom') ? 'Ubuntu 22.04' : 'RHEL 8';
      const hardware = spec.role === 'hsm' ? ['Thales', 'payShield 10K'] : spec.role === 'erp-db' ? ['Lenovo', 'ThinkSystem SR650 V2'] : physical ? ['Dell', 'PowerEdge R750'] : ['', ''];
      const pci = spec.group.includes('payment') || spec.role === 'pos-app';
      add({
        name,
        ip,
        prefix: 24,
        group: spec.group,
        role: spec.role,
        site,
        vlan: Number(spec.net.split('.')[2]),
        os: spec.os,
        listing: spec.listing,
        labels: {
          application: spec.application,
          environment: spec.environment,
          role: spec.cmdbRole,
          tenant: spec.tenant,
          platform,
          cluster: physical ? '' : spec.environment === 'QA' ? 'HQ-NONPROD-CL01' : pci ? 'HQ-PCI-CL01' : 'HQ-PROD-CL01',
          manufacturer: hardware[0]!,
          model: hardware[1]!,
          location: physical ? 'DC1 Hall A' : '',
          rack: physical ? `A${String(rand.int(1, 12)).padStart(2, '0')}` : '',
          tags: [spec.os === 'windows' ? 'windows' : spec.os === 'linux' ? 'linux' : 'appliance', ...(pci ? ['pci'] : []), ...(spec.environment === 'QA' ? ['non-prod'] : ['backup-daily'])],
        },
      });
    }
  }
}

const SIZE_COUNTS: Record<ShopSize, { lanes: [number, number]; backOffice: [number, number]; handhelds: [number, number]; cameras: [number, number] }> = {
  small: { lanes: [3, 5], backOffice: [1, 1], handhelds: [2, 3], cameras: [2, 4] },
  medium: { lanes: [5, 8], backOffice: [1, 2], handhelds: [3, 4], cameras: [3, 6] },
  large: { lanes: [9, 12], backOffice: [2, 3], handhelds: [4, 6], cameras: [4, 8] },
};

function regionHours(region: Region, rand: Random): (weekday: number) => readonly [number, number] | null {
  if (region.key === 'us') {
    const [open, close] = rand.pick([[9, 21], [10, 21], [9, 20]] as const);
    const sunday = rand.pick([[11, 18], [12, 18], [10, 19]] as const);
    return (weekday) => (weekday === 0 ? sunday : [open, close]);
  }
  if (region.key === 'au') {
    const close = rand.pick([17.5, 18]);
    return (weekday) => (weekday === 0 ? [10, 16] : weekday === 6 ? [9, 17] : weekday === 4 ? [9, 21] : [9, close]);
  }
  const [open, close] = rand.pick([[10, 22], [9.5, 21.5], [10, 21]] as const);
  return (weekday) => (weekday === 0 ? null : [open, close]);
}

function buildShop(rand: Random, region: Region, index: number, storeNumber: number, city: string, zone: Zone, stockCountWeekday: number, preferredDc: number, add: AddHost): Shop {
  const code = `s${String(storeNumber).padStart(4, '0')}`;
  const upper = code.toUpperCase();
  const net = `10.100.${index}`;
  const size = rand.weighted<ShopSize>([['small', 0.45], ['medium', 0.4], ['large', 0.15]]);
  const counts = SIZE_COUNTS[size];
  const hours = regionHours(region, rand);
  // The SD-WAN template sets the flow cache to an hour's active timeout (to keep export traffic off the shop's line) and a minute's inactive one.
  const exporter: Exporter = { name: `${code}-rtr01`, ip: `10.99.0.${index}`, activeMs: 3600_000, inactiveMs: 60_000, skewMs: rand.int(-3, 3) };
  const shop: Shop = {
    index,
    number: storeNumber,
    code,
    city,
    zone,
    site: undefined as unknown as Site,
    net,
    size,
    busyness: rand.logNormal(1, 0.3),
    publicIp: publicAddress(rand, region.ispOctets),
    wanLatencyMs: rand.int(6, 38),
    stockCountWeekday,
    preferredDc,
    exporter,
    router: undefined as unknown as Host,
    switch: undefined as unknown as Host,
    storeServers: [],
    nvr: null,
    lanes: [],
    backOffice: [],
    handhelds: [],
    labelPrinter: undefined as unknown as Host,
    signage: undefined as unknown as Host,
    cameras: [],
    hours,
  };
  const site: Site = { code, name: `${upper} ${city}`, zone, shop };
  (shop as { site: Site }).site = site;

  const device = (name: string, ip: string, prefix: number, group: string, role: string, vlan: number, os: Os, labels: Labels | null, listing: Listing = labels === null ? null : 'device'): Host =>
    add({ name, ip, prefix, group, role, site, vlan, os, listing, labels });
  const shopLabels = (application: string, cmdbRole: string, tenant: string, platform: string, manufacturer: string, model: string, location: string, tags: string[]): Labels => ({
    application,
    environment: 'Production',
    role: cmdbRole,
    tenant,
    platform,
    cluster: '',
    manufacturer,
    model,
    location,
    rack: '',
    tags,
  });

  shop.router = device(`${upper}-RTR01`, exporter.ip, 32, 'shop|router', 'shop-router', 0, 'appliance', shopLabels('Store Network', 'WAN Router', 'Network', 'Cisco IOS-XE', 'Cisco', 'ISR1111-8P', 'Comms cabinet', ['sd-wan']));
  shop.switch = device(`${upper}-SW01`, `${net}.2`, 28, 'shop|switch', 'shop-switch', 10, 'appliance', shopLabels('Store Network', 'Access Switch', 'Network', 'Cisco IOS', 'Cisco', 'C1000-24P-4G-L', 'Comms cabinet', []));
  shop.storeServers.push(
    device(`${upper}-SRV01`, `${net}.20`, 28, 'shop|store-server', 'store-server', 20, 'windows', shopLabels('Store Operations', 'Store Server', 'Store Systems', 'Windows Server 2019', 'Dell', 'PowerEdge T350', 'Back office', ['windows', 'pci'])),
  );
  const lanes = rand.int(...counts.lanes);
  for (let i = 1; i <= lanes; i++) addLane(shop, i, 40 + i, -Infinity, add);
  const backOffice = rand.int(...counts.backOffice);
  for (let i = 1; i <= backOffice; i++) shop.backOffice.push(device(`${upper}-BO${String(i).padStart(2, '0')}`, `${net}.${69 + i + rand.int(0, 3) * 3}`, 27, 'shop|backoffice', 'backoffice', 40, 'windows', null));
  const handhelds = rand.int(...counts.handhelds);
  const handheldIps = rand.sample(Array.from({ length: 27 }, (_, i) => 100 + i), handhelds).sort((a, b) => a - b);
  for (let i = 0; i < handhelds; i++) shop.handhelds.push(device(`${upper}-HH${String(i + 1).padStart(2, '0')}`, `${net}.${handheldIps[i]!}`, 27, 'shop|handheld', 'handheld', 50, 'appliance', null));
  shop.labelPrinter = device(`${upper}-PRN01`, `${net}.130`, 27, 'shop|label-printer', 'label-printer', 60, 'appliance', null);
  shop.signage = device(`${upper}-SIGN01`, `${net}.131`, 27, 'shop|signage-player', 'signage-player', 60, 'appliance', null);
  // CCTV came with the refits: some shops record to their own NVR, the others have none yet.
  if (rand.chance(size === 'large' ? 0.7 : 0.3)) {
    shop.nvr = device(`${upper}-NVR01`, `${net}.22`, 28, 'shop|nvr', 'nvr', 20, 'appliance', shopLabels('CCTV', 'NVR', 'Loss Prevention', '', 'Hikvision', 'DS-7616NI-K2', 'Back office', []));
    const cameras = rand.int(...counts.cameras);
    for (let i = 1; i <= cameras; i++) shop.cameras.push(device(`${upper}-CAM${String(i).padStart(2, '0')}`, `${net}.${169 + i}`, 27, 'shop|camera', 'camera', 70, 'appliance', null));
  }
  return shop;
}

function addLane(shop: Shop, number: number, hostNumber: number, from: number, add: AddHost): Host {
  const lane = add({
    name: `${shop.code.toUpperCase()}-POS${String(number).padStart(2, '0')}`,
    ip: `${shop.net}.${hostNumber}`,
    prefix: 27,
    group: 'shop|pos-lane',
    role: 'pos-lane',
    site: shop.site,
    vlan: 30,
    os: 'linux',
    listing: null,
    labels: null,
    from,
  });
  shop.lanes.push(lane);
  return lane;
}

/** The next free address in the lanes' block. */
function laneHostNumber(shop: Shop): number {
  const used = new Set(shop.lanes.map((lane) => Number(lane.ip.split('.')[3])));
  let n = 41;
  while (used.has(n)) n++;
  return n;
}

function replaceStoreServer(rand: Random, shop: Shop, add: AddHost): void {
  const old = shop.storeServers[0]!;
  // Died some time in the first two and a half days; the spare was built and shipped, up a few hours later.
  const diedAt = CAPTURE_START + rand.int(6 * 60, 58 * 60) * MINUTE;
  const upAt = diedAt + rand.int(150, 420) * MINUTE;
  old.to = diedAt;
  old.status = 'Decommissioning';
  shop.storeServers.push(add({ ...old, name: old.name.replace('SRV01', 'SRV02'), ip: `${shop.net}.21`, from: upAt, to: Infinity, status: 'Active' }));
}

function replaceLane(rand: Random, shop: Shop, add: AddHost): void {
  const old = rand.pick(shop.lanes.filter((lane) => lane.from === -Infinity));
  // Swapped before opening on the second or third local morning.
  const day = localDay(CAPTURE_START, shop.zone) + rand.int(1, 2);
  const at = atLocal(day, 7 + rand.real(0, 1.5), shop.zone);
  old.to = at;
  old.status = 'Offline';
  shop.lanes.push(add({ ...old, ip: `${shop.net}.${60 + rand.int(0, 8)}`, from: at + rand.int(10, 40) * MINUTE, to: Infinity, status: 'Active' }));
}

/** The first opening instant of a shop at or after `ms`. */
export function openingOnOrAfter(shop: Shop, ms: number): number {
  for (let day = localDay(ms, shop.zone); day < localDay(ms, shop.zone) + 8; day++) {
    const hours = shop.hours(localWeekday(day * DAY + 12 * HOUR - shop.zone.offsetMinutes * MINUTE, shop.zone));
    if (hours === null) continue;
    const open = atLocal(day, hours[0], shop.zone);
    if (open >= ms) return open;
  }
  return ms;
}
