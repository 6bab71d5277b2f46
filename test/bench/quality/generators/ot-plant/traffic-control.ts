// Levels 1–2: what keeps the process running, day and night.
// - Every operator station polls its line's PLCs over long-lived TCP
//   sessions (the first station of a line all of them, the others the part
//   of the line they show); both SCADA servers poll every PLC of the plant
//   (the hot standby keeps its own sessions so it can take over at once);
//   the OPC UA server polls the PLCs of the lines the historian wants at
//   high resolution.
// - Operator stations are sometimes restarted at a shift change (the next
//   operator logs on and the HMI runtime restarts): their sessions close and
//   reopen on new ports.
// - PLCs own their remote I/O: EtherNet/IP class-1 connections (UDP 2222
//   both ways, from 2222 to 2222, at the requested packet interval, marked
//   DSCP 47; a Forward_Open over TCP 44818 when one is re-established), or
//   Modbus/TCP polling of WAGO couplers.
// - Some PLCs interlock with a PLC of the neighbouring line: one reads the
//   other (asymmetric), over a protocol both speak.
// - PLCs and I/O adapters take time from the NTP appliance, nothing else.
import { HOUR, MINUTE, SECOND } from './calendar';
import { PORT, TCP, UDP } from './catalogue';
import type { Host, Line } from './plant';
import type { Planner } from './planner';
import type { Dice } from './random';

export function controlTraffic(p: Planner, dice: Dice): void {
  const { plant, cal } = p;
  for (const line of plant.lines) {
    const v = line.vendor;
    const polledBy = new Map<Host, Host[]>(line.plcs.map((plc) => [plc, []]));
    line.hmis.forEach((hmi, i) => {
      const subset = i === 0 ? line.plcs : dice.some(line.plcs, Math.max(1, Math.round(line.plcs.length * dice.real(0.4, 1))));
      for (const plc of subset) polledBy.get(plc)!.push(hmi);
    });
    for (const hmis of polledBy.values()) if (hmis.length === 0) hmis.push(dice.one(line.hmis));
    const restarts = new Map(line.hmis.map((hmi) => [hmi, cal.shiftChanges.filter(() => dice.yes(line.panels ? 0.03 : 0.12)).map((t) => t + dice.real(-8, 20) * MINUTE)]));
    for (const [plc, hmis] of polledBy) {
      for (const hmi of hmis) {
        // Several reads per screen update (one per data block or tag group).
        const rate = line.panels ? dice.real(0.8, 2.5) : dice.real(1.5, 5);
        p.session(dice.fork(`${hmi.ip}>${plc.ip}`), {
          client: hmi,
          server: plc,
          proto: TCP,
          port: v.pollPort,
          up: { pps: rate * 1.08, size: Math.max(v.request, dice.near(v.request, 0.15)) },
          down: { pps: rate, size: dice.near(v.response, 0.35) },
          meanLifeMs: dice.real(4, 15) * 24 * HOUR,
          restarts: restarts.get(hmi)!,
          replyTos: v.tos.poll,
        });
      }
    }
    for (const scada of plant.scada) {
      for (const plc of line.plcs) {
        const rate = dice.real(1, 3);
        p.session(dice.fork(`${scada.ip}>${plc.ip}`), {
          client: scada,
          server: plc,
          proto: TCP,
          port: v.pollPort,
          up: { pps: rate * 1.05, size: dice.near(v.request * 1.3, 0.15) },
          down: { pps: rate, size: dice.near(v.response * 1.6, 0.3) },
          meanLifeMs: dice.real(6, 20) * 24 * HOUR,
          replyTos: v.tos.poll,
        });
      }
    }
    remoteIo(p, line, dice.fork(`io-${line.key}`));
  }

  // The OPC UA server collects one or two lines for the historian.
  for (const line of dice.some(plant.lines, dice.between(1, 2))) {
    for (const plc of line.plcs) {
      const rate = dice.real(1, 2);
      p.session(dice.fork(`${plant.opc.ip}>${plc.ip}`), {
        client: plant.opc,
        server: plc,
        proto: TCP,
        port: line.vendor.pollPort,
        up: { pps: rate, size: dice.near(line.vendor.request * 1.4, 0.15) },
        down: { pps: rate, size: dice.near(line.vendor.response * 2, 0.3) },
        meanLifeMs: dice.real(6, 20) * 24 * HOUR,
        replyTos: line.vendor.tos.poll,
      });
    }
  }

  interlocks(p, dice.fork('interlocks'));

  // NTP: SNTP from port 123 on most stacks, at the interval set in the line's project (adapters: hourly or less),
  // each exchange its own pair of records (far apart, so the inactive timeout ends each flow).
  for (const line of plant.lines) {
    const plcPeriod = dice.one([1024, 3600, 3600, 7200]) * SECOND;
    const ioPeriod = dice.one([3600, 7200]) * SECOND;
    for (const device of [...line.plcs, ...line.io]) {
      const period = device.role === 'io' ? ioPeriod : plcPeriod;
      const d = dice.fork(`ntp-${device.ip}`);
      const fixedPort = line.vendor.key !== 'modicon';
      for (const at of p.every(d, period * d.real(0.9, 1.1), 0.02)) {
        p.short(d, { client: device, server: plant.ntp, proto: UDP, port: PORT.ntp, at, durationMs: 0, up: [1, 76], down: [1, 76], ...(fixedPort ? { clientPort: PORT.ntp } : {}) });
      }
    }
  }
}

