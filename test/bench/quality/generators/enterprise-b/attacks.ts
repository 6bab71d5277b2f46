// The planted attacks, each with its connections and its truth entry. When:
// - scan: Monday 2026-03-09 13:20 UTC (training);
// - cross-environment: nightly 22:xx from Tuesday 03-10 to Saturday 03-14 (both sides of the split);
// - lateral-movement: Friday 2026-03-13 08:40 UTC (replay);
// - exfiltration: Saturday 2026-03-14 02:05 UTC (replay), also a first contact with a new external address.
// The NSGs let through what their (lax) rules allow: desktops may reach
// Windows servers on SMB, RDP and WinRM, dev may reach the prod data subnet
// on database ports, and every subnet may go out to the internet; the rest is
// denied at the server's NSG.

import type { PlantedAttack } from '../../scenario';
import { INTERNET } from './address-plan';
import { at } from './calendar';
import { ephemeralPort, type Connection, type Proto } from './connection';
import type { DeskCalendar } from './desk-calendar';
import type { Estate, Host } from './estate';
import type { Rng } from './random';
import { packetsFor } from './traffic-kinds';

export interface PlantedTraffic {
  readonly attacks: PlantedAttack[];
  readonly connections: Connection[];
}

/** Ports a desktop may open to Windows servers (the lax rule both the worm and the scanner exploit). */
const CORP_TO_WINDOWS = [445, 3389, 5985];

/** What a scanner tries: the usual top ports. */
const SCAN_PORTS = [
  21, 22, 23, 25, 53, 80, 81, 110, 111, 135, 139, 143, 389, 443, 445, 465, 587, 636, 993, 995, 1080, 1433, 1521, 1723, 2049,
  2375, 3000, 3306, 3389, 5000, 5432, 5601, 5900, 5985, 6379, 7001, 8000, 8080, 8081, 8443, 8888, 9000, 9090, 9200, 9300,
  10250, 11211, 27017, 50000, 50070,
];

interface Attempt {
  readonly startMs: number;
  readonly durationS: number;
  readonly client: Host;
  readonly server: string;
  readonly port: number;
  readonly bytesOut: number;
  readonly bytesBack: number;
  readonly decision: 'A' | 'D';
  readonly proto?: Proto;
}

function connection(attempt: Attempt, rng: Rng): Connection {
  const proto = attempt.proto ?? 6;
  // A denied SYN is retried twice and never answered.
  const denied = attempt.decision === 'D';
  return {
    startMs: attempt.startMs,
    durationS: denied ? 21 : attempt.durationS,
    client: attempt.client.ip,
    clientPort: ephemeralPort(attempt.client.os, (lo, hi) => rng.int(lo, hi)),
    server: attempt.server,
    port: attempt.port,
    proto,
    pktsOut: denied ? 3 : packetsFor(attempt.bytesOut, proto),
    bytesOut: denied ? 198 : attempt.bytesOut,
    pktsBack: denied ? 0 : packetsFor(attempt.bytesBack, proto),
    bytesBack: denied ? 0 : attempt.bytesBack,
    decision: attempt.decision,
  };
}

/** A desktop switched on over [hour, hour + 2) of `day`. */
function deskOnAt(estate: Estate, calendar: DeskCalendar, group: string, day: number, hour: number, rng: Rng): Host {
  const candidates = estate.members(group).filter((desk) => !desk.admin && [0, 1].every((k) => (calendar.get(desk.ip)?.[day * 24 + hour + k] ?? 0) > 0));
  return rng.pick(candidates);
}

function lateralMovement(estate: Estate, calendar: DeskCalendar, rng: Rng, out: PlantedTraffic): void {
  const day = 11;
  const source = deskOnAt(estate, calendar, 'dept|finance', day, 8, rng);
  // Not the domain controllers, file server or jump hosts: the desktop talks to the first two every day.
  const eligible = estate.servers().filter((s) => !['infra|dc', 'infra|files', 'infra|jump'].includes(s.group));
  const windows = rng.shuffle(eligible.filter((s) => s.os === 'windows')).slice(0, 20);
  const linux = rng.shuffle(eligible.filter((s) => s.os === 'linux')).slice(0, 10);
  const targets = rng.shuffle([...windows, ...linux]);
  let t = at(day, 8, 40) + rng.int(0, 59) * 1_000;
  for (const target of targets) {
    const decision = target.os === 'windows' ? 'A' : 'D';
    // SMB first (a share listing, and now and then a copied payload), then RDP.
    const payload = rng.chance(0.35) ? rng.int(300_000, 900_000) : rng.int(2_000, 6_000);
    out.connections.push(connection({ startMs: t, durationS: rng.int(1, 6), client: source, server: target.ip, port: 445, bytesOut: payload, bytesBack: rng.int(2_000, 9_000), decision }, rng));
    t += rng.int(20, 50) * 1_000;
    out.connections.push(connection({ startMs: t, durationS: rng.int(2, 25), client: source, server: target.ip, port: 3389, bytesOut: rng.int(3_000, 12_000), bytesBack: rng.int(5_000, 25_000), decision }, rng));
    t += rng.int(40, 90) * 1_000;
  }
  out.attacks.push({
    kind: 'lateral-movement',
    src: source.ip,
    dsts: targets.map((h) => h.ip).sort(),
    note: `${source.name} (finance desktop) tries SMB 445 then RDP 3389 on ${targets.length} servers from 2026-03-13 08:40 UTC (replay), ${targets.length * 2} attempts; the ${linux.length} Linux servers' NSG denies them (a third)`,
  });
}

