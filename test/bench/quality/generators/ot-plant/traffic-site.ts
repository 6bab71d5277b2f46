// Level 3 and the DMZ among themselves, and the plant's few ties outside.
// - The domain controllers replicate with each other (RPC endpoint mapper,
//   then the replication service's dynamic port; LDAP, Kerberos), ask each
//   other for names, forward the rest to the enterprise's DNS, and take time: the PDC emulator from the NTP
//   appliance, the other DC from the PDC.
// - The historian collects from the SCADA servers (PI: their PI interfaces
//   push to the Data Archive on 5450; AVEVA: the historian reads them over
//   SuiteLink 5413) and subscribes to the OPC UA server (4840). Its DMZ
//   mirror replicates it (PI-to-PI pulls from the DMZ over 5450; AVEVA's
//   tier-2 replication is pushed to the mirror on 32568). Business users in
//   the enterprise read the mirror over HTTPS in office hours.
// - The standby SCADA server keeps a redundancy session to the primary.
// - Servers ship their logs to the SIEM over syslog (UDP 514): a steady
//   stream from the Windows servers' agents and the firewall, a few messages
//   an hour from appliances. The firewall also exports its NetFlow to the
//   SIEM's nfcapd (UDP 2055), which the core switch records like any other
//   traffic. Linux boxes and appliances take time from the NTP appliance.
// - WSUS synchronises daily from the corporate WSUS and downloads content
//   from Microsoft Update; the antivirus server fetches patterns from its
//   vendor's cloud.
import { HOUR, MINUTE, SECOND } from './calendar';
import { PORT, TCP, UDP } from './catalogue';
import type { Host } from './plant';
import type { Planner } from './planner';
import type { Dice } from './random';

export function siteTraffic(p: Planner, dice: Dice): void {
  domainControllers(p, dice.fork('dcs'));
  historian(p, dice.fork('historian'));
  redundancy(p, dice.fork('redundancy'));
  logging(p, dice.fork('logging'));
  updates(p, dice.fork('updates'));
}

function domainControllers(p: Planner, dice: Dice): void {
  const { plant } = p;
  const [pdc, second] = plant.dcs as [Host, Host];
  for (const [a, b] of [[pdc, second], [second, pdc]] as const) {
    const d = dice.fork(a.ip);
    for (const at of p.every(d, d.real(20, 40) * MINUTE, 0.4)) {
      p.short(d, { client: a, server: b, proto: TCP, port: PORT.rpc, at, durationMs: d.real(3, 15), up: [4, d.between(380, 420)], down: [3, d.between(300, 340)] });
      p.short(d, { client: a, server: b, proto: TCP, port: plant.dcRpcPorts.get(b)![0]!, at: at + d.real(10, 60), durationMs: d.real(0.05, 2) * SECOND, up: [d.between(8, 30), d.between(2500, 12000)], down: [d.between(8, 40), d.between(3000, 40000)] });
      if (d.yes(0.5)) p.short(d, { client: a, server: b, proto: TCP, port: PORT.ldap, at: at + d.real(100, 900), durationMs: d.real(0.1, 1) * SECOND, up: [8, d.between(1500, 3000)], down: [8, d.between(2000, 9000)] });
      if (d.yes(0.3)) p.short(d, { client: a, server: b, proto: TCP, port: PORT.kerberos, at: at - d.real(100, 300), durationMs: d.real(8, 40), up: [5, d.between(1500, 2000)], down: [4, d.between(1500, 2400)] });
    }
    // Names outside the domain go to the enterprise's DNS servers (the DCs' forwarders), through the firewall.
    for (const at of p.arrivals(d, p.cal.startMs - HOUR, p.cal.endMs, () => d.real(1, 4))) p.short(d, { client: a, server: d.one(plant.corpDns), proto: UDP, port: PORT.dns, at, durationMs: d.real(2, 40), up: [1, d.between(70, 100)], down: [1, d.between(90, 400)] });
    // Each DC's resolver points at the other first.
    for (const at of p.arrivals(d, p.cal.startMs, p.cal.endMs, () => 3)) p.short(d, { client: a, server: b, proto: UDP, port: PORT.dns, at, durationMs: d.real(0.3, 5), up: [1, d.between(62, 96)], down: [1, d.between(92, 290)] });
  }
  const d = dice.fork('time');
  for (const at of p.every(d, 1024 * SECOND, 0.02)) p.short(d, { client: pdc, server: plant.ntp, proto: UDP, port: PORT.ntp, at, durationMs: d.real(0, 2), up: [1, 76], down: [1, 76], clientPort: PORT.ntp });
  for (const at of p.every(d, 3600 * SECOND, 0.02)) p.short(d, { client: second, server: pdc, proto: UDP, port: PORT.ntp, at, durationMs: d.real(0, 2), up: [1, 76], down: [1, 76], clientPort: PORT.ntp });
}

