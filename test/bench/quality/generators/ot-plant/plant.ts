// The plant, level by level (Purdue model):
// - enterprise DMZ (level 3.5): the historian's mirror, a WSUS server, the
//   antivirus server and two remote-access jump hosts, behind the IT/OT
//   firewall;
// - site operations (level 3): two domain controllers (also DNS), an NTP
//   appliance, a primary and a hot-standby SCADA server (both poll every
//   PLC), the process historian, 2–4 engineering workstations, an OPC UA
//   server, a syslog/SIEM collector (which also runs nfcapd), the UPS
//   management cards, the firewall's inside leg;
// - 3–6 production lines (levels 1–2), each of one control vendor: 4–12
//   PLCs, 2–3 operator stations (Windows PCs, or embedded panels on some
//   lines) and, where the vendor's I/O rides on IP, remote I/O adapters.
// Outside the plant: corporate business users and IT admins (10.200/16),
// the corporate WSUS upstream and DNS servers, the internet.
import { Subnet, publicAddress } from './addressing';
import { LINE_TITLES, LINUX_PORTS, VENDORS, WINDOWS_PORTS, type Family, type Vendor, type VendorKey } from './catalogue';
import type { Dice } from './random';

export type Role =
  | 'plc' | 'hmi' | 'panel' | 'io'
  | 'scada' | 'historian' | 'dc' | 'ntp' | 'ews' | 'opc' | 'siem' | 'ups' | 'firewall'
  | 'mirror' | 'wsus' | 'av' | 'jump'
  | 'business' | 'it-admin' | 'corp-wsus' | 'corp-dns' | 'internet';
export type Place = 'line' | 'site' | 'dmz' | 'corp' | 'internet';

export interface Host {
  readonly ip: string;
  readonly name: string;
  readonly role: Role;
  readonly place: Place;
  readonly line: Line | null;
  /** Ground-truth group; null for internet addresses. */
  readonly truth: string | null;
  readonly os: 'windows' | 'linux' | 'embedded';
  readonly maker: string;
  readonly model: string;
  readonly firmware: string;
  readonly mac: string;
  /** Ephemeral ports of its TCP/UDP clients. */
  readonly clientPorts: readonly [number, number];
  /** The switch whose monitored access port it hangs on ('core' or a line switch), null where no exporter watches its port. */
  readonly attach: string | null;
  /** Its port's ifIndex on that switch. */
  readonly ifIndex: number;
  /** Joined to the plant's Active Directory domain. */
  readonly domain: boolean;
}

export interface Line {
  readonly index: number;
  /** "line3": the truth groups' prefix. */
  readonly key: string;
  readonly title: string;
  readonly vendor: Vendor;
  readonly subnet: Subnet;
  /** Key of the switch (exporter) its devices hang on. */
  readonly switchKey: string;
  readonly legacyFlat: boolean;
  readonly plcs: Host[];
  readonly hmis: Host[];
  readonly io: Host[];
  /** The adapters each PLC scans (owns). */
  readonly ioOf: Map<Host, Host[]>;
  readonly panels: boolean;
  /** PROFINET devices the asset tool knows but which never speak IP in the flows. */
  readonly layer2Io: { ip: string; name: string; model: string; mac: string }[];
}

export type HistorianProduct = 'pi' | 'aveva';
export type ScadaProduct = 'ignition' | 'wincc-oa';
export type AvProduct = 'trend' | 'epo';

