import { Action, type FlowRecord } from '../../flow/record';
import { applyPacketFlagsHint, applyRefusedSenderHint } from '../../flow/direction-hints';
import { hasPorts, isIcmp } from '../../flow/protocols';
import { ByteFields } from '../byte-lines';
import { ByteStringCache } from '../byte-strings';
import type { ByteLineParser, LineFormat, LineParser, SniffSample, TabularRowReader, TabularSupport } from '../format';
import { FormatError, RowError } from '../row-error';
import { ArrayFields, DelimitedLine, type FieldView } from '../field-view';
import { checkTimeOrder, counter, epochSeconds, ip, optionalPort, plausibleTime, protocol } from '../values';
import { HEADERLESS_LAYOUTS, KNOWN_FIELDS, isTransitGatewayLayout, normaliseFieldName } from './aws-layouts';
import { columnsOf, type Columns } from './aws-columns';
import { AwsPlainLines } from './aws-plain-line';
import { Ipv4Texts } from '../ipv4-bytes';

/**
 * AWS VPC flow logs (v2–v8, any custom field order) and Transit Gateway flow
 * logs: space-separated, '-' for "not applicable", epoch-second times, an
 * optional header line that may repeat before any record, and CloudWatch's
 * {"message": "…"} wrapper.
 */

/** A number field: plain digits straight from the view, anything else through the checked parser. */
function numberField(fields: FieldView, index: number, parse: (text: string | undefined, field: string) => number, name: string): number {
  const fast = fields.uint(index);
  return fast >= 0 ? fast : parse(fields.text(index), name);
}

const isAbsent = (fields: FieldView, index: number): boolean => index < 0 || index >= fields.count || fields.is(index, '-');

/** Reads one record given the column positions of its layout. */
function readRecord(fields: FieldView, c: Columns, record: FlowRecord): void {
  if (isAbsent(fields, c.srcaddr)) {
    const status = fields.text(c.logStatus);
    if (status === 'NODATA' || status === 'SKIPDATA') {
      throw new RowError('log-status', `${status}: no flow in this capture window`);
    }
  }
  // The packet-level addresses name the real endpoints behind NAT gateways
  // and secondary interface addresses; the interface addresses are the fallback.
  record.src = isAbsent(fields, c.pktSrc) ? ip(fields.text(c.srcaddr), 'srcaddr') : ip(fields.text(c.pktSrc), 'pkt-srcaddr');
  record.dst = isAbsent(fields, c.pktDst) ? ip(fields.text(c.dstaddr), 'dstaddr') : ip(fields.text(c.pktDst), 'pkt-dstaddr');
  // A layout without protocol can never give a row (it is a property of the file, not of this line).
  if (c.protocol < 0) throw new FormatError('this custom flow log format has no protocol field, so no row can become a flow');
  const proto = fields.uint(c.protocol);
  record.proto = proto >= 0 && proto <= 255 ? proto : protocol(fields.text(c.protocol), 'protocol');
  if (hasPorts(record.proto)) {
    const sport = fields.uint(c.srcport);
    const dport = fields.uint(c.dstport);
    record.srcPort = sport >= 0 && sport <= 65535 ? sport : optionalPort(fields.text(c.srcport), 'srcport');
    record.dstPort = dport >= 0 && dport <= 65535 ? dport : optionalPort(fields.text(c.dstport), 'dstport');
  } else if (isIcmp(record.proto)) {
    // AWS does not carry the ICMP type or code; its ports are always 0.
    record.srcPort = -1;
    record.dstPort = -1;
  }
  record.packets = numberField(fields, c.packets, counter, 'packets');
  record.bytes = numberField(fields, c.bytes, counter, 'bytes');
  if (!isAbsent(fields, c.start)) {
    const start = fields.uint(c.start);
    record.startMs = start >= 0 ? plausibleTime(start * 1000, 'start', start) : epochSeconds(fields.text(c.start), 'start');
    if (isAbsent(fields, c.end)) record.endMs = record.startMs;
    else {
      const end = fields.uint(c.end);
      record.endMs = end >= 0 ? plausibleTime(end * 1000, 'end', end) : epochSeconds(fields.text(c.end), 'end');
    }
    checkTimeOrder(record.startMs, record.endMs, 'end');
  }
  if (fields.is(c.action, 'ACCEPT')) record.action = Action.allow;
  else if (fields.is(c.action, 'REJECT')) record.action = Action.deny;
  else if (!isAbsent(fields, c.action)) throw new RowError('action', 'expected ACCEPT, REJECT or -', fields.text(c.action));
  if (record.proto === 6 && !isAbsent(fields, c.tcpFlags)) {
    const bits = fields.uint(c.tcpFlags);
    if (bits < 0 || bits > 255) throw new RowError('tcp-flags', 'not a flag bitmask', fields.text(c.tcpFlags));
    applyPacketFlagsHint(record, bits);
  }
  if (record.action === Action.deny) applyRefusedSenderHint(record);
  if (!isAbsent(fields, c.observer)) record.observer = fields.text(c.observer)!;
}