function historian(p: Planner, dice: Dice): void {
  const { plant, cal } = p;
  const long = (client: Host, server: Host, port: number, up: [number, number], down: [number, number], d: Dice): void =>
    p.session(d, { client, server, proto: TCP, port, up: { pps: up[0], size: up[1] }, down: { pps: down[0], size: down[1] }, meanLifeMs: d.real(5, 20) * 24 * HOUR });
  for (const scada of plant.scada) {
    const d = dice.fork(scada.ip);
    if (plant.historianProduct === 'pi') long(scada, plant.historian, PORT.historianPi, [d.real(2, 6), d.near(900, 0.3)], [d.real(1, 3), d.near(90, 0.2)], d);
    else long(plant.historian, scada, PORT.suiteLink, [d.real(0.5, 1.5), d.near(110, 0.2)], [d.real(2, 6), d.near(700, 0.3)], d);
  }
  long(plant.historian, plant.opc, PORT.opcUa, [dice.real(1, 2), dice.near(130, 0.2)], [dice.real(1, 2), dice.near(900, 0.3)], dice.fork('opc'));
  if (plant.historianProduct === 'pi') long(plant.mirror, plant.historian, PORT.historianPi, [dice.real(0.5, 1.5), dice.near(220, 0.2)], [dice.real(2, 4), dice.near(1100, 0.2)], dice.fork('mirror'));
  else long(plant.historian, plant.mirror, PORT.avevaReplication, [dice.real(2, 4), dice.near(1150, 0.2)], [dice.real(1, 2), dice.near(60, 0.1)], dice.fork('mirror'));

  // Business users: trends and reports in office hours, each a few keep-alive HTTPS connections.
  for (const user of plant.business) {
    const d = dice.fork(user.ip);
    const rate = d.real(0.8, 3);
    const busy = (ms: number): number => (cal.officeWindows.some(([from, to]) => ms >= from && ms < to) ? rate : 0);
    for (const at of p.arrivals(d, cal.startMs, cal.endMs, busy)) {
      p.short(d, { client: user, server: plant.mirror, proto: TCP, port: PORT.https, at, durationMs: d.real(2, 120) * SECOND, up: [d.between(10, 40), d.between(2500, 9000)], down: [d.between(12, 90), d.between(12000, 240000)] });
    }
  }
}

function redundancy(p: Planner, dice: Dice): void {
  const [primary, standby] = p.plant.scada as [Host, Host];
  const port = p.plant.scadaProduct === 'ignition' ? PORT.ignitionGan : PORT.winccOaRedu;
  p.session(dice, { client: standby, server: primary, proto: TCP, port, up: { pps: dice.real(2, 6), size: dice.near(180, 0.2) }, down: { pps: dice.real(4, 12), size: dice.near(620, 0.3) }, meanLifeMs: dice.real(5, 15) * 24 * HOUR });
}

