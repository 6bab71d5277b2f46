// What every Windows machine of the domain does whatever its job: the
// plant's operator stations, SCADA and historian servers, engineering
// workstations, the OPC server and the DMZ's Windows servers (members of the
// OT domain, so their domain traffic crosses the firewall).
// - DNS to its preferred domain controller (now and then the other one),
//   each query from a new source port; very rarely over TCP.
// - Group Policy refresh every 90 minutes plus a random offset: the DC
//   locator's CLDAP ping, LDAP, Kerberos, SMB to SYSVOL and, half the time,
//   RPC: the endpoint mapper (135) and then the service's dynamic port,
//   which each DC registered at boot.
// - Time from its DC (w32time, NT5DS), from port 123.
// - An operator logs on at each shift change, an engineer at the start of
//   the day: Kerberos, LDAP, SMB, DNS in a burst.
// - WSUS detection about every 22 hours; the antivirus agent's heartbeat
//   every hour and a pattern download a day (ePO also wakes its agents up on
//   their port 8081 once a day).
// - NetBIOS browser announcements to the subnet's broadcast address every
//   12 minutes from the workstations (operator stations and engineering
//   workstations): addressed to no one, so no legitimate use.
// - Certificate revocation checks and connectivity probes to the internet,
//   which the IT/OT firewall drops: SYNs that get no answer, a few a day
//   from every machine, to the same handful of endpoints. Not a use the
//   plant wants, so not legitimate either.
import { HOUR, MINUTE, SECOND } from './calendar';
import { PORT, TCP, UDP } from './catalogue';
import type { Host } from './plant';
import type { Planner } from './planner';
import type { Dice } from './random';

export function windowsTraffic(p: Planner, dice: Dice): void {
  const { plant, cal } = p;
  const inOffice = (ms: number): boolean => cal.officeWindows.some(([from, to]) => ms >= from && ms < to);
  const members = plant.hosts.filter((host) => host.domain);
  members.forEach((host, i) => {
    const d = dice.fork(host.ip);
    const preferred = plant.dcs[i % 2]!;
    const other = plant.dcs[(i + 1) % 2]!;
    const locate = (): Host => (d.yes(0.88) ? preferred : other);

    const quiet = d.real(1, 4);
    const dnsRate = host.role === 'ews' ? (ms: number) => (inOffice(ms) ? 16 : 1.5) : () => quiet;
    for (const at of p.arrivals(d, cal.startMs - 10 * MINUTE, cal.endMs, dnsRate)) dns(p, d, host, d.yes(0.97) ? preferred : other, at);

    for (const at of p.every(d, 105 * MINUTE, 0.15)) policyRefresh(p, d, host, locate(), at);

    const timePeriod = d.one([1024, 2048, 3600]) * SECOND;
    for (const at of p.every(d, timePeriod, 0.03)) p.short(d, { client: host, server: preferred, proto: UDP, port: PORT.ntp, at, durationMs: d.real(0, 3), up: [1, 76], down: [1, 76], clientPort: PORT.ntp });

    if (host.role === 'hmi') {
      for (const change of cal.shiftChanges) if (d.yes(0.85)) logon(p, d, host, locate(), change + d.real(-12, 15) * MINUTE);
    }
    if (host.role === 'ews') {
      for (const [from] of cal.officeWindows) if (d.yes(0.9)) logon(p, d, host, locate(), from + d.real(-20, 70) * MINUTE);
    }

    // WSUS: detection every 22 h less a random part of a fifth, each a few connections.
    for (const at of p.every(d, 22 * HOUR * d.real(0.8, 1), 0.05, cal.startMs - 22 * HOUR)) {
      for (let n = d.between(2, 4), t = at; n > 0; n--, t += d.real(1, 20) * SECOND) {
        p.short(d, { client: host, server: plant.wsus, proto: TCP, port: PORT.wsus, at: t, durationMs: d.real(0.3, 6) * SECOND, up: [d.between(12, 30), d.between(4000, 12000)], down: [d.between(12, 45), d.between(8000, 70000)] });
      }
    }
    if (host !== plant.av) antivirus(p, d, host);
    if (host.role === 'hmi' || host.role === 'ews') netbios(p, d, host);
    blockedInternet(p, d, host);
  });
}

function dns(p: Planner, d: Dice, host: Host, dc: Host, at: number): void {
  if (d.yes(0.003)) {
    // A truncated answer retried over TCP.
    p.short(d, { client: host, server: dc, proto: TCP, port: PORT.dns, at, durationMs: d.real(2, 30), up: [6, d.between(380, 460)], down: [5, d.between(700, 1600)] });
    return;
  }
  p.short(d, { client: host, server: dc, proto: UDP, port: PORT.dns, at, durationMs: d.real(0.3, 12), up: [1, d.between(62, 96)], down: [1, d.between(92, 290)] });
}