function scan(estate: Estate, calendar: DeskCalendar, rng: Rng, out: PlantedTraffic): void {
  const day = 7;
  const source = deskOnAt(estate, calendar, 'dept|engineering', day, 13, rng);
  const targets = [
    estate.members('prod|shared-mssql|db')[0]!,
    estate.members('prod|hr|db')[0]!,
    estate.members('prod|ord|db')[0]!,
    estate.members('prod|wms|db')[0]!,
  ];
  let t = at(day, 13, 20) + rng.int(0, 59) * 1_000;
  for (const target of targets) {
    for (const port of rng.shuffle(SCAN_PORTS)) {
      const open = target.os === 'windows' && CORP_TO_WINDOWS.includes(port);
      // An open port answers the SYN; the scanner resets at once.
      out.connections.push(connection({ startMs: t, durationS: 0, client: source, server: target.ip, port, bytesOut: 120, bytesBack: 60, decision: open ? 'A' : 'D' }, rng));
      if (rng.chance(0.5)) t += 1_000;
    }
    t += rng.int(5, 20) * 1_000;
  }
  out.attacks.push({
    kind: 'scan',
    src: source.ip,
    dsts: targets.map((h) => h.ip).sort(),
    note: `${source.name} (engineering desktop) probes ${SCAN_PORTS.length} ports on each of ${targets.length} prod data servers on 2026-03-09 13:20 UTC (training); the prod data NSG denies all but SMB, RDP and WinRM on the two Windows ones`,
  });
}

function crossEnvironment(estate: Estate, rng: Rng, out: PlantedTraffic): void {
  const source = estate.members('dev|ord|api')[0]!;
  const target = estate.members('prod|ord|db')[0]!;
  for (let day = 8; day <= 12; day++) {
    let t = at(day, 22, rng.int(0, 10));
    for (let i = 0, n = rng.int(2, 3); i < n; i++) {
      out.connections.push(connection({ startMs: t, durationS: rng.int(20, 240), client: source, server: target.ip, port: 5432, bytesOut: rng.int(20_000, 200_000), bytesBack: rng.int(2_000_000, 15_000_000), decision: 'A' }, rng));
      t += rng.int(5, 15) * 60_000;
    }
  }
  out.attacks.push({
    kind: 'cross-environment',
    src: source.ip,
    dsts: [target.ip],
    note: `${source.name} (dev orders API) pulls data from ${target.name} (prod orders Postgres) on 5432, the port it uses on its dev database, every night at 22:00 UTC from 2026-03-10 (training) to 03-14 (replay): a refresh job left with a prod connection string`,
  });
}

function exfiltration(estate: Estate, rng: Rng, out: PlantedTraffic): void {
  const source = estate.members('prod|pay|db')[1]!;
  const day = 12;
  let t = at(day, 2, 5);
  let total = 0;
  for (let i = 0; i < 12; i++) {
    const bytes = rng.int(55_000_000, 70_000_000);
    total += bytes;
    const durationS = rng.int(360, 540);
    out.connections.push(connection({ startMs: t, durationS, client: source, server: INTERNET.exfilDrop, port: 443, bytesOut: bytes, bytesBack: rng.int(400_000, 900_000), decision: 'A' }, rng));
    t += (durationS + rng.int(10, 60)) * 1_000;
  }
  const mb = Math.round(total / 1e6);
  out.attacks.push({
    kind: 'exfiltration',
    src: source.ip,
    dsts: [INTERNET.exfilDrop],
    note: `${source.name} (prod payments MongoDB) uploads ${mb} MB over 443 to ${INTERNET.exfilDrop}, never contacted before, in 12 connections from 2026-03-14 02:05 UTC (replay)`,
  });
  out.attacks.push({
    kind: 'new-external',
    src: source.ip,
    dsts: [INTERNET.exfilDrop],
    note: `the same upload seen as a first contact: ${INTERNET.exfilDrop} is reached by this host only, on day 13 of 14`,
  });
}

export function plantAttacks(estate: Estate, calendar: DeskCalendar, rng: Rng): PlantedTraffic {
  const out: PlantedTraffic = { attacks: [], connections: [] };
  scan(estate, calendar, rng.fork('scan'), out);
  crossEnvironment(estate, rng.fork('cross-environment'), out);
  lateralMovement(estate, calendar, rng.fork('lateral'), out);
  exfiltration(estate, rng.fork('exfiltration'), out);
  return out;
}