function logging(p: Planner, dice: Dice): void {
  const { plant, cal } = p;
  const agents = [...plant.dcs, ...plant.scada, plant.historian, plant.opc, plant.mirror, plant.wsus, plant.av, ...plant.jumps];
  for (const host of agents) {
    const d = dice.fork(`syslog-${host.ip}`);
    p.stream(d, host, plant.siem, PORT.syslog, { pps: d.real(0.3, 2.5), size: d.near(330, 0.2) });
  }
  const d = dice.fork('appliances');
  // The firewall's traffic and threat logs, and its NetFlow export, both to the SIEM.
  p.stream(d, plant.firewall, plant.siem, PORT.syslog, { pps: d.real(15, 40), size: d.near(520, 0.15) });
  p.stream(d, plant.firewall, plant.siem, PORT.netflow, { pps: d.real(1.5, 4), size: d.near(1380, 0.05) });
  for (const host of [...plant.ups, plant.ntp]) {
    const e = dice.fork(`sparse-${host.ip}`);
    for (const at of p.arrivals(e, cal.startMs - HOUR, cal.endMs, () => e.real(0.5, 3))) {
      p.short(e, { client: host, server: plant.siem, proto: UDP, port: PORT.syslog, at, durationMs: 0, up: [1, e.between(160, 340)], down: null, clientPort: 514 });
    }
  }
  // Time for Linux boxes and appliances; the SIEM's resolver (reverse lookups of log sources) asks the DCs.
  for (const host of [plant.siem, plant.firewall, ...plant.ups]) {
    const e = dice.fork(`ntp-${host.ip}`);
    const period = (host.role === 'ups' ? 3600 : 1024) * SECOND;
    for (const at of p.every(e, period, 0.02)) p.short(e, { client: host, server: plant.ntp, proto: UDP, port: PORT.ntp, at, durationMs: e.real(0, 2), up: [1, 76], down: [1, 76], ...(host.role === 'ups' ? {} : { clientPort: PORT.ntp }) });
  }
  const e = dice.fork('siem-dns');
  for (const at of p.arrivals(e, cal.startMs - HOUR, cal.endMs, () => 8)) p.short(e, { client: plant.siem, server: e.yes(0.9) ? plant.dcs[0]! : plant.dcs[1]!, proto: UDP, port: PORT.dns, at, durationMs: e.real(0.3, 5), up: [1, e.between(70, 90)], down: [1, e.between(100, 180)] });
  // The firewall re-resolves its FQDN address objects every 30 minutes.
  for (const at of p.every(e, 30 * MINUTE, 0.01)) for (let n = 0; n < 3; n++) p.short(e, { client: plant.firewall, server: plant.dcs[n % 2]!, proto: UDP, port: PORT.dns, at: at + n * 15, durationMs: e.real(0.3, 4), up: [1, e.between(60, 80)], down: [1, e.between(90, 200)] });
}

function updates(p: Planner, dice: Dice): void {
  const { plant, cal } = p;
  // Daily WSUS synchronisation (at 03:00 local): metadata from the corporate upstream, content from Microsoft.
  for (let day = cal.startMs - 24 * HOUR; day < cal.endMs; day += 24 * HOUR) {
    const d = dice.fork(`wsus-${day}`);
    const localThree = day + ((((3 * 60 - cal.offsetMin) % 1440) + 1440) % 1440) * MINUTE + d.real(0, 10) * MINUTE;
    for (let n = d.between(3, 6), t = localThree; n > 0; n--, t += d.real(5, 60) * SECOND) {
      p.short(d, { client: plant.wsus, server: plant.corpWsus, proto: TCP, port: PORT.wsus, at: t, durationMs: d.real(1, 40) * SECOND, up: [d.between(20, 80), d.between(8000, 40000)], down: [d.between(40, 900), d.between(50000, 1200000)] });
    }
    for (let n = d.between(1, 4), t = localThree + 10 * MINUTE; n > 0; n--, t += d.real(20, 200) * SECOND) {
      const size = d.between(2_000_000, 60_000_000);
      p.short(d, { client: plant.wsus, server: d.one(plant.msUpdate), proto: TCP, port: PORT.https, at: t, durationMs: (size / 4_000_000) * SECOND + 2000, up: [Math.ceil(size / 2920) + 2, Math.ceil(size / 2920) * 40 + 900], down: [Math.ceil(size / 1460), size] });
    }
  }
  const d = dice.fork('av-cloud');
  for (const at of p.every(d, HOUR, 0.1)) {
    const big = d.yes(0.08);
    const size = big ? d.between(5_000_000, 40_000_000) : d.between(4000, 20000);
    p.short(d, { client: plant.av, server: d.one(plant.avCloud), proto: TCP, port: PORT.https, at, durationMs: big ? (size / 3_000_000) * SECOND : d.real(0.2, 2) * SECOND, up: [Math.max(8, Math.ceil(size / 2920) + 2), Math.max(1800, Math.ceil(size / 2920) * 40 + 900)], down: [Math.max(8, Math.ceil(size / 1460)), size] });
  }
}
