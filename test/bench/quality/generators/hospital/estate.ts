// The hospital group's estate: a main hospital with the data centre on its
// campus and 3–5 outlying clinics over the WAN, every device with its
// addresses over time, its ground-truth group and what an asset register
// would say about it.
//
// Address plan (a hospital's, not a textbook's): 10.10.0.0/16 is the data
// centre, one /24 per server VLAN; 10.20.0.0/16 the main hospital's wards
// and 10.31–35.0.0/16 the clinics, the third octet naming the department or
// device VLAN the same way at every site (10 ED, 20 radiology, 30 lab, 40
// admin/billing, 50 nursing, 60 IT, 100 modalities, 110 infusion pumps, 111
// patient monitors, 120 printers, 130 voice, 140 access control, 255
// network management). Within a VLAN an address always holds the same kind
// of device; workstations, phones, pumps and monitors take theirs from DHCP
// (the router's .1 relays for them) and a workstation may come back from a
// long power-off with a new one.
import type { Rand } from './random';

export type Dept = 'ed' | 'radiology' | 'lab' | 'admin' | 'nursing' | 'it';
export const DEPTS: readonly Dept[] = ['ed', 'radiology', 'lab', 'admin', 'nursing', 'it'];
const DEPT_VLAN: Record<Dept, number> = { ed: 10, radiology: 20, lab: 30, admin: 40, nursing: 50, it: 60 };
export const DEPT_NAME: Record<Dept, string> = {
  ed: 'Emergency Department',
  radiology: 'Radiology',
  lab: 'Laboratory',
  admin: 'Patient Accounts / Billing',
  nursing: 'Nursing',
  it: 'IT Services',
};
const DEPT_CODE: Record<Dept, string> = { ed: 'ED', radiology: 'RAD', lab: 'LAB', admin: 'BIL', nursing: 'NUR', it: 'IT' };

export type Kind = 'server' | 'netdev' | 'gateway' | 'workstation' | 'modality' | 'pump' | 'monitor' | 'printer' | 'phone' | 'badge' | 'vpn' | 'outside';

export interface Site {
  readonly id: string;
  readonly name: string;
  /** Hostname prefix. */
  readonly code: string;
  readonly kind: 'dc' | 'hospital' | 'clinic' | 'remote' | 'internet';
  readonly octet: number;
  /** Local opening hours of a clinic [open, close); the hospital and the data centre never close. */
  readonly open: number;
  readonly close: number;
  /** Clinic workstations that print straight to the printer down the corridor (invisible to the sensor) rather than through the print server. */
  readonly printsDirect: boolean;
  /** The 802.1Q tag the data-centre SPAN sees on packets arriving from this site. */
  readonly transitVlan: number;
}

/** An address held over [from, to) hours of the capture. */
export interface Lease {
  readonly ip: string;
  readonly from: number;
  readonly to: number;
}

export interface RegisterEntry {
  /** Which list the device would be in: the IT CMDB or biomedical engineering's asset list; null: neither. */
  readonly list: 'cmdb' | 'biomed' | null;
  readonly cls: string;
  readonly env: string;
  readonly app: string;
  readonly role: string;
  readonly dept: string;
  readonly owner: string;
  readonly manufacturer: string;
  readonly model: string;
}

export interface Device {
  readonly name: string;
  readonly site: Site;
  /** VLAN tag of its own segment (data-centre hosts; others are seen on their site's transit tag). */
  readonly vlan: number;
  readonly kind: Kind;
  /** Ground-truth group; null for the outside world. */
  readonly truth: string | null;
  readonly role: string;
  readonly dept: Dept | null;
  readonly windows: boolean;
  readonly leases: Lease[];
  /** Serves something to someone (scored by ARI over servers). */
  readonly server: boolean;
  readonly register: RegisterEntry;
}

