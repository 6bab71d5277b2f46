// The planted attacks and mistakes, all on the second day of the capture:
// inside the training window, where anomalies are looked for, after a first
// day of ordinary trade (any detector, like any SOC, needs a baseline), and
// ending well before the replay starts.
// - scan: a back-office PC (a phished user) pings its own shop's other
//   VLANs and three data-centre subnets, then SYN-scans the hosts that
//   answered on the usual ports; most probes hit nothing or a closed port
//   (Linux and appliances answer RST, the Windows firewall stays silent).
//   Probes that would repeat one of the PC's legitimate uses are left out,
//   so that no legitimate edge is also an attack edge;
// - lateral movement: one store server, compromised, reaches the store
//   servers of 15–25 other shops over SMB then RDP within one to two hours;
//   RDP is refused where it is disabled, SMB where the shop's firewall
//   profile blocks it. Shop-to-shop traffic crosses the hub, so each such
//   flow is exported by three routers' worth of exporters;
// - exfiltration: another store server uploads 2–4 GB over HTTPS to a
//   public address nothing in the estate ever used, in the small hours,
//   straight out of its shop's broadband line;
// - cross-environment: the QA ERP application server connecting to the
//   production HANA database (a connection string copied from production).
import type { PlantedAttack } from '../../scenario';
import { CAPTURE_START, HOUR, MINUTE, SECOND, TRAIN_UNTIL } from './clock';
import { ephemeralPort, type Connection, type Outcome } from './connection';
import { publicAddress, type Endpoint, type Estate, type External, type Host, type Site } from './estate';
import type { Random } from './random';
import { ICMP, SVC, TCP, type Service } from './services';
import { localHours, shopHours, type Use } from './traffic';

export interface Planted {
  readonly attacks: PlantedAttack[];
  readonly connections: Connection[];
}

/** Day two, ending early enough for every record to be exported and purged before the replay. */
const DAY_TWO = CAPTURE_START + 24 * HOUR;
const LATEST_END = TRAIN_UNTIL - 2 * HOUR;

const SCAN_PORTS = [21, 22, 23, 80, 135, 139, 443, 445, 1433, 3306, 3389, 5432, 5900, 5985, 8080, 8443, 9100];