function isHeader(tokens: readonly string[]): boolean {
  let known = 0;
  for (const token of tokens) if (KNOWN_FIELDS.has(token)) known++;
  return known >= Math.max(2, tokens.length - 1) && tokens.includes('srcaddr');
}

/** Unwraps CloudWatch/Firehose's {"message": "…"} lines. */
function unwrap(line: string): string {
  if (line.charCodeAt(0) !== 123 /* { */) return line;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new RowError('message', 'line starts with { but is not JSON');
  }
  const message = (value as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') throw new RowError('message', 'JSON line without a "message" string');
  return message;
}

const SPACE = ' ';
const SPACE_BYTE = 32;
const utf8 = new TextDecoder('utf-8');

/**
 * One parser for a file, over text lines or raw bytes: both paths read the
 * same FieldView through the same header state and readRecord, so they
 * accept exactly the same rows.
 */
class AwsLineParser implements LineParser, ByteLineParser {
  private header: Columns | null = null;
  private readonly headerless = new Map<number, Columns>();
  private readonly line = new DelimitedLine();
  private readonly strings = new ByteStringCache();
  private readonly bytes = new ByteFields(this.strings);
  private readonly plain = new AwsPlainLines(this.strings, new Ipv4Texts());
  private readonly loose = new ArrayFields();
  /** The layout of a line of `count` fields, when the general path has settled on one (see columnsFor). */
  private readonly settledColumns = (count: number): Columns | null =>
    this.header !== null ? (this.header.count === count ? this.header : null) : (this.headerless.get(count) ?? null);

  parseLine(rawLine: string, _lineNo: number, record: FlowRecord): boolean {
    const text = rawLine.charCodeAt(0) === 123 /* { */ ? unwrap(rawLine) : rawLine;
    this.line.set(text, SPACE);
    // AWS separates fields by single spaces; anything looser takes the slow path.
    if (this.line.hasEmptyField() || (this.line.count === 1 && text.includes('\t'))) return this.parseLoose(text, record);
    return this.parseFields(this.line, record);
  }

  parseBytes(buffer: Uint8Array, start: number, end: number, lineNo: number, record: FlowRecord): boolean {
    if (buffer[start] === 123 /* { */) return this.parseLine(utf8.decode(buffer.subarray(start, end)), lineNo, record);
    this.bytes.set(buffer, start, end, SPACE_BYTE);
    if (this.bytes.hasEmptyField() || this.bytes.count === 1) return this.parseLoose(utf8.decode(buffer.subarray(start, end)), record);
    return this.parseFields(this.bytes, record);
  }

  parsePlainLine(buffer: Uint8Array, start: number, bound: number, record: FlowRecord): number {
    return this.plain.read(buffer, start, bound, this.settledColumns, record);
  }

  private parseLoose(text: string, record: FlowRecord): boolean {
    const trimmed = text.trim();
    if (trimmed.length === 0) return false;
    return this.parseFields(this.loose.reset(trimmed.split(/\s+/)), record);
  }

  private parseFields(fields: FieldView, record: FlowRecord): boolean {
    // Records start with a version number or an id; only a line starting
    // with a field name can be a header, so most lines skip the check.
    if (!fields.is(0, '-') && fields.uint(0) < 0 && KNOWN_FIELDS.has(fields.text(0)!)) {
      const tokens: string[] = [];
      for (let i = 0; i < fields.count; i++) tokens.push(fields.text(i)!);
      if (isHeader(tokens)) {
        this.header = columnsOf(tokens.map(normaliseFieldName));
        return false;
      }
    }
    readRecord(fields, this.columnsFor(fields.count), record);
    return true;
  }