export interface Estate {
  readonly hours: number;
  readonly org: string;
  readonly dcSite: Site;
  readonly main: Site;
  readonly clinics: readonly Site[];
  readonly remote: Site;
  readonly internet: Site;
  readonly devices: Device[];
  /** Named data-centre roles (one device each, or a tier). */
  readonly role: (role: string) => Device[];
  readonly one: (role: string) => Device;
  readonly workstations: (dept?: Dept) => Device[];
  readonly atSite: (site: Site, kind?: Kind) => Device[];
  readonly gatewayOf: (site: Site, vlanOctet: number) => Device | undefined;
  /** Public addresses by purpose. */
  readonly publicHosts: (purpose: string) => Device[];
  /** A modality first switched on in the replay day (legitimate drift). */
  readonly newModality: Device;
  /** The VPN pool addresses handed to remote clinicians. */
  readonly vpnPool: Device[];
  /** Backup product and its agent port (by seed). */
  readonly backup: { readonly product: string; readonly port: number };
  /** Proxy port (3128 Squid or 8080) by seed. */
  readonly proxyPort: number;
  /** The DC's fixed RPC endpoints (NETLOGON/LSASS listen on one high port each per boot). */
  readonly dcRpcPort: number;
  readonly allocate: (site: Site, vlanOctet: number, low: number, high: number) => string;
}

const CLINICS: readonly (readonly [name: string, code: string])[] = [
  ['Northfield', 'NF'],
  ['Riverside', 'RS'],
  ['Ashby', 'AB'],
  ['Millbrook', 'MB'],
  ['Eastgate', 'EG'],
  ['Hollins Green', 'HG'],
  ['Westmoor', 'WM'],
  ['Kingsbridge', 'KB'],
  ['Oakhurst', 'OH'],
];
const ORGS = ['SMH', 'RGH', 'NVH', 'WCH', 'BRH'];

const NO_REGISTER: RegisterEntry = { list: null, cls: '', env: '', app: '', role: '', dept: '', owner: '', manufacturer: '', model: '' };

function register(list: 'cmdb' | 'biomed', fields: Partial<RegisterEntry>): RegisterEntry {
  return { ...NO_REGISTER, list, ...fields };
}