export interface Plant {
  readonly siteName: string;
  readonly lines: readonly Line[];
  readonly hosts: readonly Host[];
  readonly siteSubnet: Subnet;
  readonly dmzSubnet: Subnet;
  readonly mgmtPrefix: string;
  readonly historianProduct: HistorianProduct;
  readonly scadaProduct: ScadaProduct;
  readonly avProduct: AvProduct;
  readonly dcs: readonly Host[];
  /** The RPC services each domain controller registered at boot (lsass/NTDS, Netlogon): fixed dynamic ports. */
  readonly dcRpcPorts: ReadonlyMap<Host, readonly number[]>;
  readonly ntp: Host;
  readonly scada: readonly Host[];
  readonly historian: Host;
  readonly ews: readonly Host[];
  readonly opc: Host;
  readonly siem: Host;
  readonly ups: readonly Host[];
  readonly firewall: Host;
  readonly mirror: Host;
  readonly wsus: Host;
  readonly av: Host;
  readonly jumps: readonly Host[];
  readonly business: readonly Host[];
  readonly itAdmins: readonly Host[];
  readonly corpWsus: Host;
  /** The enterprise's DNS servers, the DCs' forwarders. */
  readonly corpDns: readonly Host[];
  /** Certificate revocation and connectivity-check endpoints Windows keeps trying (the firewall drops them). */
  readonly windowsEndpoints: readonly Host[];
  readonly msUpdate: readonly Host[];
  readonly avCloud: readonly Host[];
  /** Line switches by key, with the lines on each. */
  readonly switches: ReadonlyMap<string, readonly Line[]>;
  readonly usedPublic: Set<string>;
}

const SITES = ['Ravenna', 'Tilburg', 'Joliet', 'Campinas', 'Pune', 'Suzhou', 'Gdansk', 'Monterrey', 'Ostrava', 'Valence'];
const ABBR: Record<string, string> = {
  Mixing: 'MIX', Filling: 'FIL', Packaging: 'PKG', Palletizing: 'PAL', Bottling: 'BTL', Extrusion: 'EXT',
  'Press Shop': 'PRS', Batching: 'BAT', Labelling: 'LBL', Cooking: 'CKG', 'Cooling Tunnel': 'CLT', Wrapping: 'WRP',
};
/** Total PLCs the plant keeps to: a mid-size site, and a capture that stays within the harness's budget. */
const MAX_PLCS = 42;