  private columnsFor(count: number): Columns {
    if (this.header !== null) {
      if (this.header.count !== count) {
        throw new RowError('', `row has ${count} fields but the header names ${this.header.count}`);
      }
      return this.header;
    }
    let columns = this.headerless.get(count);
    if (columns === undefined) {
      const layout = HEADERLESS_LAYOUTS.get(count);
      if (layout === undefined) {
        throw new RowError('', `no header line and ${count} fields match no known layout (6, 14, 17, 21, 29, 36, 39 or 40)`);
      }
      columns = columnsOf(layout);
      this.headerless.set(count, columns);
    }
    return columns;
  }
}

/** Tokens of the first data line, for sniffing. */
function firstTokens(sample: SniffSample): { header: string[] | null; row: string[] | null } {
  let header: string[] | null = null;
  for (const raw of sample.lines) {
    let line = raw;
    if (line.startsWith('{')) {
      try {
        const message = (JSON.parse(line) as { message?: unknown }).message;
        if (typeof message !== 'string') return { header, row: null };
        line = message;
      } catch {
        return { header, row: null };
      }
    }
    const tokens = line.trim().split(/\s+/);
    if (isHeader(tokens)) {
      header = tokens.map(normaliseFieldName);
      continue;
    }
    return { header, row: tokens };
  }
  return { header, row: null };
}

function looksLikeAwsRow(tokens: readonly string[], layout: readonly string[]): boolean {
  if (tokens.length !== layout.length) return false;
  const at = (name: string): string | undefined => {
    const index = layout.indexOf(name);
    return index < 0 ? undefined : tokens[index];
  };
  const version = at('version');
  if (version !== undefined && !/^\d{1,2}$/.test(version)) return false;
  const src = at('srcaddr');
  if (src !== undefined && src !== '-' && !/^[0-9a-fA-F:.]+$/.test(src)) return false;
  const status = at('log-status');
  if (status !== undefined && !['OK', 'NODATA', 'SKIPDATA', '-'].includes(status)) return false;
  return true;
}

function sniffAws(sample: SniffSample, wantTgw: boolean): number {
  const { header, row } = firstTokens(sample);
  if (header !== null) return isTransitGatewayLayout(header) === wantTgw ? 0.95 : 0;
  if (row === null) return 0;
  const layout = HEADERLESS_LAYOUTS.get(row.length);
  if (layout === undefined || isTransitGatewayLayout(layout) !== wantTgw) return 0;
  return looksLikeAwsRow(row, layout) ? 0.9 : 0;
}

function tabularReader(wantTgw: boolean) {
  return (columns: readonly string[]): TabularRowReader | null => {
    const fields = columns.map(normaliseFieldName);
    if (!fields.includes('srcaddr') || !fields.includes('dstaddr')) return null;
    if (isTransitGatewayLayout(fields) !== wantTgw) return null;
    if (!fields.every((name) => KNOWN_FIELDS.has(name))) return null;
    const c = columnsOf(fields);
    const view = new ArrayFields();
    return (values, record) => readRecord(view.reset(values), c, record);
  };
}

export const awsVpcFormat: LineFormat & TabularSupport = {
  id: 'aws-vpc',
  kind: 'lines',
  description: 'AWS VPC flow logs (v2–v8 and custom field orders)',
  sniff: (sample) => sniffAws(sample, false),
  // Every header line names srcaddr (isHeader), wherever it repeats.
  split: { context: 'prologue', marker: 'srcaddr', reset: '' },
  createParser: () => new AwsLineParser(),
  createByteParser: () => new AwsLineParser(),
  tabularReader: tabularReader(false),
};

export const awsTgwFormat: LineFormat & TabularSupport = {
  id: 'aws-tgw',
  kind: 'lines',
  description: 'AWS Transit Gateway flow logs',
  sniff: (sample) => sniffAws(sample, true),
  // Every header line names srcaddr (isHeader), wherever it repeats.
  split: { context: 'prologue', marker: 'srcaddr', reset: '' },
  createParser: () => new AwsLineParser(),
  createByteParser: () => new AwsLineParser(),
  tabularReader: tabularReader(true),
};
