// Three attacks planted in the learning window, none of them a legitimate
// use (their edges stay out of the truth's legitimate list):
// - scan: an operator station sweeps its own /24 and a neighbouring line's
//   on Modbus (502) and S7 (102) with connect() calls. On its own subnet a
//   missing address never gets an ARP answer, so no packet leaves and
//   nothing is recorded; a routed missing address is a SYN with no reply;
//   a live host answers RST/ACK (Windows retries the SYN twice after a
//   reset) or drops it in silence (a host firewall); an open port answers
//   SYN/ACK and the scanner resets at once.
// - lateral-movement: an engineering workstation reaches 15–30 hosts over
//   SMB and RDP within the hour; a third are devices that refuse both.
// - exfiltration: the historian mirror in the DMZ uploads 1–5 GB over
//   HTTPS to an address it never talked to.
import { HOUR, MINUTE, SECOND } from './calendar';
import { PORT, TCP } from './catalogue';
import { ACK, RST, SYN, type Conn } from './connection';
import { publicAddress } from './addressing';
import type { Host } from './plant';
import type { Planner } from './planner';
import type { Dice } from './random';
import type { PlantedAttack } from '../../scenario';

export function plantAttacks(p: Planner, dice: Dice): PlantedAttack[] {
  return [scan(p, dice.fork('scan')), lateral(p, dice.fork('lateral')), exfiltration(p, dice.fork('exfiltration'))];
}

const WINDOWS_SYN = 52;

function probe(p: Planner, d: Dice, client: Host, server: Host, serverIp: string, port: number, at: number, outcome: 'open' | 'reset' | 'silent'): Conn {
  const base = { client, server, serverIp, proto: TCP, clientPort: p.ephemeral(client, d), serverPort: port, startMs: at, tos: 0, replyTos: 0 } as const;
  if (outcome === 'open') {
    return { ...base, endMs: at + d.real(1, 4), close: 'rst', answer: 'yes', up: { packets: 3, bytes: WINDOWS_SYN + 80 }, down: { packets: 1, bytes: 48 }, upFlags: SYN | ACK | RST, downFlags: SYN | ACK };
  }
  if (outcome === 'reset') return { ...base, endMs: at + d.real(900, 1100), close: 'rst', answer: 'rst', up: { packets: 3, bytes: 3 * WINDOWS_SYN }, down: { packets: 3, bytes: 120 } };
  return { ...base, endMs: at + d.real(2900, 3100), close: 'open', answer: 'none', up: { packets: 3, bytes: 3 * WINDOWS_SYN }, down: null };
}

/** The TCP services listening (server|port), as far as a scan would find them: what legitimate clients use. */
function listening(p: Planner): Set<string> {
  const out = new Set<string>();
  for (const key of p.legitimate) {
    const [, server, proto, port] = key.split('|');
    if (proto === '6') out.add(`${server}|${port}`);
  }
  return out;
}

function hit(p: Planner, src: Host, dst: string): boolean {
  for (const key of p.legitimate) if (key.startsWith(`${src.ip}|${dst}|`)) return true;
  return false;
}

function scan(p: Planner, d: Dice): PlantedAttack {
  const { plant, cal } = p;
  const stations = plant.lines.flatMap((line) => line.hmis.filter((hmi) => hmi.role === 'hmi'));
  const scanner = stations.length > 0 ? d.one(stations) : d.one(plant.lines.flatMap((line) => line.hmis));
  const own = scanner.line!;
  const neighbours = plant.lines.filter((line) => line.subnet !== own.subnet && Math.abs(line.index - own.index) <= 2);
  const other = (neighbours.length > 0 ? d.one(neighbours) : d.one(plant.lines.filter((line) => line.subnet !== own.subnet))).subnet;
  const byIp = new Map(plant.hosts.map((host) => [host.ip, host]));
  const open = listening(p);
  let at = cal.startMs + d.between(20, 40) * HOUR + d.real(0, 30) * MINUTE;
  const probed = new Set<string>();
  const addresses = [...d.shuffled(own.subnet.all()).map((ip) => [ip, true] as const), ...d.shuffled(other.all()).map((ip) => [ip, false] as const)];
  for (const [ip, local] of addresses) {
    if (ip === scanner.ip) continue;
    const host = byIp.get(ip);
    // No ARP answer on its own subnet: nothing leaves the station.
    if (host === undefined && local) continue;
    for (const port of [PORT.modbus, PORT.s7]) {
      at += d.real(0.2, 1.4) * SECOND;
      const target: Host = host ?? { ...scanner, ip, name: ip, role: 'plc', place: 'line', line: null, truth: null, attach: null, ifIndex: 0 };
      const outcome = host === undefined ? 'silent' : open.has(`${ip}|${port}`) ? 'open' : host.os === 'windows' ? 'silent' : 'reset';
      p.addUnlisted(probe(p, d, scanner, target, ip, port, at, outcome));
      probed.add(ip);
    }
  }
  const dsts = [...probed].filter((ip) => !hit(p, scanner, ip));
  return { kind: 'scan', src: scanner.ip, dsts, note: `${scanner.name} ${scanner.ip} sweeps ${own.subnet.cidr} and ${other.cidr} on 502 and 102 (${probed.size} addresses answered or routed)` };
}