export function buildPlant(dice: Dice): Plant {
  const hosts: Host[] = [];
  const mac = (oui: string): string => `${oui}:${dice.hex(2)}:${dice.hex(2)}:${dice.hex(2)}`;
  const ports = new Map<string, number>();
  const nextIfIndex = (switchKey: string): number => {
    // Line switches: Gi1/2… (ifIndex 2…; 1 is the uplink). Core: access ports from 1 (the firewall's inside leg among
    // them); the trunks to the line switches are 49 and up.
    const n = (ports.get(switchKey) ?? (switchKey === 'core' ? 0 : 1)) + 1;
    ports.set(switchKey, n);
    return n;
  };
  const add = (spec: Omit<Host, 'ifIndex' | 'clientPorts' | 'mac'> & { oui: string; clientPorts?: readonly [number, number] }): Host => {
    const { oui, clientPorts, ...rest } = spec;
    const host: Host = {
      ...rest,
      mac: mac(oui),
      clientPorts: clientPorts ?? (spec.os === 'windows' ? WINDOWS_PORTS : LINUX_PORTS),
      ifIndex: spec.attach === null ? 0 : nextIfIndex(spec.attach),
    };
    hosts.push(host);
    return host;
  };

  const siteName = dice.one(SITES);
  const so = dice.between(16, 63);
  const siteSubnet = new Subnet(`10.${so}.10`, dice.fork('site-subnet'));
  const dmzSubnet = new Subnet(`172.${dice.between(16, 31)}.${dice.between(20, 240)}`, dice.fork('dmz-subnet'));
  const mgmtPrefix = `10.${so}.99`;
  const flatSubnet = new Subnet('192.168.1', dice.fork('flat-subnet'));

  // Lines: vendors by seed, at least two lines on one polling protocol.
  const lineCount = dice.between(3, 6);
  const keys: VendorKey[] = ['siemens', 'rockwell', 'modicon', 'wago'];
  const shared: Family = dice.one(['modbus', 's7', 'enip'] as const);
  const ofFamily = keys.filter((key) => VENDORS[key].family === shared);
  const vendorKeys: VendorKey[] = [dice.one(ofFamily), dice.one(ofFamily)];
  while (vendorKeys.length < lineCount) vendorKeys.push(dice.one(keys));
  const order = dice.shuffled(vendorKeys);
  // The legacy flat network: two adjacent lines; half the time the two that share a protocol, when they are neighbours.
  const adjacentShared = order.flatMap((key, i) => (i + 1 < order.length && VENDORS[key].family === VENDORS[order[i + 1]!].family ? [i] : []));
  const flatAt = adjacentShared.length > 0 && dice.yes(0.5) ? dice.one(adjacentShared) : dice.between(0, lineCount - 2);
  const plcCounts = order.map(() => dice.between(4, 12));
  while (plcCounts.reduce((a, b) => a + b, 0) > MAX_PLCS) {
    const i = plcCounts.indexOf(Math.max(...plcCounts));
    plcCounts[i]!--;
  }

  const titles = dice.shuffled(LINE_TITLES);
  const lines: Line[] = [];
  const switches = new Map<string, Line[]>();
  for (let i = 0; i < lineCount; i++) {
    const index = i + 1;
    const vendor = VENDORS[order[i]!];
    const legacyFlat = i === flatAt || i === flatAt + 1;
    const subnet = legacyFlat ? flatSubnet : new Subnet(`10.${so}.${100 + 10 * index}`, dice.fork(`line${index}-subnet`));
    const switchKey = legacyFlat ? 'sw-legacy' : `sw-line${index}`;
    const line: Line = {
      index,
      key: `line${index}`,
      title: titles[i]!,
      vendor,
      subnet,
      switchKey,
      legacyFlat,
      plcs: [],
      hmis: [],
      io: [],
      ioOf: new Map(),
      panels: dice.yes(0.3),
      layer2Io: [],
    };
    lines.push(line);
    switches.set(switchKey, [...(switches.get(switchKey) ?? []), line]);
    const abbr = ABBR[line.title] ?? 'LN';
    const tiaDefault = vendor.naming === 'tia-default' && dice.yes(0.6);
    const model = dice.one(vendor.plcModels);
    const firmware = dice.one(vendor.firmware);
    for (let n = 1; n <= plcCounts[i]!; n++) {
      line.plcs.push(
        add({
          ip: subnet.take(),
          name: tiaDefault ? `PLC_${n}` : `L${index}-${abbr}-PLC${String(n).padStart(2, '0')}`,
          role: 'plc',
          place: 'line',
          line,
          truth: `${line.key}|plc`,
          os: 'embedded',
          maker: vendor.maker,
          // Most PLCs of a line are one model; a few are older or smaller ones.
          model: dice.yes(0.8) ? model : dice.one(vendor.plcModels),
          firmware: dice.yes(0.75) ? firmware : dice.one(vendor.firmware),
          oui: vendor.oui,
          clientPorts: vendor.clientPorts,
          attach: switchKey,
          domain: false,
        }),
      );
    }
    const hmiCount = dice.between(2, 3);
    for (let n = 1; n <= hmiCount; n++) {
      line.hmis.push(
        add({
          ip: subnet.take(),
          name: line.panels ? `L${index}-OP${String(n).padStart(2, '0')}` : `L${index}-HMI${String(n).padStart(2, '0')}`,
          role: line.panels ? 'panel' : 'hmi',
          place: 'line',
          line,
          truth: `${line.key}|hmi`,
          os: line.panels ? 'embedded' : 'windows',
          maker: line.panels ? vendor.maker : dice.one(['Advantech', 'Beckhoff', 'Siemens', 'Dell']),
          model: line.panels ? dice.one(vendor.panelModels) : dice.one(['Industrial Panel PC (Windows 10 IoT Enterprise LTSC)', 'OptiPlex XE4 (Windows 10 LTSC 2019)', 'IPC677E (Windows 10 IoT Enterprise)']),
          firmware: line.panels ? dice.one(['V17.0.0.3', '13.100', '12.00']) : dice.one(['10.0.17763', '10.0.19044']),
          oui: line.panels ? vendor.oui : dice.one(['00:0b:ab', '00:01:05', 'a4:bb:6d']),
          attach: switchKey,
          domain: !line.panels,
        }),
      );
    }
    if (vendor.io !== 'layer2' && dice.yes(0.65)) {
      for (const plc of line.plcs) {
        if (!dice.yes(0.5) || line.io.length >= 10) continue;
        const owned: Host[] = [];
        for (let k = dice.between(1, 3); k > 0; k--) {
          const n = line.io.length + 1;
          const adapter = add({
            ip: subnet.take(),
            name: `L${index}-${abbr}-RIO${String(n).padStart(2, '0')}`,
            role: 'io',
            place: 'line',
            line,
            truth: `${line.key}|io`,
            os: 'embedded',
            maker: vendor.ioMaker,
            model: dice.one(vendor.ioModels),
            firmware: dice.one(['5.012', '6.011', '2.001', '1.17']),
            oui: vendor.oui,
            attach: switchKey,
            domain: false,
          });
          line.io.push(adapter);
          owned.push(adapter);
        }
        line.ioOf.set(plc, owned);
      }
    }
    if (vendor.io === 'layer2') {
      for (const plc of line.plcs) {
        for (let k = dice.between(0, 2); k > 0; k--) {
          line.layer2Io.push({ ip: subnet.take(), name: `${plc.name.replace(/PLC/, 'ET')}-${k}`, model: dice.one(vendor.ioModels), mac: mac(vendor.oui) });
        }
      }
    }
  }

  // Site operations (level 3).
  const site = (name: string, role: Role, truth: string, os: Host['os'], maker: string, model: string, firmware: string, oui: string, domain = os === 'windows'): Host =>
    add({ ip: siteSubnet.take(), name, role, place: 'site', line: null, truth, os, maker, model, firmware, oui, attach: 'core', domain });
  const server = (model: string): [string, string, string] => ['Dell', model, dice.one(['Windows Server 2019 (10.0.17763)', 'Windows Server 2022 (10.0.20348)'])];
  const dcs = [1, 2].map((n) => site(`OT-DC0${n}`, 'dc', 'site|dc', 'windows', ...server('PowerEdge R650'), '00:50:56', false));
  const ntp = site('OT-NTP01', 'ntp', 'site|ntp', 'linux', 'Meinberg', 'LANTIME M300/GPS', '7.08.007', 'ec:46:70');
  const scadaProduct: ScadaProduct = dice.one(['ignition', 'wincc-oa'] as const);
  const scada = ['A', 'B'].map((s) => site(`SCADA-${s}`, 'scada', 'site|scada', 'windows', ...server(scadaProduct === 'ignition' ? 'PowerEdge R750 (Ignition 8.1)' : 'PowerEdge R750 (WinCC OA 3.19)'), '00:50:56'));
  const historianProduct: HistorianProduct = dice.one(['pi', 'aveva'] as const);
  const historian = site('OT-HIST01', 'historian', 'site|historian', 'windows', ...server(historianProduct === 'pi' ? 'PowerEdge R750 (PI Data Archive 2018 SP3)' : 'PowerEdge R750 (AVEVA Historian 2020 R2)'), '00:50:56');
  const ews = Array.from({ length: dice.between(2, 4) }, (_, i) => site(`EWS0${i + 1}`, 'ews', 'site|ews', 'windows', 'Dell', 'Precision 3660 (Windows 10 Enterprise LTSC 2021)', '10.0.19044', 'a4:bb:6d'));
  const opc = site('OPCUA01', 'opc', 'site|opc', 'windows', ...server('PowerEdge R450 (KEPServerEX 6.14)'), '00:50:56');
  const siem = site('OT-SIEM01', 'siem', 'site|siem', 'linux', 'Dell', 'PowerEdge R650 (Graylog 5 + nfcapd)', 'Rocky Linux 9.3', '00:50:56');
  const ups = Array.from({ length: dice.between(1, 2) }, (_, i) => site(`UPS-${'AB'[i]}`, 'ups', 'site|ups', 'embedded', 'APC', 'Smart-UPS SRT 6000 (AP9641 NMC3)', '2.4.0.2', '28:29:86'));
  const firewall = site('FW-ITOT01', 'firewall', 'site|firewall', 'embedded', 'Palo Alto Networks', 'PA-3220', 'PAN-OS 10.2.9', '00:1b:17');

  // DMZ (level 3.5): its switch exports nothing; the firewall sees what crosses it.
  const dmz = (name: string, role: Role, truth: string, model: string, os: Host['os'] = 'windows'): Host =>
    add({ ip: dmzSubnet.take(), name, role, place: 'dmz', line: null, truth, os, maker: 'Dell', model, firmware: os === 'windows' ? 'Windows Server 2019 (10.0.17763)' : 'Ubuntu 22.04', oui: '00:50:56', attach: null, domain: os === 'windows' });
  const mirror = dmz(historianProduct === 'pi' ? 'DMZ-PI01' : 'DMZ-HIST01', 'mirror', 'dmz|mirror', historianProduct === 'pi' ? 'PowerEdge R650 (PI Data Archive + PI Vision)' : 'PowerEdge R650 (AVEVA Historian tier 2 + Insight)');
  const wsus = dmz('DMZ-WSUS01', 'wsus', 'dmz|wsus', 'PowerEdge R450 (WSUS)');
  const avProduct: AvProduct = dice.one(['trend', 'epo'] as const);
  const av = dmz('DMZ-AV01', 'av', 'dmz|av', avProduct === 'trend' ? 'PowerEdge R450 (Trend Micro Apex One)' : 'PowerEdge R450 (Trellix ePO 5.10)');
  const jumps = [1, 2].map((n) => dmz(`DMZ-JMP0${n}`, 'jump', 'dmz|jump', 'PowerEdge R450 (RD Session Host)'));

  // Outside the plant.
  const corpSubnets = dice.some([12, 14, 31, 40, 57, 88], dice.between(2, 3)).map((third) => `10.200.${third}`);
  const usedCorp = new Set<string>();
  const corpAddress = (prefix: string): string => {
    for (;;) {
      const ip = `${prefix}.${dice.between(20, 230)}`;
      if (!usedCorp.has(ip)) {
        usedCorp.add(ip);
        return ip;
      }
    }
  };
  const corp = (name: string, role: Role, truth: string, prefix: string): Host =>
    add({ ip: corpAddress(prefix), name, role, place: 'corp', line: null, truth, os: 'windows', maker: 'Lenovo', model: 'ThinkPad T14', firmware: 'Windows 11 23H2', oui: '8c:16:45', attach: null, domain: false });
  const business = Array.from({ length: dice.between(3, 6) }, () => corp(`CORP-PC${dice.between(1000, 9999)}`, 'business', 'corp|business', dice.one(corpSubnets)));
  const itAdmins = Array.from({ length: dice.between(2, 3) }, () => corp(`IT-ADM${dice.between(10, 99)}`, 'it-admin', 'corp|it-admins', '10.200.8'));
  const corpWsus = corp('CORP-WSUS01', 'corp-wsus', 'corp|wsus', '10.200.1');
  const corpDns = [1, 2].map((n) => corp(`CORP-DNS0${n}`, 'corp-dns', 'corp|dns', '10.200.1'));
  const usedPublic = new Set<string>();
  const internet = (name: string, octets: readonly number[]): Host =>
    add({ ip: publicAddress(dice, usedPublic, octets), name, role: 'internet', place: 'internet', line: null, truth: null, os: 'linux', maker: '', model: '', firmware: '', oui: '00:00:00', attach: null, domain: false });
  const msUpdate = Array.from({ length: dice.between(2, 3) }, (_, i) => internet(`windowsupdate-${i}`, [13, 20, 40]));
  const avCloud = Array.from({ length: dice.between(1, 2) }, (_, i) => internet(`av-cloud-${i}`, [52, 104, 151]));
  const windowsEndpoints = Array.from({ length: dice.between(3, 5) }, (_, i) => internet(`windows-endpoint-${i}`, [13, 20, 23, 93]));

  const dcRpcPorts = new Map(dcs.map((dc) => [dc, dice.some([49664, 49665, 49666, 49667, 49668, 49669, 49670, 49671, 49673, 49674, 49676, 49690], 2).sort((a, b) => a - b)] as const));

  return {
    siteName,
    lines,
    hosts,
    siteSubnet,
    dmzSubnet,
    mgmtPrefix,
    historianProduct,
    scadaProduct,
    avProduct,
    dcs,
    dcRpcPorts,
    ntp,
    scada,
    historian,
    ews,
    opc,
    siem,
    ups,
    firewall,
    mirror,
    wsus,
    av,
    jumps,
    business,
    itAdmins,
    corpWsus,
    corpDns,
    windowsEndpoints,
    msUpdate,
    avCloud,
    switches,
    usedPublic,
  };
}