function policyRefresh(p: Planner, d: Dice, host: Host, dc: Host, at: number): void {
  dns(p, d, host, dc, at);
  dns(p, d, host, dc, at + 40);
  p.short(d, { client: host, server: dc, proto: UDP, port: PORT.ldap, at: at + 120, durationMs: d.real(0.5, 3), up: [1, d.between(205, 245)], down: [1, d.between(180, 260)] });
  for (let n = d.between(1, 2); n > 0; n--) {
    p.short(d, { client: host, server: dc, proto: TCP, port: PORT.ldap, at: at + d.real(300, 2500), durationMs: d.real(0.15, 2.5) * SECOND, up: [d.between(8, 14), d.between(1800, 3600)], down: [d.between(6, 12), d.between(3000, 15000)] });
  }
  p.short(d, { client: host, server: dc, proto: TCP, port: PORT.kerberos, at: at + d.real(200, 600), durationMs: d.real(8, 60), up: [5, d.between(1500, 2100)], down: [4, d.between(1500, 2500)] });
  p.short(d, { client: host, server: dc, proto: TCP, port: PORT.smb, at: at + d.real(800, 3000), durationMs: d.real(0.5, 45) * SECOND, up: [d.between(14, 40), d.between(3000, 9000)], down: [d.between(12, 36), d.between(4500, 26000)] });
  if (d.yes(0.5)) {
    const rpcAt = at + d.real(1500, 4000);
    p.short(d, { client: host, server: dc, proto: TCP, port: PORT.rpc, at: rpcAt, durationMs: d.real(3, 20), up: [4, d.between(370, 430)], down: [3, d.between(290, 350)] });
    const dynamic = p.plant.dcRpcPorts.get(dc)!;
    p.short(d, { client: host, server: dc, proto: TCP, port: dynamic[dynamic.length - 1]!, at: rpcAt + d.real(20, 80), durationMs: d.real(20, 400), up: [d.between(6, 12), d.between(1500, 3200)], down: [d.between(5, 10), d.between(1200, 2600)] });
  }
}

/** An interactive logon: DNS, Kerberos (AS with the pre-authentication round, then TGS), LDAP, SMB for the profile and policy. */
function logon(p: Planner, d: Dice, host: Host, dc: Host, at: number): void {
  for (let n = 0; n < 3; n++) dns(p, d, host, dc, at + n * d.real(10, 200));
  for (let n = 0; n < 3; n++) {
    p.short(d, { client: host, server: dc, proto: TCP, port: PORT.kerberos, at: at + 400 + n * d.real(30, 300), durationMs: d.real(8, 50), up: [5, d.between(1400, 2200)], down: [4, d.between(900, 2600)] });
  }
  p.short(d, { client: host, server: dc, proto: TCP, port: PORT.ldap, at: at + d.real(1200, 3000), durationMs: d.real(0.3, 3) * SECOND, up: [d.between(8, 16), d.between(2000, 4200)], down: [d.between(8, 16), d.between(4000, 22000)] });
  p.short(d, { client: host, server: dc, proto: TCP, port: PORT.smb, at: at + d.real(2000, 6000), durationMs: d.real(2, 90) * SECOND, up: [d.between(20, 60), d.between(4000, 14000)], down: [d.between(20, 80), d.between(9000, 160000)] });
}

function antivirus(p: Planner, d: Dice, host: Host): void {
  const { plant, cal } = p;
  const trend = plant.avProduct === 'trend';
  const port = trend ? PORT.avTrend : PORT.https;
  for (const at of p.every(d, HOUR, 0.1)) {
    p.short(d, { client: host, server: plant.av, proto: TCP, port, at, durationMs: d.real(0.05, 1.5) * SECOND, up: trend ? [6, d.between(900, 1400)] : [12, d.between(3500, 6000)], down: trend ? [5, d.between(700, 1100)] : [10, d.between(4000, 9000)] });
  }
  // The day's pattern (Trend) or DAT (ePO) download, at a random hour.
  for (let day = cal.startMs; day < cal.endMs; day += 24 * HOUR) {
    const size = d.between(400_000, 3_500_000);
    p.short(d, { client: host, server: plant.av, proto: TCP, port, at: day + d.real(0, 24) * HOUR, durationMs: d.real(2, 25) * SECOND, up: [Math.ceil(size / 2900) + 2, Math.ceil(size / 2900) * 40 + 700], down: [Math.ceil(size / 1460), size] });
  }
  if (!trend) {
    // ePO's agent wake-up call: the server connects to the agent.
    for (const window of cal.officeWindows) {
      if (!d.yes(0.8)) continue;
      const at = p.inOffice(d, window);
      p.short(d, { client: plant.av, server: host, proto: TCP, port: PORT.epoAgent, at, durationMs: d.real(0.05, 0.8) * SECOND, up: [7, d.between(700, 1000)], down: [6, d.between(600, 800)] });
    }
  }
}

function netbios(p: Planner, d: Dice, host: Host): void {
  const broadcast = host.line !== null ? host.line.subnet.broadcast : p.plant.siteSubnet.broadcast;
  const announce = (at: number, port: number, packets: number, bytes: number): void =>
    p.addUnlisted({ client: host, server: null, serverIp: broadcast, proto: UDP, clientPort: port, serverPort: port, startMs: at, endMs: at + (packets - 1) * 750, close: 'open', answer: 'none', up: { packets, bytes }, down: null, tos: 0, replyTos: 0 });
  for (const at of p.every(d, 12 * MINUTE, 0.05)) announce(at, PORT.netbiosDatagram, 1, d.between(229, 247));
  for (const at of p.arrivals(d, p.cal.startMs, p.cal.endMs, () => 0.4)) announce(at, PORT.netbiosName, 3, 234);
}

function blockedInternet(p: Planner, d: Dice, host: Host): void {
  const rate = d.real(0.5, 4) / 24;
  for (const at of p.arrivals(d, p.cal.startMs, p.cal.endMs, () => rate)) {
    const target = d.one(p.plant.windowsEndpoints);
    const port = d.yes(0.7) ? 80 : PORT.https;
    p.addUnlisted({ client: host, server: target, serverIp: target.ip, proto: TCP, clientPort: p.ephemeral(host, d), serverPort: port, startMs: at, endMs: at + d.real(2900, 3100), close: 'open', answer: 'none', up: { packets: 3, bytes: 156 }, down: null, tos: 0, replyTos: 0 });
  }
}