function remoteIo(p: Planner, line: Line, dice: Dice): void {
  const v = line.vendor;
  for (const [plc, adapters] of line.ioOf) {
    for (const adapter of adapters) {
      const d = dice.fork(adapter.ip);
      if (v.io === 'enip') {
        // The requested packet interval, 5–50 ms; the same rate both ways.
        const pps = 1000 / d.one([5, 10, 10, 20, 20, 50]);
        const reconnects = Array.from({ length: d.between(0, 2) }, () => d.real(p.cal.startMs, p.cal.endMs)).sort((a, b) => a - b);
        // Class-1 I/O runs from port 2222 to port 2222 both ways: the PLC (the originator) produces its outputs to the
        // adapter's 2222 and the adapter its inputs to the PLC's 2222, so a policy must let both through; neither
        // direction is a reply to the other, and both are legitimate uses.
        p.allow(adapter, plc, UDP, PORT.enipIo);
        p.session(d, {
          client: plc,
          server: adapter,
          proto: UDP,
          port: PORT.enipIo,
          clientPort: PORT.enipIo,
          up: { pps, size: d.near(86, 0.2) },
          down: { pps, size: d.near(104, 0.25) },
          meanLifeMs: 1000 * 24 * HOUR,
          restarts: reconnects,
          tos: v.tos.io,
          replyTos: v.tos.io,
        });
        // The connection times out, and the PLC re-establishes it with a Forward_Open over explicit messaging.
        for (const at of reconnects) {
          p.short(d, { client: plc, server: adapter, proto: TCP, port: PORT.enip, at: at + d.real(25, 30) * SECOND, durationMs: d.real(20, 400), up: [6, 520], down: [5, 470], clientPort: p.ephemeral(plc, d), tos: v.tos.poll, replyTos: v.tos.poll });
        }
      } else if (v.io === 'modbus') {
        const pps = 1000 / d.one([20, 50, 100]);
        p.session(d, {
          client: plc,
          server: adapter,
          proto: TCP,
          port: PORT.modbus,
          up: { pps: pps * 1.02, size: Math.max(52, d.near(58, 0.1)) },
          down: { pps, size: d.near(72, 0.2) },
          meanLifeMs: d.real(10, 40) * 24 * HOUR,
        });
      }
    }
  }
}

/** Peer-to-peer reads between PLCs of neighbouring lines, over a protocol the reader can speak as a client. */
function interlocks(p: Planner, dice: Dice): void {
  const lines = p.plant.lines;
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!dice.yes(0.65)) continue;
    for (let n = dice.between(1, 2); n > 0; n--) {
      const [a, b] = dice.yes(0.5) ? [lines[i]!, lines[i + 1]!] : [lines[i + 1]!, lines[i]!];
      // Every vendor here can be a Modbus/TCP client; S7 and CIP reads need a PLC of the same family.
      if (b.vendor.family !== 'modbus' && a.vendor.family !== b.vendor.family) continue;
      const reader = dice.one(a.plcs);
      const target = dice.one(b.plcs);
      const rate = 1000 / dice.one([100, 200, 250, 500, 1000]);
      p.session(dice.fork(`${reader.ip}>${target.ip}`), {
        client: reader,
        server: target,
        proto: TCP,
        port: b.vendor.pollPort,
        up: { pps: rate * 1.05, size: Math.max(b.vendor.request, dice.near(b.vendor.request, 0.1)) },
        down: { pps: rate, size: dice.near(b.vendor.request + 30, 0.2) },
        meanLifeMs: dice.real(5, 30) * 24 * HOUR,
        tos: a.vendor.tos.poll,
        replyTos: b.vendor.tos.poll,
      });
    }
  }
}