function lateral(p: Planner, d: Dice): PlantedAttack {
  const { plant, cal } = p;
  const mover = d.one(plant.ews);
  const inside = plant.hosts.filter((host) => (host.place === 'line' || host.place === 'site') && host !== mover && host.role !== 'dc' && host.role !== 'firewall');
  // Hosts it never had business with: whatever it already reaches is not where the movement shows.
  const fresh = inside.filter((host) => !hit(p, mover, host.ip));
  const windows = d.shuffled(fresh.filter((host) => host.os === 'windows'));
  const devices = d.shuffled(fresh.filter((host) => host.os !== 'windows'));
  const count = d.between(15, 30);
  const refused = Math.min(devices.length, Math.round(count / 3));
  const targets = d.shuffled([...windows.slice(0, count - refused), ...devices.slice(0, refused)]);
  let at = cal.startMs + d.between(22, 44) * HOUR + d.real(0, 20) * MINUTE;
  for (const target of targets) {
    at += d.real(50, 150) * SECOND;
    const windowsTarget = target.os === 'windows';
    if (!windowsTarget) {
      p.addUnlisted(probe(p, d, mover, target, target.ip, PORT.smb, at, 'reset'));
      if (d.yes(0.5)) p.addUnlisted(probe(p, d, mover, target, target.ip, PORT.rdp, at + d.real(2, 6) * SECOND, 'reset'));
      continue;
    }
    // SMB: authenticate, copy a service binary to ADMIN$, start it over the service control manager's pipe.
    const copied = d.between(180_000, 900_000);
    const smb = { client: mover, server: target, serverIp: target.ip, proto: TCP, clientPort: p.ephemeral(mover, d), serverPort: PORT.smb, startMs: at, endMs: at + d.real(3, 25) * SECOND, close: 'fin', answer: 'yes', tos: 0, replyTos: 0 } as const;
    p.addUnlisted({ ...smb, up: { packets: Math.ceil(copied / 1400) + d.between(30, 60), bytes: copied + d.between(9000, 30000) }, down: { packets: Math.ceil(copied / 2800) + d.between(25, 50), bytes: d.between(8000, 25000) } });
    if (d.yes(0.6)) {
      const minutes = d.real(1, 6);
      const packets = Math.round(minutes * 60 * 10);
      p.addUnlisted({ ...smb, clientPort: p.ephemeral(mover, d), serverPort: PORT.rdp, startMs: at + d.real(30, 90) * SECOND, endMs: at + (minutes + 1.5) * MINUTE, up: { packets, bytes: packets * 95 }, down: { packets: Math.round(packets * 1.3), bytes: Math.round(packets * 1.3) * 500 } });
    }
  }
  return { kind: 'lateral-movement', src: mover.ip, dsts: targets.map((host) => host.ip), note: `${mover.name} ${mover.ip}: SMB and RDP to ${targets.length} hosts within the hour, ${refused} refused` };
}

function exfiltration(p: Planner, d: Dice): PlantedAttack {
  const { plant, cal } = p;
  const src = plant.mirror;
  const ip = publicAddress(d, plant.usedPublic, [5, 31, 45, 91, 146, 193]);
  const drop: Host = { ...src, ip, name: ip, role: 'internet', place: 'internet', truth: null, attach: null, ifIndex: 0, domain: false };
  let at = cal.startMs + d.between(16, 44) * HOUR + d.real(0, 40) * MINUTE;
  // 1–5 GB in one to three uploads.
  const total = d.between(1000, 5000) * 1_000_000;
  const parts = d.between(1, 3);
  for (let n = 0; n < parts; n++) {
    const bytes = Math.round(total / parts);
    const seconds = bytes / (d.real(2, 8) * 1_000_000);
    const packets = Math.ceil(bytes / 1400);
    p.addUnlisted({ client: src, server: drop, serverIp: ip, proto: TCP, clientPort: p.ephemeral(src, d), serverPort: PORT.https, startMs: at, endMs: at + seconds * SECOND, close: 'fin', answer: 'yes', up: { packets, bytes: bytes + packets * 40 }, down: { packets: Math.ceil(packets / 2), bytes: Math.ceil(packets / 2) * 52, acksOnly: true }, tos: 0, replyTos: 0 });
    at += seconds * SECOND + d.real(30, 600) * SECOND;
  }
  return { kind: 'exfiltration', src: src.ip, dsts: [ip], note: `${src.name} ${src.ip} uploads ${(total / 1e9).toFixed(1)} GB to ${ip}:443` };
}
