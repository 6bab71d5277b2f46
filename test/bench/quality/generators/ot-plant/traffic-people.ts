// What people do, in the day shift only.
// - Engineers go online with PLCs from their workstations a few times a
//   day (some days not at all): ping first, then the line's engineering
//   protocol (S7 on 102, CIP on 44818, UMAS over Modbus 502, CODESYS on
//   11740) for anything from a quick look to an hour of online edits. Each
//   engineer works on a few PLCs of one or two vendors' lines, with one
//   PLC in the middle of an ongoing job: that one sees them on the first
//   working day and again on the replayed day, so the rare use is
//   learnable. They RDP to the lines' operator stations (VNC to embedded
//   panels) and read trends from the historian.
// - Remote administration: corporate IT admins RDP to the DMZ jump hosts;
//   from there, RDP and SSH to the SCADA servers, the historian, the
//   engineering workstations and the SIEM. Each jump host has one regular
//   target too, seen on both sides of the split.
// - Drift: on the replayed day the SIEM team starts polling the Level-3
//   servers over SNMP, a service no one used before the split.
import { DAY, HOUR, MINUTE, SECOND } from './calendar';
import { ICMP, PORT, TCP, UDP } from './catalogue';
import type { Host, Line } from './plant';
import type { Planner } from './planner';
import type { Dice } from './random';

export function peopleTraffic(p: Planner, dice: Dice): void {
  engineering(p, dice.fork('engineering'));
  administration(p, dice.fork('admin'));
  drift(p, dice.fork('drift'));
}

/**
 * The first office window of each side of the split, cut at the split (a
 * window of a zone far from UTC can straddle it), that leaves at least two
 * hours on its side.
 */
function firstWindows(p: Planner): { train: readonly [number, number] | undefined; replay: readonly [number, number] | undefined } {
  const split = p.cal.trainUntilMs;
  const long = (window: readonly [number, number]): boolean => window[1] - window[0] >= 2 * HOUR;
  const train = p.cal.officeWindows.map(([from, to]) => [from, Math.min(to, split)] as const).find(long);
  const replay = p.cal.officeWindows.map(([from, to]) => [Math.max(from, split), to] as const).find(long);
  return { train, replay };
}

function engineering(p: Planner, dice: Dice): void {
  const { plant, cal } = p;
  const { train, replay } = firstWindows(p);
  const vendors = [...new Set(plant.lines.map((line) => line.vendor.key))];
  for (const ews of plant.ews) {
    const d = dice.fork(ews.ip);
    const skills = d.some(vendors, d.between(1, 2));
    const lines = plant.lines.filter((line) => skills.includes(line.vendor.key));
    const working = d.some(lines.flatMap((line) => line.plcs), d.between(3, 6));
    const ongoing = working[0]!;
    const online = (plc: Host, at: number): void => goOnline(p, d, ews, plc, at);
    for (const window of cal.officeWindows) {
      for (let n = d.count(1.4); n > 0; n--) online(d.yes(0.4) ? ongoing : d.one(working), p.inOffice(d, window));
      // RDP to an operator station of a line it works on (VNC to a panel), now and then.
      const stations = lines.flatMap((line) => line.hmis);
      if (stations.length > 0 && d.yes(0.45)) remoteView(p, d, ews, d.one(stations), p.inOffice(d, window));
      if (d.yes(0.35)) trends(p, d, ews, p.inOffice(d, window));
    }
    if (train !== undefined) online(ongoing, p.inOffice(d, train));
    if (replay !== undefined) online(ongoing, p.inOffice(d, replay));
    const station = lines.flatMap((line) => line.hmis)[0];
    if (station !== undefined && train !== undefined && replay !== undefined) {
      remoteView(p, d, ews, station, p.inOffice(d, train));
      remoteView(p, d, ews, station, p.inOffice(d, replay));
    }
  }
}

function goOnline(p: Planner, d: Dice, ews: Host, plc: Host, at: number): void {
  const line = plc.line as Line;
  if (d.yes(0.6)) {
    p.short(d, { client: ews, server: plc, proto: ICMP, port: 8 << 8, at: at - d.real(5, 40) * SECOND, durationMs: 3 * SECOND + d.real(0, 30), up: [4, 240], down: [4, 240], clientPort: 0 });
  }
  // A look (minutes) or online work (up to an hour and a half); a download now and then makes it heavy.
  const minutes = d.yes(0.5) ? d.real(2, 12) : d.real(15, 90);
  const download = d.yes(0.25) ? d.between(200_000, 4_000_000) : 0;
  const pps = d.real(2, 8);
  const seconds = minutes * 60;
  const up = Math.round(pps * seconds);
  p.short(d, {
    client: ews,
    server: plc,
    proto: TCP,
    port: line.vendor.engineeringPort,
    at,
    durationMs: seconds * SECOND,
    up: [up + Math.ceil(download / 1400), up * d.between(110, 170) + download],
    down: [up + Math.ceil(download / 2800), up * d.between(200, 600)],
    replyTos: line.vendor.tos.poll,
  });
}