export function buildEstate(rand: Rand, hours: number, backupChoice: { product: string; port: number }): Estate {
  const org = rand.pick(ORGS);
  const used = new Set<string>();
  const devices: Device[] = [];
  const allocate = (site: Site, vlanOctet: number, low: number, high: number): string => {
    for (let tries = 0; tries < 10_000; tries++) {
      const ip = `10.${site.octet}.${vlanOctet}.${rand.int(low, high)}`;
      if (!used.has(ip)) {
        used.add(ip);
        return ip;
      }
    }
    throw new Error(`hospital: VLAN 10.${site.octet}.${vlanOctet}.0/24 is full`);
  };
  const fixed = (ip: string): string => {
    if (used.has(ip)) throw new Error(`hospital: ${ip} given twice`);
    used.add(ip);
    return ip;
  };
  const add = (device: Device): Device => {
    devices.push(device);
    return device;
  };

  const dcSite: Site = { id: 'dc', name: 'Data Centre', code: org, kind: 'dc', octet: 10, open: 0, close: 24, printsDirect: false, transitVlan: 0 };
  const main: Site = { id: 'main', name: 'Main Hospital', code: 'MH', kind: 'hospital', octet: 20, open: 0, close: 24, printsDirect: false, transitVlan: 901 };
  const clinicCount = rand.int(3, 5);
  const names = rand.shuffle(CLINICS).slice(0, clinicCount);
  const clinics: Site[] = names.map(([name, code], i) => ({
    id: `clinic${i + 1}`,
    name: `${name} Clinic`,
    code,
    kind: 'clinic',
    octet: 31 + i,
    open: rand.pick([7, 8, 8]),
    close: rand.pick([18, 18, 19]),
    printsDirect: rand.chance(0.5),
    transitVlan: 900,
  }));
  // One clinic is an urgent-care centre: an ED desk and longer hours.
  const urgent = rand.pick(clinics);
  const urgentCare = (site: Site): boolean => site === urgent;
  const remote: Site = { id: 'vpn', name: 'Remote access', code: 'VPN', kind: 'remote', octet: 250, open: 0, close: 24, printsDirect: false, transitVlan: 902 };
  const internet: Site = { id: 'internet', name: 'Internet', code: '', kind: 'internet', octet: 0, open: 0, close: 24, printsDirect: false, transitVlan: 903 };
  const clinicsWithHours = clinics.map((site) => (urgentCare(site) ? { ...site, open: 7, close: 22 } : site));

  // ---- Data centre -------------------------------------------------------
  const dcVlan = (octet: number): number => 100 + octet;
  const server = (name: string, ip: string, truth: string, role: string, windows: boolean, reg: Partial<RegisterEntry>): Device =>
    add({
      name,
      site: dcSite,
      vlan: dcVlan(Number(ip.split('.')[2])),
      kind: 'server',
      truth,
      role,
      dept: null,
      windows,
      leases: [{ ip: fixed(ip), from: 0, to: hours }],
      server: true,
      register: register('cmdb', { cls: windows ? 'Windows Server' : 'Linux Server', env: 'Production', dept: 'IT Services', owner: 'Infrastructure', ...reg }),
    });
  const infra = (app: string, role: string): Partial<RegisterEntry> => ({ app, role });
  const lower = org.toLowerCase();

  server(`${org}DC01`, '10.10.10.11', 'dc|ad', 'dc', true, infra('Active Directory', 'Domain Controller'));
  server(`${org}DC02`, '10.10.10.12', 'dc|ad', 'dc', true, infra('Active Directory', 'Domain Controller'));
  server(`${org}DHCP01`, '10.10.10.15', 'dc|dhcp', 'dhcp', true, infra('DHCP', 'DHCP Server'));
  server(`${org}WSUS01`, '10.10.10.20', 'dc|wsus', 'wsus', true, infra('Patch Management', 'WSUS'));
  server(`${org}SCCM01`, '10.10.10.21', 'dc|sccm', 'sccm', true, infra('Endpoint Management', 'Site Server'));
  server(`${org}FS01`, '10.10.10.30', 'dc|file', 'file', true, infra('File Services', 'File Server'));
  server(`${org}FS02`, '10.10.10.31', 'dc|file', 'file', true, infra('File Services', 'File Server'));
  server(`${org}PRT01`, '10.10.10.35', 'dc|print', 'print', true, infra('Print Services', 'Print Server'));
  server(`${org}BKP01`, '10.10.10.40', 'dc|backup', 'backup', true, infra('Backup', `${backupChoice.product} Media Server`));
  server(`${org}MON01`, '10.10.10.45', 'dc|monitoring', 'monitoring', true, infra('Infrastructure Monitoring', 'Monitoring Server'));
  server(`${lower}syslog01`, '10.10.10.46', 'dc|syslog', 'syslog', false, infra('Log Collection', 'Syslog Collector'));
  const proxies = rand.int(1, 2);
  for (let i = 1; i <= proxies; i++) server(`${lower}proxy0${i}`, `10.10.10.${49 + i}`, 'dc|proxy', 'proxy', false, infra('Web Proxy', 'Forward Proxy'));
  server(`${org}JMP01`, '10.10.50.11', 'dc|jump', 'jump', true, infra('Privileged Access', 'Jump Host'));
  server(`${org}JMP02`, '10.10.50.12', 'dc|jump', 'jump', true, infra('Privileged Access', 'Jump Host'));
  server(`${lower}vpn01-inside`, '10.10.5.10', 'dc|vpn', 'vpn', false, { cls: 'Network Appliance', app: 'Remote Access VPN', role: 'VPN Concentrator', owner: 'Network' });
  server(`${org}ACS01`, '10.10.40.60', 'dc|access', 'access', true, { app: 'Access Control', role: 'Door Access Server', owner: 'Facilities / Security' });
  server(`${lower}cucm01`, '10.10.45.11', 'dc|voice', 'callmanager', false, { cls: 'Appliance', app: 'Unified Communications', role: 'Call Manager Publisher', owner: 'Telecoms' });
  server(`${lower}cucm02`, '10.10.45.12', 'dc|voice', 'callmanager', false, { cls: 'Appliance', app: 'Unified Communications', role: 'Call Manager Subscriber', owner: 'Telecoms' });
  server(`${lower}-vgw01`, '10.10.45.20', 'dc|voice-gw', 'voicegw', false, { cls: 'Router', app: 'Unified Communications', role: 'PSTN Voice Gateway', owner: 'Telecoms' });

  // EHR production: web tier behind DNS round-robin, app tier, an AlwaysOn pair and its listener address.
  const ehr = (env: 'PRD' | 'TST'): Partial<RegisterEntry> => ({ env: env === 'PRD' ? 'Production' : 'Test', app: 'EHR', owner: 'Clinical Applications' });
  const webCount = rand.int(2, 4);
  const appCount = rand.int(2, 4);
  for (let i = 1; i <= webCount; i++) server(`EHRPRDWEB0${i}`, `10.10.20.${10 + i}`, 'prod|ehr|web', 'ehr-web', true, { ...ehr('PRD'), role: 'Web Server' });
  for (let i = 1; i <= appCount; i++) server(`EHRPRDAPP0${i}`, `10.10.21.${10 + i}`, 'prod|ehr|app', 'ehr-app', true, { ...ehr('PRD'), role: 'Application Server' });
  server('EHRPRDSQL01', '10.10.22.11', 'prod|ehr|db', 'ehr-db-primary', true, { ...ehr('PRD'), role: 'Database Server (AG primary)' });
  server('EHRPRDSQL02', '10.10.22.12', 'prod|ehr|db', 'ehr-db-secondary', true, { ...ehr('PRD'), role: 'Database Server (AG secondary)' });
  server('EHRPRD-AGL', '10.10.22.20', 'prod|ehr|db', 'ehr-db-listener', true, { ...ehr('PRD'), cls: 'SQL AG Listener', role: 'Database Listener' });
  server('EHRTSTWEB01', '10.10.30.11', 'test|ehr|web', 'ehr-test-web', true, { ...ehr('TST'), role: 'Web Server' });
  server('EHRTSTAPP01', '10.10.30.21', 'test|ehr|app', 'ehr-test-app', true, { ...ehr('TST'), role: 'Application Server' });
  server('EHRTSTSQL01', '10.10.30.31', 'test|ehr|db', 'ehr-test-db', true, { ...ehr('TST'), role: 'Database Server' });

  // Imaging, results and device back ends.
  const pacsCores = rand.int(1, 2);
  for (let i = 1; i <= pacsCores; i++) server(`${lower}pacs0${i}`, `10.10.40.${10 + i}`, 'dc|pacs', 'pacs-core', false, { app: 'PACS', role: 'DICOM Archive', owner: 'Clinical Applications' });
  const viewers = rand.int(1, 2);
  for (let i = 1; i <= viewers; i++) server(`${org}PACSWEB0${i}`, `10.10.40.${14 + i}`, 'dc|pacs-web', 'pacs-web', true, { app: 'PACS', role: 'Web Viewer', owner: 'Clinical Applications' });
  server(`${lower}pacsnas01`, '10.10.40.20', 'dc|pacs-storage', 'pacs-storage', false, { cls: 'Storage Array', app: 'PACS', role: 'Image Storage', owner: 'Infrastructure' });
  server(`${org}HL701`, '10.10.40.30', 'dc|hl7', 'hl7', true, { app: 'Integration Engine', role: 'HL7 Interface Engine', owner: 'Integration Team' });
  server(`${org}LIS01`, '10.10.40.35', 'dc|lis', 'lis', true, { app: 'Laboratory Information System', role: 'Application Server', owner: 'Clinical Applications' });
  server(`${org}RIS01`, '10.10.40.38', 'dc|ris', 'ris', true, { app: 'Radiology Information System', role: 'Application Server', owner: 'Clinical Applications' });
  server(`${org}PUMPGW01`, '10.10.40.50', 'dc|pump-gw', 'pump-gw', true, { app: 'Infusion Management', role: 'Pump Gateway', owner: 'Biomedical Engineering' });
  server(`${org}PMGW01`, '10.10.40.55', 'dc|monitor-gw', 'monitor-gw', true, { app: 'Patient Monitoring', role: 'Central Station Gateway', owner: 'Biomedical Engineering' });

  // Network devices (polled, sending syslog), at the data centre and at every site.
  const netdev = (name: string, site: Site, ip: string, model: string): Device =>
    add({
      name,
      site,
      vlan: site === dcSite ? 101 : site.transitVlan,
      kind: 'netdev',
      truth: 'net|device',
      role: 'netdev',
      dept: null,
      windows: false,
      leases: [{ ip: fixed(ip), from: 0, to: hours }],
      server: true,
      register: register('cmdb', { cls: 'Network Device', env: 'Production', app: 'Network', role: model, dept: 'IT Services', owner: 'Network' }),
    });
  netdev(`${lower}-core-sw01`, dcSite, '10.10.1.1', 'Core Switch');
  netdev(`${lower}-core-sw02`, dcSite, '10.10.1.2', 'Core Switch');
  netdev(`${lower}-wan-rtr01`, dcSite, '10.10.1.5', 'WAN Router');
  netdev(`${lower}-fw01`, dcSite, '10.10.1.8', 'Internal Firewall');
  const mainDist = rand.int(2, 3);
  for (let i = 1; i <= mainDist; i++) netdev(`mh-dist-sw0${i}`, main, `10.20.255.${i}`, 'Distribution Switch');
  for (const site of clinicsWithHours) {
    netdev(`${site.code.toLowerCase()}-rtr01`, site, `10.${site.octet}.255.1`, 'Branch Router');
    netdev(`${site.code.toLowerCase()}-sw01`, site, `10.${site.octet}.255.2`, 'Access Switch');
  }

  // ---- Sites: people, devices --------------------------------------------
  const gateways = new Map<string, Device>();
  const gateway = (site: Site, octet: number): void => {
    const key = `${site.id}|${octet}`;
    if (gateways.has(key)) return;
    gateways.set(
      key,
      add({
        name: `${site.code.toLowerCase()}-vlan${octet}-gw`,
        site,
        vlan: site.transitVlan,
        kind: 'gateway',
        truth: 'net|gateway',
        role: 'gateway',
        dept: null,
        windows: false,
        leases: [{ ip: fixed(`10.${site.octet}.${octet}.1`), from: 0, to: hours }],
        server: false,
        register: NO_REGISTER,
      }),
    );
  };
  const siteDevice = (site: Site, octet: number, spec: { name: string; kind: Kind; truth: string; role: string; dept: Dept | null; windows: boolean; server: boolean; dhcp: boolean; register: RegisterEntry; from?: number }): Device => {
    if (spec.dhcp) gateway(site, octet);
    const ip = spec.dhcp ? allocate(site, octet, 20, 240) : allocate(site, octet, 10, 19 + 40);
    return add({ name: spec.name, site, vlan: site.transitVlan, kind: spec.kind, truth: spec.truth, role: spec.role, dept: spec.dept, windows: spec.windows, leases: [{ ip, from: spec.from ?? 0, to: hours }], server: spec.server, register: spec.register });
  };

  const count = (site: Site, dept: Dept): number => {
    if (site === main) return { ed: rand.int(10, 16), radiology: rand.int(6, 10), lab: rand.int(6, 10), admin: rand.int(8, 14), nursing: rand.int(16, 26), it: rand.int(4, 6) }[dept];
    switch (dept) {
      case 'ed':
        return urgentCare(site) ? rand.int(3, 5) : 0;
      case 'radiology':
        return rand.chance(0.5) ? rand.int(1, 3) : 0;
      case 'lab':
        return rand.chance(0.7) ? rand.int(1, 2) : 0;
      case 'admin':
        return rand.int(2, 4);
      case 'nursing':
        return rand.int(4, 8);
      case 'it':
        return 0;
    }
  };
  const sites = [main, ...clinicsWithHours];
  for (const site of sites) {
    for (const dept of DEPTS) {
      const n = count(site, dept);
      for (let i = 1; i <= n; i++) {
        siteDevice(site, DEPT_VLAN[dept], {
          name: `${site.code}-${DEPT_CODE[dept]}-${String(i).padStart(3, '0')}`,
          kind: 'workstation',
          truth: `clinic|ws-${dept}`,
          role: `ws-${dept}`,
          dept,
          windows: true,
          // Radiology reading stations receive studies pushed by the PACS (DICOM C-STORE to the workstation).
          server: dept === 'radiology',
          dhcp: true,
          register: register('cmdb', { cls: 'Workstation', app: dept === 'radiology' ? 'PACS' : '', role: dept === 'radiology' ? 'Reading Workstation' : dept === 'admin' || dept === 'it' ? 'Office Workstation' : 'Clinical Workstation', dept: DEPT_NAME[dept], owner: 'Service Desk' }),
        });
      }
      if (n > 0 && dept !== 'it') {
        const p = site === main ? rand.int(1, 2) : 1;
        for (let i = 1; i <= p; i++) {
          siteDevice(site, 120, {
            name: `${site.code}-${DEPT_CODE[dept]}-PRN${String(i).padStart(2, '0')}`,
            kind: 'printer',
            truth: 'clinic|printer',
            role: 'printer',
            dept,
            windows: false,
            server: true,
            dhcp: false,
            register: register('cmdb', { cls: 'Printer', app: 'Print Services', role: 'Network Printer', dept: DEPT_NAME[dept], owner: 'Service Desk', manufacturer: rand.pick(['HP', 'Lexmark', 'Ricoh', 'Zebra']) }),
          });
        }
      }
    }

    // Modalities: the main hospital's imaging department, and an ultrasound or X-ray room in some clinics.
    const modalities: [string, string, string][] = site === main ? [['CT', 'Siemens Healthineers', 'SOMATOM go.Up'], ['MR', 'Philips', 'Ingenia 1.5T'], ...Array.from({ length: rand.int(2, 3) }, (): [string, string, string] => ['US', 'GE HealthCare', 'LOGIQ E10']), ...Array.from({ length: rand.int(2, 3) }, (): [string, string, string] => ['DX', 'Canon Medical', 'CXDI-710C'])] : rand.chance(0.6) ? [rand.pick<[string, string, string]>([['US', 'GE HealthCare', 'LOGIQ E10'], ['DX', 'Canon Medical', 'CXDI-710C']])] : [];
    if (site === main && rand.chance(0.5)) modalities.splice(1, 0, ['CT', 'Siemens Healthineers', 'SOMATOM go.Up']);
    modalities.forEach(([type, maker, model], i) =>
      siteDevice(site, 100, {
        name: `${site.code}-${type}${String(i + 1).padStart(2, '0')}`,
        kind: 'modality',
        truth: 'clinic|modality',
        role: `modality-${type.toLowerCase()}`,
        dept: 'radiology',
        windows: true,
        server: true,
        dhcp: false,
        register: register('biomed', { cls: type === 'CT' ? 'CT Scanner' : type === 'MR' ? 'MRI Scanner' : type === 'US' ? 'Ultrasound' : 'Digital X-Ray', manufacturer: maker, model, dept: site === main ? 'Radiology' : site.name }),
      }),
    );

    // Infusion pumps and patient monitors on the wireless biomed VLANs.
    const pumps = site === main ? rand.int(20, 32) : rand.int(2, 6);
    const pumpWard = (): string => (site === main ? rand.pick(['ICU', 'Ward 3B', 'Ward 4A', 'Theatres', 'ED']) : site.name);
    for (let i = 1; i <= pumps; i++) {
      siteDevice(site, 110, {
        name: `PMP-${site.code}${String(rand.int(1000, 9999))}`,
        kind: 'pump',
        truth: 'clinic|pump',
        role: 'pump',
        dept: null,
        windows: false,
        server: false,
        dhcp: true,
        register: register('biomed', { cls: 'Infusion Pump', manufacturer: 'BD', model: 'Alaris 8015 PC Unit', dept: pumpWard() }),
      });
    }
    const monitors = site === main ? rand.int(10, 18) : urgentCare(site) ? rand.int(2, 4) : 0;
    for (let i = 1; i <= monitors; i++) {
      siteDevice(site, 111, {
        name: `MON-${site.code}-${String(i).padStart(2, '0')}`,
        kind: 'monitor',
        truth: 'clinic|monitor',
        role: 'monitor',
        dept: null,
        windows: false,
        server: false,
        dhcp: true,
        register: register('biomed', { cls: 'Patient Monitor', manufacturer: 'Philips', model: 'IntelliVue MX450', dept: site === main ? rand.pick(['ICU', 'ED', 'Ward 3B']) : site.name }),
      });
    }

    // Phones (named as the call manager names them: SEP + MAC) and door controllers.
    const phones = site === main ? rand.int(30, 44) : rand.int(6, 12);
    for (let i = 1; i <= phones; i++) {
      siteDevice(site, 130, { name: `SEP${rand.int(0, 0xffffff).toString(16).toUpperCase().padStart(6, '0')}${rand.int(0, 0xffffff).toString(16).toUpperCase().padStart(6, '0')}`, kind: 'phone', truth: 'clinic|phone', role: 'phone', dept: null, windows: false, server: true, dhcp: true, register: NO_REGISTER });
    }
    const readers = site === main ? rand.int(8, 12) : rand.int(2, 3);
    for (let i = 1; i <= readers; i++) {
      siteDevice(site, 140, { name: `${site.code}-DOOR-${String(i).padStart(2, '0')}`, kind: 'badge', truth: 'clinic|badge', role: 'badge', dept: null, windows: false, server: false, dhcp: false, register: NO_REGISTER });
    }
  }

  // Drift: a new ultrasound commissioned in the main hospital's imaging department on the third morning.
  const newModality = siteDevice(main, 100, {
    name: 'MH-US09',
    kind: 'modality',
    truth: 'clinic|modality',
    role: 'modality-us',
    dept: 'radiology',
    windows: true,
    server: true,
    dhcp: false,
    register: register('biomed', { cls: 'Ultrasound', manufacturer: 'GE HealthCare', model: 'Venue Family', dept: 'Radiology' }),
    from: 48 + rand.int(8, 11),
  });

  // Remote clinicians: the VPN concentrator hands out pool addresses per session (traffic.ts draws them).
  const vpnPool: Device[] = [];
  for (let i = 0; i < 24; i++) {
    vpnPool.push(add({ name: `vpn-pool-${i}`, site: remote, vlan: remote.transitVlan, kind: 'vpn', truth: 'remote|vpn-client', role: 'vpn-client', dept: null, windows: true, leases: [{ ip: fixed(`10.250.10.${20 + i}`), from: 0, to: hours }], server: false, register: NO_REGISTER }));
  }

  // ---- The outside world -------------------------------------------------
  const publicByPurpose = new Map<string, Device[]>();
  const publicAddress = (firsts: readonly number[]): string => {
    for (;;) {
      const ip = `${rand.pick(firsts)}.${rand.int(1, 254)}.${rand.int(0, 255)}.${rand.int(1, 254)}`;
      if (!used.has(ip)) {
        used.add(ip);
        return ip;
      }
    }
  };
  const outside = (purpose: string, n: number, firsts: readonly number[]): void => {
    const list = Array.from({ length: n }, (_, i) => add({ name: `${purpose}-${i}`, site: internet, vlan: internet.transitVlan, kind: 'outside', truth: null, role: purpose, dept: null, windows: false, leases: [{ ip: publicAddress(firsts), from: 0, to: hours }], server: false, register: NO_REGISTER }));
    publicByPurpose.set(purpose, list);
  };
  outside('web', rand.int(50, 70), [13, 20, 23, 34, 35, 40, 52, 104, 142, 151, 157, 185, 199, 204]);
  outside('microsoft', 4, [13, 20, 40]);
  outside('ehr-vendor', rand.int(2, 3), [64, 198, 205]);
  outside('dns-forwarder', 2, [9, 149, 208]);
  outside('ntp', 2, [129, 132, 162]);
  outside('eprescribing', 1, [63, 216]);

  const byRole = new Map<string, Device[]>();
  for (const device of devices) {
    const list = byRole.get(device.role) ?? [];
    list.push(device);
    byRole.set(device.role, list);
  }
  const role = (name: string): Device[] => byRole.get(name) ?? [];
  return {
    hours,
    org,
    dcSite,
    main,
    clinics: clinicsWithHours,
    remote,
    internet,
    devices,
    role,
    one: (name) => {
      const list = role(name);
      if (list.length === 0) throw new Error(`hospital: no ${name}`);
      return list[0]!;
    },
    workstations: (dept) => devices.filter((d) => d.kind === 'workstation' && (dept === undefined || d.dept === dept)),
    atSite: (site, kind) => devices.filter((d) => d.site === site && (kind === undefined || d.kind === kind)),
    gatewayOf: (site, octet) => gateways.get(`${site.id}|${octet}`),
    publicHosts: (purpose) => publicByPurpose.get(purpose) ?? [],
    newModality,
    vpnPool,
    backup: backupChoice,
    proxyPort: rand.chance(0.5) ? 3128 : 8080,
    dcRpcPort: rand.int(49664, 49690),
    allocate,
  };
}

/** The device's address at an hour of the capture, or undefined when it has none then. */
export function ipAt(device: Device, hour: number): string | undefined {
  for (const lease of device.leases) if (hour >= lease.from && hour < lease.to) return lease.ip;
  return undefined;
}

/** Give a DHCP device a new address from `hour` on (back from a long power-off after its lease expired). */
export function moveAddress(estate: Estate, device: Device, hour: number): string {
  const last = device.leases[device.leases.length - 1]!;
  const octet = Number(last.ip.split('.')[2]);
  const ip = estate.allocate(device.site, octet, 20, 240);
  device.leases[device.leases.length - 1] = { ...last, to: hour };
  device.leases.push({ ip, from: hour, to: estate.hours });
  return ip;
}

/** Can the sensor at the data-centre core see traffic between these two? Not when it stays inside one site. */
export function visible(a: Device, b: Device): boolean {
  return !(a.site === b.site && a.site.kind !== 'dc');
}