export function plantAttacks(estate: Estate, uses: readonly Use[], rand: Random): Planted {
  const attacks: PlantedAttack[] = [];
  const connections: Connection[] = [];
  const open = openPorts(uses);
  const connect = (client: Endpoint, server: Endpoint, service: Service, start: number, outcome: Outcome, up: number, down: number, seconds: number, tag: string, halfOpen = false): void => {
    const failed = outcome === 'refused' || outcome === 'unanswered';
    connections.push({
      client,
      server,
      service,
      clientPort: service.proto === ICMP ? 0 : ephemeralPort(rand, client),
      serverPort: service.port,
      start,
      end: start + (failed ? rand.int(0, 3000) : Math.max(1, Math.round(seconds * SECOND))),
      up,
      down,
      outcome,
      halfOpen,
      legit: false,
      admin: false,
      tag,
    });
  };
  const stable = estate.shops.filter((s) => !estate.changes.replacedServers.includes(s) && !estate.changes.replacedLanes.includes(s) && s.storeServers.length === 1);
  const [scanShop, lateralShop, exfilShop] = rand.sample(stable, 3) as [typeof stable[number], typeof stable[number], typeof stable[number]];

  // --- Scan ---------------------------------------------------------------------------------
  const scanner = rand.pick(scanShop.backOffice);
  const trading = shopHours(scanShop)(DAY_TWO, LATEST_END - HOUR).filter(([s, e]) => e - s > 2 * HOUR);
  const [tradeStart, tradeEnd] = trading[0] ?? [DAY_TWO + 6 * HOUR, DAY_TWO + 10 * HOUR];
  let t = tradeStart + rand.real(0, tradeEnd - tradeStart - 1.5 * HOUR);
  const byIp = new Map(estate.hosts.filter((h) => h.from <= t && t < h.to).map((h) => [h.ip, h]));
  const ownBlock = (ip: string): boolean => {
    const last = Number(ip.split('.')[3]);
    return last >= 64 && last < 96;
  };
  const targets: string[] = [];
  for (let i = 1; i < 255; i++) if (!ownBlock(`${scanShop.net}.${i}`)) targets.push(`${scanShop.net}.${i}`);
  for (const net of rand.sample(['10.10.10', '10.10.20', '10.10.21', '10.10.22', '10.10.23'], 3)) for (let i = 1; i < 255; i++) targets.push(`${net}.${i}`);
  const answered: Host[] = [];
  const probed = new Set<string>();
  const legitOfScanner = new Set(uses.filter((u) => u.client === scanner && typeof u.server !== 'function' && !u.server.external).flatMap((u) => u.services.map((s) => `${(u.server as Host).ip}|${s.proto}|${s.port}`)));
  for (const ip of targets) {
    const host = byIp.get(ip);
    // The shop router's own interfaces answer from the router itself: nothing an ingress export records.
    const echo: Service = { name: 'icmp-echo', proto: ICMP, port: 8 * 256 };
    connect(scanner, host ?? phantom(ip, ip.startsWith(scanShop.net) ? scanShop.site : estate.hqSite), echo, Math.round(t), host !== undefined ? 'closed' : 'unanswered', 56, 56, 0.002, 'attack:scan');
    probed.add(ip);
    if (host !== undefined) answered.push(host);
    t += rand.int(40, 140);
  }
  for (const host of answered) {
    for (const port of SCAN_PORTS) {
      if (legitOfScanner.has(`${host.ip}|${TCP}|${port}`)) continue;
      const service: Service = { name: `scan-${port}`, proto: TCP, port };
      const listening = open.get(host.ip)?.has(port) === true;
      const outcome: Outcome = listening ? 'closed' : host.os === 'windows' ? 'unanswered' : 'refused';
      connect(scanner, host, service, Math.round(t), outcome, 0, 0, 0.001, 'attack:scan', listening);
      t += rand.int(60, 400);
    }
  }
  attacks.push({ kind: 'scan', src: scanner.ip, dsts: [...probed], note: `${scanner.name} swept ${probed.size} addresses (its shop's other VLANs and three DC subnets) and SYN-scanned ${answered.length} live hosts` });

  // --- Lateral movement ------------------------------------------------------------------------
  const patientZero = lateralShop.storeServers[0]!;
  let when = DAY_TWO + rand.real(2, 12) * HOUR;
  const victims = rand.sample(estate.shops.filter((s) => s !== lateralShop).flatMap((s) => s.storeServers).filter((h) => h.from <= when && when + 3 * HOUR < h.to), rand.int(15, 25));
  const spread = rand.real(60, 110) * MINUTE;
  const step = spread / victims.length;
  for (const victim of victims) {
    const smbRefused = rand.chance(0.15);
    connect(patientZero, victim, SVC.smb, Math.round(when), smbRefused ? 'refused' : 'closed', 18_000, 9000, rand.real(2, 9), 'attack:lateral');
    if (!smbRefused && rand.chance(0.7)) connect(patientZero, victim, SVC.smb, Math.round(when + rand.int(5, 40) * SECOND), 'closed', 420_000, 12_000, rand.real(5, 30), 'attack:lateral');
    const rdpRefused = rand.chance(0.45);
    connect(patientZero, victim, SVC.rdp, Math.round(when + rand.int(40, 200) * SECOND), rdpRefused ? 'refused' : 'closed', 90_000, 1_400_000, rand.real(60, 400), 'attack:lateral');
    when += step * rand.real(0.6, 1.4);
  }
  attacks.push({ kind: 'lateral-movement', src: patientZero.ip, dsts: victims.map((v) => v.ip), note: `${patientZero.name} reached ${victims.length} other shops' store servers over SMB and RDP in ${Math.round(spread / MINUTE)} minutes` });

  // --- Exfiltration --------------------------------------------------------------------------------
  const exfilSource = exfilShop.storeServers[0]!;
  const { o365, web, acquirers, ntp, dnsForwarders } = estate.internet;
  const known = new Set([...o365, ...web, ...acquirers, ...ntp, ...dnsForwarders].map((e) => e.ip).concat(estate.shops.map((s) => s.publicIp)));
  let dropIp = publicAddress(rand, [45, 91, 146, 185, 193]);
  while (known.has(dropIp)) dropIp = publicAddress(rand, [45, 91, 146, 185, 193]);
  const drop: External = { external: true, ip: dropIp, what: 'exfiltration' };
  const night = localHours(exfilShop.zone, 1, 4)(DAY_TWO, LATEST_END - 2 * HOUR)[0] ?? [DAY_TWO + 4 * HOUR, DAY_TWO + 7 * HOUR];
  const exfilStart = night[0] + rand.real(0, Math.max(0, night[1] - night[0] - 2 * HOUR));
  const total = rand.real(2e9, 4e9);
  const streams = rand.int(2, 4);
  for (let i = 0; i < streams; i++) connect(exfilSource, drop, SVC.https, Math.round(exfilStart + i * rand.int(5, 90) * SECOND), 'closed', Math.round(total / streams), 2_000_000, rand.real(55, 100) * 60, 'attack:exfiltration');
  attacks.push({ kind: 'exfiltration', src: exfilSource.ip, dsts: [drop.ip], note: `${exfilSource.name} uploaded ${(total / 1e9).toFixed(1)} GB to ${drop.ip} over ${streams} HTTPS streams, straight out of its shop's broadband line` });

  // --- Cross-environment ------------------------------------------------------------------------------
  const qaApp = estate.dc('qa-erp-app')[0]!;
  const prodDb = estate.dc('erp-db')[0]!;
  const office = localHours(estate.region.hqZone, 9, 17)(DAY_TWO, LATEST_END - 4 * HOUR)[0] ?? [DAY_TWO + 2 * HOUR, DAY_TWO + 8 * HOUR];
  let batch = office[0] + rand.real(0, Math.max(0, office[1] - office[0] - 3 * HOUR));
  const runs = rand.int(6, 12);
  for (let i = 0; i < runs; i++) {
    connect(qaApp, prodDb, SVC.hanaSql, Math.round(batch), 'closed', rand.int(20_000, 200_000), rand.int(2_000_000, 60_000_000), rand.real(30, 600), 'attack:cross-environment');
    batch += rand.real(5, 20) * MINUTE;
  }
  attacks.push({ kind: 'cross-environment', src: qaApp.ip, dsts: [prodDb.ip], note: `${qaApp.name} (QA) ran ${runs} sessions against the production HANA database ${prodDb.name}` });

  for (const conn of connections) if (conn.end > LATEST_END) throw new Error(`retail-chain: planted ${conn.tag} ends after the training window`);
  return { attacks, connections };
}

/** The ports each host listens on, as its legitimate uses show. */
function openPorts(uses: readonly Use[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const use of uses) {
    if (typeof use.server === 'function' || use.server.external || use.outcome === 'unanswered') continue;
    const set = out.get(use.server.ip) ?? new Set<number>();
    for (const service of use.services) if (service.proto === TCP) set.add(service.port);
    out.set(use.server.ip, set);
  }
  return out;
}

/** An address nothing holds, in the shop or data-centre subnet it belongs to (so it is routed like its neighbours). */
function phantom(ip: string, site: Site): Host {
  return { external: false, name: `unused-${ip}`, ip, prefix: 24, group: '', role: 'unused', site, vlan: 99, os: 'appliance', from: -Infinity, to: Infinity, listing: null, labels: null, status: 'Active' };
}
