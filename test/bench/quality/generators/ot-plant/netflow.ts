// NetFlow as the exporters emit it. NetFlow is unidirectional: every
// connection is a request record (client → server) and a reply record
// (server → client, sp = the server's port), each from the exporter that
// watches its sender's port, plus the firewall's copy when it crosses the
// firewall. A flow stays in an exporter's cache until it ends (TCP FIN or
// RST), goes idle (inactive timeout, 15 s) or has lived the active timeout:
// then a record is exported and the next packets open a new entry. So a
// PLC poll session that lasts for days is one record per direction every
// active timeout, with the same ephemeral port for days and, past the
// first, no SYN; sessions already open when the capture began show no SYN
// at all, and the records in the cache when it stopped were never sent.
// A short connection is one record per direction with SYN and FIN.
import { ICMP, TCP, type Proto } from './catalogue';
import { ACK, FIN, headerBytes, PSH, RST, SYN, type Conn, type Volume } from './connection';
import type { Exporters, Observation } from './exporters';
import type { Host } from './plant';
import type { Dice } from './random';

export interface FlowRecord {
  readonly tsMs: number;
  readonly teMs: number;
  /** When the collector received it (nfdump's `tr`), which also decides its file. */
  readonly trMs: number;
  readonly sa: string;
  readonly da: string;
  readonly sp: number;
  readonly dp: number;
  readonly proto: Proto;
  readonly flags: number;
  readonly tos: number;
  readonly packets: number;
  readonly bytes: number;
  readonly inIf: number;
  readonly outIf: number;
  readonly ra: string;
  readonly exid: number;
}

interface Direction {
  readonly src: Host;
  readonly dst: Host | null;
  readonly sa: string;
  readonly da: string;
  readonly sp: number;
  readonly dp: number;
  readonly proto: Proto;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly volume: Volume;
  readonly tos: number;
  /** Flags of the first record (handshake), of the records between, of the last (teardown); one record that holds it all has both ends'. */
  readonly flags: { readonly first: number; readonly middle: number; readonly last: number };
  /** Exported soon after its last packet (FIN/RST seen) rather than after the inactive timeout. */
  readonly endsClosed: boolean;
}

export class NetFlow {
  readonly records: FlowRecord[] = [];

  constructor(
    private readonly exporters: Exporters,
    private readonly startMs: number,
    private readonly endMs: number,
    private readonly oneWay: boolean,
    private readonly dice: Dice,
  ) {}

  add(conn: Conn): void {
    for (const direction of this.directions(conn)) {
      for (const seen of this.exporters.of(direction.src, direction.dst)) this.split(direction, seen);
    }
  }

  private directions(c: Conn): Direction[] {
    const out: Direction[] = [];
    const tcp = c.proto === TCP;
    const rtt = c.server === null ? 0 : c.server.place === 'internet' ? this.dice.real(18, 90) : c.client.place !== c.server.place ? this.dice.real(0.6, 4) : this.dice.real(0.2, 1.5);
    const teardown = c.close === 'fin' ? FIN : c.close === 'rst' ? RST : 0;
    const dataFlag = (v: Volume): number => (v.acksOnly === true || averageSize(v) <= headerBytes(c.proto) ? 0 : PSH);
    const upBase = ACK | dataFlag(c.up);
    const lastMs = Math.min(c.endMs, this.endMs + 2 * 3_600_000);
    if (tcp && c.answer !== 'yes') {
      // A refused or unanswered SYN (Windows tries three times either way), or a scan's own flag set.
      const flags = c.upFlags ?? SYN;
      out.push(this.direction(c.client, c.server, c.client.ip, c.serverIp, c.clientPort, c.serverPort, c, c.startMs, c.endMs, c.up, c.tos, { first: flags, middle: flags, last: flags }, c.answer === 'rst'));
    } else {
      const open = tcp ? (c.upFlags ?? SYN | upBase) : 0;
      const close = tcp ? (c.upFlags ?? upBase | teardown) : 0;
      out.push(this.direction(c.client, c.server, c.client.ip, c.serverIp, c.clientPort, c.serverPort, c, c.startMs, lastMs, c.up, c.tos, { first: open, middle: tcp ? upBase : 0, last: close }, tcp && c.close !== 'open'));
    }
    if (this.oneWay || c.server === null || c.down === null || c.answer === 'none') return out;
    const replyFirst = c.startMs + rtt;
    if (c.answer === 'rst') {
      const flags = c.downFlags ?? ACK | RST;
      out.push(this.direction(c.server, c.client, c.serverIp, c.client.ip, c.serverPort, c.clientPort, c, replyFirst, Math.max(replyFirst, c.endMs), c.down, c.replyTos, { first: flags, middle: flags, last: flags }, true));
      return out;
    }
    const downBase = ACK | dataFlag(c.down);
    const replyPort = c.proto === ICMP ? replyType(c.serverPort >> 8) << 8 : c.clientPort;
    const open = tcp ? (c.downFlags ?? SYN | downBase) : 0;
    const close = tcp ? (c.downFlags ?? downBase | teardown) : 0;
    out.push(
      this.direction(c.server, c.client, c.serverIp, c.client.ip, c.proto === ICMP ? 0 : c.serverPort, replyPort, c, replyFirst, Math.max(replyFirst, lastMs - rtt), c.down, c.replyTos, { first: open, middle: tcp ? downBase : 0, last: close }, tcp && c.close !== 'open'),
    );
    return out;
  }

