// The planted attacks, all inside the training window (where analyze looks
// for anomalies under its hold-out), and none in the first 20 hours: any
// detector needs some normal days before the abnormal one, and so would a
// hospital's SOC:
// - scan: a compromised infusion pump sweeping its own VLAN (which the
//   sensor cannot see: it stays inside the hospital) and two data-centre
//   subnets on 445 and 3389; most probes hit no host or a closed port;
// - lateral-movement: a billing desk reaching 15–30 servers and other
//   sites' desks over SMB, RDP and WinRM within the hour, a third refused;
// - exfiltration: the PACS image store uploading 1–5 GB over 443 to an
//   address it never used, in the small hours;
// - cross-environment: the EHR test application server using the
//   production EHR database (a connection string copied from prod).
import type { PlantedAttack } from '../../scenario';
import { US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND, type Calendar } from './clock';
import { connect, type Alert, type Connection } from './connection';
import { ipAt, visible, type Device, type Estate } from './estate';
import type { Rand } from './random';
import { S, type Service } from './services';

export interface Planted {
  readonly attacks: PlantedAttack[];
  readonly seen: Connection[];
  /** Probes the sensor could not see (inside the hospital). */
  readonly unseen: Connection[];
}

const SCAN_445: Alert = { sid: 2001569, rev: 15, signature: 'ET SCAN Behavioral Unusual Port 445 traffic Potential Scan or Infection', category: 'Misc activity', severity: 3 };
const SVCCTL: Alert = { sid: 2027220, rev: 3, signature: 'ET RPC DCERPC SVCCTL - Remote Service Control Manager Access', category: 'Potentially Bad Traffic', severity: 2 };

