import { applyPacketFlagsHint, applyRefusedSenderHint } from '../../flow/direction-hints';
import { hasPorts, isIcmp } from '../../flow/protocols';
import { Action, type FlowRecord } from '../../flow/record';
import { decimalBytes } from '../byte-lines';
import type { ByteStringCache } from '../byte-strings';
import { plainIpv4, type Ipv4Texts } from '../ipv4-bytes';
import { LATEST_MS } from '../values';
import type { Columns } from './aws-columns';
import { KNOWN_FIELDS } from './aws-layouts';

const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const DASH = 45;
/** Longer layouts (none AWS documents has more than 40 fields) take the general path. */
const MAX_FIELDS = 64;
const ACCEPT = [65, 67, 67, 69, 80, 84];
const REJECT = [82, 69, 74, 69, 67, 84];

/**
 * The AWS parser's fast path for the lines nearly every file consists of:
 * single-space separated fields, IPv4 addresses as plain dotted quads, plain
 * digits for numbers. One pass finds the line's end and its fields together;
 * numbers and addresses are read from the bytes without strings or
 * exceptions. Whatever else a line holds (a header, '-' addresses, IPv6,
 * JSON, a value out of range, an error to report) makes it decline, and the
 * general path (AwsLineParser.parseBytes) reads the line instead: so this
 * path accepts a subset of what the general one accepts, giving exactly the
 * same record, and never rejects anything itself.
 */
export class AwsPlainLines {
  private readonly starts = new Int32Array(MAX_FIELDS);
  private readonly ends = new Int32Array(MAX_FIELDS);
  private bytes: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly strings: ByteStringCache,
    private readonly addresses: Ipv4Texts,
  ) {}

  /**
   * Reads the line starting at `start` into `record` (already reset). Its
   * newline must come before `bound`. Returns the newline's index, or -1
   * when the line is not plain (`record` is then left half filled).
   * `columnsFor` gives the layout the general path would use for a line of
   * that many fields, or null when it has none yet.
   */
  read(bytes: Uint8Array, start: number, bound: number, columnsFor: (count: number) => Columns | null, record: FlowRecord): number {
    const starts = this.starts;
    const ends = this.ends;
    let count = 0;
    let fieldStart = start;
    let i = start;
    for (; ; i++) {
      if (i >= bound) return -1;
      const byte = bytes[i]!;
      // Field bytes are printable: one comparison passes them.
      if (byte > SPACE) continue;
      if (byte === SPACE) {
        // An empty field (doubled or edge spaces) sends the general path to its loose split.
        if (i === fieldStart || count === MAX_FIELDS - 1) return -1;
        starts[count] = fieldStart;
        ends[count] = i;
        count++;
        fieldStart = i + 1;
      } else if (byte === NEWLINE) break;
    }
    const newline = i;
    const lineEnd = newline > start && bytes[newline - 1] === CR ? newline - 1 : newline;
    if (lineEnd <= fieldStart) return -1;
    starts[count] = fieldStart;
    ends[count] = lineEnd;
    count++;
    this.bytes = bytes;

    // Only a line whose first field is a field name can be a header (or, with '{', CloudWatch JSON).
    const first = bytes[start]!;
    if (first === 123 || (first >= 97 && first <= 122 && KNOWN_FIELDS.has(this.strings.get(bytes, starts[0]!, ends[0]!)))) return -1;
    const c = columnsFor(count);
    if (c === null || c.protocol < 0 || c.srcaddr < 0 || c.dstaddr < 0 || this.absent(c.srcaddr)) return -1;

    const src = this.address(this.absent(c.pktSrc) ? c.srcaddr : c.pktSrc);
    const dst = this.address(this.absent(c.pktDst) ? c.dstaddr : c.pktDst);
    if (src === null || dst === null) return -1;
    record.src = src;
    record.dst = dst;
    const proto = this.digits(c.protocol);
    if (proto < 0 || proto > 255) return -1;
    record.proto = proto;
    if (hasPorts(proto)) {
      const srcPort = this.port(c.srcport);
      const dstPort = this.port(c.dstport);
      if (srcPort < -1 || dstPort < -1) return -1;
      record.srcPort = srcPort;
      record.dstPort = dstPort;
    } else if (isIcmp(proto)) {
      record.srcPort = -1;
      record.dstPort = -1;
    }
    const packets = this.counter(c.packets);
    const bytesCount = this.counter(c.bytes);
    if (packets < 0 || bytesCount < 0) return -1;
    record.packets = packets;
    record.bytes = bytesCount;
    if (!this.absent(c.start)) {
      const startMs = this.time(c.start);
      const endMs = this.absent(c.end) ? startMs : this.time(c.end);
      // Out of range, or ending before it starts: the general path says why.
      if (startMs < 0 || endMs < 0 || endMs + 1000 < startMs) return -1;
      record.startMs = startMs;
      record.endMs = endMs;
    }
    if (c.action >= 0) {
      if (this.equals(c.action, ACCEPT)) record.action = Action.allow;
      else if (this.equals(c.action, REJECT)) record.action = Action.deny;
      else if (!this.absent(c.action)) return -1;
    }
    if (proto === 6 && !this.absent(c.tcpFlags)) {
      const bits = this.digits(c.tcpFlags);
      if (bits < 0 || bits > 255) return -1;
      applyPacketFlagsHint(record, bits);
    }
    if (record.action === Action.deny) applyRefusedSenderHint(record);
    if (!this.absent(c.observer)) record.observer = this.strings.get(bytes, starts[c.observer]!, ends[c.observer]!);
    return newline;
  }

  /** A missing column, or the field '-'. Columns are within the line: the layout's count matched. */
  private absent(index: number): boolean {
    return index < 0 || (this.ends[index]! - this.starts[index]! === 1 && this.bytes[this.starts[index]!] === DASH);
  }

  /** Plain decimal digits (at most 15), or -1. */
  private digits(index: number): number {
    return decimalBytes(this.bytes, this.starts[index]!, this.ends[index]!);
  }

  private address(index: number): string | null {
    const start = this.starts[index]!;
    const end = this.ends[index]!;
    const address = plainIpv4(this.bytes, start, end);
    return address < 0 ? null : this.addresses.get(address, this.bytes, start, end);
  }

  /** A port, -1 for a missing column or '-', -2 for anything the general path must judge. */
  private port(index: number): number {
    if (this.absent(index)) return -1;
    const value = this.digits(index);
    return value < 0 || value > 65535 ? -2 : value;
  }

  /** A counter: 0 when missing or '-', -1 for anything the general path must judge. */
  private counter(index: number): number {
    return this.absent(index) ? 0 : this.digits(index);
  }

  /** Epoch seconds as ms within the plausible window, or -1. */
  private time(index: number): number {
    const seconds = this.digits(index);
    return seconds < 0 || seconds * 1000 >= LATEST_MS ? -1 : seconds * 1000;
  }

  private equals(index: number, literal: readonly number[]): boolean {
    const start = this.starts[index]!;
    if (this.ends[index]! - start !== literal.length) return false;
    for (let i = 0; i < literal.length; i++) if (this.bytes[start + i] !== literal[i]) return false;
    return true;
  }
}