  private direction(src: Host, dst: Host | null, sa: string, da: string, sp: number, dp: number, c: Conn, firstMs: number, lastMs: number, volume: Volume, tos: number, flags: Direction['flags'], endsClosed: boolean): Direction {
    return { src, dst, sa, da, sp: c.proto === ICMP && src === c.client ? 0 : sp, dp, proto: c.proto, firstMs, lastMs, volume, tos, flags, endsClosed };
  }

  /** The records one exporter emits for one direction. */
  private split(d: Direction, seen: Observation): void {
    const { activeMs, inactiveMs, ip, exid } = seen.exporter;
    const dice = this.dice;
    const gap = 'pps' in d.volume ? Math.min(1000 / d.volume.pps, 2000) : 50;
    let t = d.firstMs;
    let first = true;
    // A session open long before the capture: the entry in the cache when it began started some time in the last active timeout.
    if (t < this.startMs - activeMs) {
      t = this.startMs - dice.real(0, activeMs);
      first = false;
    }
    const span = Math.max(1, d.lastMs - d.firstMs);
    for (;;) {
      if (t > this.endMs) return;
      // The cache is scanned every few seconds: a flow expires a little after its active timeout.
      const expiry = t + activeMs + dice.real(0, 4000);
      const last = expiry >= d.lastMs;
      const te = last ? Math.max(t, d.lastMs) : expiry - dice.real(0, gap);
      const flags = first && last ? d.flags.first | d.flags.last : first ? d.flags.first : last ? d.flags.last : d.flags.middle;
      const { packets, bytes } = this.counts(d, t, te, span, first, last);
      const trMs = last ? te + (d.endsClosed ? dice.real(300, 4000) : inactiveMs + dice.real(0, 4000)) : expiry + dice.real(20, 1500);
      this.records.push({ tsMs: Math.round(t), teMs: Math.round(te), trMs: Math.round(trMs), sa: d.sa, da: d.da, sp: d.sp, dp: d.dp, proto: d.proto, flags, tos: d.tos, packets, bytes, inIf: seen.inIf, outIf: seen.outIf, ra: ip, exid });
      if (last) return;
      t = expiry + dice.real(1, gap);
      first = false;
    }
  }

  private counts(d: Direction, from: number, to: number, span: number, first: boolean, last: boolean): { packets: number; bytes: number } {
    const header = headerBytes(d.proto);
    const extra = d.proto === TCP ? (first ? 1 : 0) + (last && d.endsClosed ? 1 : 0) : 0;
    if ('pps' in d.volume) {
      const packets = Math.max(1, Math.round((d.volume.pps * (to - from)) / 1000 * this.dice.real(0.985, 1.015))) + extra;
      const bytes = Math.round(packets * d.volume.size * this.dice.real(0.97, 1.03));
      return { packets, bytes: Math.max(bytes, packets * header) };
    }
    if (first && last) return { packets: d.volume.packets, bytes: Math.max(d.volume.bytes, d.volume.packets * header) };
    const share = Math.max(0, to - from) / span;
    const packets = Math.max(1, Math.round(d.volume.packets * share)) + extra;
    return { packets, bytes: Math.max(Math.round(d.volume.bytes * share), packets * header) };
  }
}

function averageSize(v: Volume): number {
  return 'pps' in v ? v.size : v.bytes / Math.max(1, v.packets);
}

/** The reply type of an ICMP request type (echo 8 → 0, timestamp 13 → 14). */
function replyType(request: number): number {
  return request === 8 ? 0 : request === 13 ? 14 : request + 1;
}