function remoteView(p: Planner, d: Dice, client: Host, station: Host, at: number): void {
  const minutes = d.real(4, 40);
  const panel = station.role === 'panel';
  const packets = Math.round(minutes * 60 * d.real(6, 14));
  p.short(
    d,
    {
      client,
      server: station,
      proto: TCP,
      port: panel ? PORT.vnc : PORT.rdp,
      at,
      durationMs: minutes * MINUTE,
      up: [packets, packets * d.between(70, 110)],
      down: [Math.round(packets * 1.3), Math.round(packets * 1.3 * d.between(300, 800))],
    },
    true,
  );
}

function trends(p: Planner, d: Dice, ews: Host, at: number): void {
  const { plant } = p;
  // PI ProcessBook/PI Vision clients talk to the Data Archive; AVEVA's trend client reads the historian's SQL Server.
  const port = plant.historianProduct === 'pi' ? PORT.historianPi : 1433;
  const minutes = d.real(3, 30);
  p.short(d, { client: ews, server: plant.historian, proto: TCP, port, at, durationMs: minutes * MINUTE, up: [Math.round(minutes * 30), Math.round(minutes * 30 * 180)], down: [Math.round(minutes * 40), Math.round(minutes * 40 * 1100)] });
}

function administration(p: Planner, dice: Dice): void {
  const { plant, cal } = p;
  const { train, replay } = firstWindows(p);
  const session = (d: Dice, client: Host, server: Host, port: number, at: number): void => {
    const minutes = port === PORT.ssh ? d.real(2, 30) : d.real(8, 100);
    const packets = Math.round(minutes * 60 * (port === PORT.ssh ? d.real(1, 4) : d.real(6, 14)));
    p.short(d, { client, server, proto: TCP, port, at, durationMs: minutes * MINUTE, up: [packets, packets * d.between(70, 120)], down: [Math.round(packets * 1.2), Math.round(packets * 1.2 * (port === PORT.ssh ? d.between(90, 200) : d.between(300, 800)))] }, true);
  };
  // Corporate IT reaches the plant only through the jump hosts.
  for (const admin of plant.itAdmins) {
    const d = dice.fork(admin.ip);
    for (const window of cal.officeWindows) for (let n = d.count(0.8); n > 0; n--) session(d, admin, d.one(plant.jumps), PORT.rdp, p.inOffice(d, window));
    if (train !== undefined) session(d, admin, plant.jumps[0]!, PORT.rdp, p.inOffice(d, train));
    if (replay !== undefined) session(d, admin, plant.jumps[0]!, PORT.rdp, p.inOffice(d, replay));
  }
  const targets: readonly (readonly [Host, number])[] = [
    ...plant.scada.flatMap((host) => [[host, PORT.rdp], [host, PORT.ssh]] as const),
    [plant.historian, PORT.rdp],
    [plant.historian, PORT.ssh],
    ...plant.ews.map((host) => [host, PORT.rdp] as const),
    [plant.siem, PORT.ssh],
    [plant.opc, PORT.rdp],
  ];
  plant.jumps.forEach((jump, i) => {
    const d = dice.fork(jump.ip);
    const regular = targets[(i * 3 + d.between(0, 2)) % targets.length]!;
    for (const window of cal.officeWindows) for (let n = d.count(1.5); n > 0; n--) {
      const [target, port] = d.one(targets);
      session(d, jump, target, port, p.inOffice(d, window, 40 * MINUTE));
    }
    if (train !== undefined) session(d, jump, regular[0], regular[1], p.inOffice(d, train, 40 * MINUTE));
    if (replay !== undefined) session(d, jump, regular[0], regular[1], p.inOffice(d, replay, 40 * MINUTE));
  });
}

function drift(p: Planner, dice: Dice): void {
  const { plant, cal } = p;
  const { replay } = firstWindows(p);
  const from = replay !== undefined ? replay[0] + Math.min(3 * HOUR, (replay[1] - replay[0]) / 2) : cal.trainUntilMs + 10 * HOUR;
  const targets = [...plant.scada, plant.historian, plant.opc];
  const port = dice.between(32768, 60999);
  for (const target of targets) {
    const d = dice.fork(target.ip);
    for (const at of p.every(d, 5 * MINUTE, 0.01, from, Math.min(cal.endMs, from + DAY))) {
      p.short(d, { client: plant.siem, server: target, proto: UDP, port: PORT.snmp, at, durationMs: d.real(20, 400), up: [d.between(2, 6), d.between(250, 700)], down: [d.between(2, 6), d.between(400, 1800)], clientPort: port });
    }
  }
}