export function plantAttacks(estate: Estate, calendar: Calendar, rand: Rand): Planted {
  const attacks: PlantedAttack[] = [];
  const seen: Connection[] = [];
  const unseen: Connection[] = [];
  const hourStart = (hour: number): number => calendar.startUs + hour * US_PER_HOUR;
  const byIp = new Map<string, Device>();
  for (const device of estate.devices) for (const lease of device.leases) byIp.set(lease.ip, device);
  const attack = (service: Service, client: Device, server: Device, serverIp: string, start: number, options: Parameters<typeof connect>[7]): Connection => {
    const conn = connect(rand, service, client, ipAt(client, Math.floor((start - calendar.startUs) / US_PER_HOUR))!, server, serverIp, start, { ...options, legit: false });
    (visible(client, server) ? seen : unseen).push(conn);
    return conn;
  };
  // A stand-in for an address with nothing behind it.
  const nobody = (ip: string, site: Device['site']): Device => ({ ...estate.one('dc'), name: ip, site, truth: null, server: false, windows: false, leases: [{ ip, from: 0, to: estate.hours }] });

  // ---- Scan from an infusion pump -------------------------------------------------
  {
    const pump = rand.pick(estate.atSite(estate.main, 'pump'));
    const hour = rand.int(20, 40);
    const pumpIp = ipAt(pump, hour)!;
    const [, , vlan] = pumpIp.split('.');
    const probed: string[] = [];
    let t = hourStart(hour) + Math.floor(rand.real(2, 30) * US_PER_MINUTE);
    const sweep = (prefix: string, site: Device['site']): void => {
      for (let host = 1; host <= 254; host++) {
        const ip = `${prefix}.${host}`;
        if (ip === pumpIp) continue;
        const target = byIp.get(ip);
        for (const port of [445, 3389]) {
          t += Math.floor(rand.real(0.05, 0.6) * US_PER_SECOND);
          const open = target !== undefined && target.windows && target.kind !== 'workstation' && (port === 445 || target.kind === 'server');
          const outcome = target === undefined ? 'unanswered' : open ? 'reset' : 'refused';
          const conn = attack(port === 445 ? S.smb : S.rdp, pump, target ?? nobody(ip, site), ip, t, { port, outcome, up: 0, down: 0, seconds: open ? 0.002 : 0, alert: port === 445 && host % 97 === 5 ? SCAN_445 : null });
          if (visible(conn.client, conn.server)) probed.push(ip);
        }
      }
    };
    sweep(`10.20.${vlan}`, estate.main); // its own VLAN: stays inside the hospital, never reaches the sensor
    sweep('10.10.10', estate.dcSite);
    sweep('10.10.40', estate.dcSite);
    attacks.push({ kind: 'scan', src: pumpIp, dsts: [...new Set(probed)], note: `infusion pump ${pump.name} ${pumpIp}: its VLAN and 10.10.10.0/24, 10.10.40.0/24 on 445 and 3389` });
  }

  // ---- Lateral movement from a billing desk -------------------------------------------
  {
    const desk = rand.pick(estate.workstations('admin').filter((ws) => ws.site === estate.main && ws.leases.length === 1));
    const hour = 24 + rand.int(10, 15);
    const usual = new Set(['dc', 'file', 'print', 'sccm', 'wsus', 'ehr-web', 'proxy']);
    const servers = estate.devices.filter((d) => d.kind === 'server' && d.windows && !usual.has(d.role) && d.role !== 'ehr-db-listener');
    const desks = estate.workstations().filter((ws) => ws.site !== estate.main && ws.leases.length === 1);
    const count = rand.int(15, 30);
    const targets = rand.shuffle([...rand.shuffle(servers).slice(0, Math.ceil(count * 0.6)), ...rand.shuffle(desks)]).slice(0, count);
    let t = hourStart(hour) + Math.floor(rand.real(1, 10) * US_PER_MINUTE);
    targets.forEach((target, index) => {
      const refused = index % 3 === 2;
      const services = rand.shuffle([S.smb, S.rdp, S.winrm]).slice(0, rand.int(1, 3));
      for (const service of services) {
        t += Math.floor(rand.real(20, 110) * US_PER_SECOND);
        const ip = ipAt(target, hour)!;
        if (refused) attack(service, desk, target, ip, t, { outcome: 'refused' });
        else attack(service, desk, target, ip, t, { up: rand.around(service === S.smb ? 250_000 : 20_000, 0.5), down: rand.around(30_000, 0.5), seconds: rand.around(service === S.rdp ? 120 : 8, 0.5), alert: service === S.smb && index % 4 === 0 ? SVCCTL : null });
      }
    });
    const deskIp = ipAt(desk, hour)!;
    attacks.push({ kind: 'lateral-movement', src: deskIp, dsts: targets.map((d) => ipAt(d, hour)!), note: `billing desk ${desk.name} ${deskIp}: SMB/RDP/WinRM to ${targets.length} hosts within the hour, a third refused` });
  }

  // ---- Exfiltration from the PACS image store -----------------------------------------
  {
    const nas = estate.one('pacs-storage');
    const drop: Device = { ...estate.publicHosts('web')[0]!, name: 'drop', leases: [{ ip: `${rand.pick([5, 45, 91, 185])}.${rand.int(1, 254)}.${rand.int(0, 255)}.${rand.int(2, 254)}`, from: 0, to: estate.hours }] };
    const dropIp = drop.leases[0]!.ip;
    const hour = 24 + rand.int(1, 4);
    const pieces = rand.int(3, 7);
    const total = rand.real(1, 5) * 1e9;
    let t = hourStart(hour) + Math.floor(rand.real(0, 20) * US_PER_MINUTE);
    for (let k = 0; k < pieces; k++) {
      const bytes = total / pieces;
      const seconds = bytes / rand.real(8e6, 20e6);
      attack(S.https, nas, drop, dropIp, t, { up: bytes, down: rand.around(400_000, 0.4), seconds, outcome: 'closed' });
      t += Math.floor((seconds + rand.real(5, 120)) * US_PER_SECOND);
    }
    attacks.push({ kind: 'exfiltration', src: nas.leases[0]!.ip, dsts: [dropIp], note: `PACS store ${nas.name}: ${(total / 1e9).toFixed(1)} GB over 443 to ${dropIp}` });
  }

  // ---- The test EHR application server using the production database ----------------------
  {
    const testApp = estate.one('ehr-test-app');
    const listener = estate.one('ehr-db-listener');
    const primary = estate.one('ehr-db-primary');
    const hour = 24 + rand.int(9, 15);
    for (let k = 0; k < rand.int(4, 8); k++) {
      const start = hourStart(hour + (k % 3)) + Math.floor(rand.real(0, 50) * US_PER_MINUTE);
      attack(S.mssql, testApp, listener, listener.leases[0]!.ip, start, { seconds: rand.around(300, 0.5) });
    }
    attacks.push({ kind: 'cross-environment', src: testApp.leases[0]!.ip, dsts: [listener.leases[0]!.ip, primary.leases[0]!.ip], note: `${testApp.name} (test) using the production EHR database through ${listener.name}` });
  }
  return { attacks, seen, unseen };
}
