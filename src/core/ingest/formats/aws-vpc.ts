import { Action, type FlowRecord } from '../../flow/record';
import { applyPacketFlagsHint } from '../../flow/direction-hints';
import { hasPorts, isIcmp } from '../../flow/protocols';
import type { LineFormat, LineParser, SniffSample, TabularRowReader, TabularSupport } from '../format';
import { RowError } from '../row-error';
import { checkTimeOrder, counter, epochSeconds, ip, optionalPort, protocol } from '../values';
import { HEADERLESS_LAYOUTS, KNOWN_FIELDS, isTransitGatewayLayout, normaliseFieldName } from './aws-layouts';

/**
 * AWS VPC flow logs (v2–v8, any custom field order) and Transit Gateway flow
 * logs: space-separated, '-' for "not applicable", epoch-second times, an
 * optional header line that may repeat before any record, and CloudWatch's
 * {"message": "…"} wrapper.
 */

interface Columns {
  readonly srcaddr: number;
  readonly dstaddr: number;
  readonly pktSrc: number;
  readonly pktDst: number;
  readonly srcport: number;
  readonly dstport: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly action: number;
  readonly logStatus: number;
  readonly tcpFlags: number;
  readonly observer: number;
  readonly count: number;
}

function columnsOf(fields: readonly string[]): Columns {
  const at = (name: string): number => fields.indexOf(name);
  const tgw = isTransitGatewayLayout(fields);
  return {
    srcaddr: at('srcaddr'),
    dstaddr: at('dstaddr'),
    pktSrc: at('pkt-srcaddr'),
    pktDst: at('pkt-dstaddr'),
    srcport: at('srcport'),
    dstport: at('dstport'),
    protocol: at('protocol'),
    packets: at('packets'),
    bytes: at('bytes'),
    start: at('start'),
    end: at('end'),
    action: at('action'),
    logStatus: at('log-status'),
    tcpFlags: at('tcp-flags'),
    observer: tgw ? at('tgw-attachment-id') : at('interface-id'),
    count: fields.length,
  };
}

const field = (values: readonly string[], index: number): string | undefined =>
  index < 0 ? undefined : values[index];

/** Reads one record given the column positions of its layout. */
function readRecord(values: readonly string[], c: Columns, record: FlowRecord): void {
  const status = field(values, c.logStatus);
  const srcText = field(values, c.srcaddr);
  if (srcText === '-' || srcText === undefined) {
    if (status === 'NODATA' || status === 'SKIPDATA') {
      throw new RowError('log-status', `${status}: no flow in this capture window`);
    }
  }
  // The packet-level addresses name the real endpoints behind NAT gateways
  // and secondary interface addresses; the interface addresses are the fallback.
  const pktSrc = field(values, c.pktSrc);
  const pktDst = field(values, c.pktDst);
  record.src = pktSrc !== undefined && pktSrc !== '-' ? ip(pktSrc, 'pkt-srcaddr') : ip(srcText, 'srcaddr');
  record.dst = pktDst !== undefined && pktDst !== '-' ? ip(pktDst, 'pkt-dstaddr') : ip(field(values, c.dstaddr), 'dstaddr');
  if (c.protocol < 0) throw new RowError('protocol', 'this custom log format has no protocol field');
  record.proto = protocol(field(values, c.protocol), 'protocol');
  if (hasPorts(record.proto)) {
    record.srcPort = optionalPort(field(values, c.srcport), 'srcport');
    record.dstPort = optionalPort(field(values, c.dstport), 'dstport');
  } else if (isIcmp(record.proto)) {
    // AWS does not carry the ICMP type or code; its ports are always 0.
    record.srcPort = -1;
    record.dstPort = -1;
  }
  record.packets = counter(field(values, c.packets), 'packets');
  record.bytes = counter(field(values, c.bytes), 'bytes');
  const start = field(values, c.start);
  if (start !== undefined && start !== '-') {
    record.startMs = epochSeconds(start, 'start');
    const end = field(values, c.end);
    record.endMs = end !== undefined && end !== '-' ? epochSeconds(end, 'end') : record.startMs;
    checkTimeOrder(record.startMs, record.endMs, 'end');
  }
  const action = field(values, c.action);
  if (action === 'ACCEPT') record.action = Action.allow;
  else if (action === 'REJECT') record.action = Action.deny;
  else if (action !== undefined && action !== '-') throw new RowError('action', 'expected ACCEPT, REJECT or -', action);
  const flags = field(values, c.tcpFlags);
  if (flags !== undefined && flags !== '-' && record.proto === 6) {
    const bits = Number(flags);
    if (!Number.isInteger(bits) || bits < 0 || bits > 255) throw new RowError('tcp-flags', 'not a flag bitmask', flags);
    applyPacketFlagsHint(record, bits);
  }
  const observer = field(values, c.observer);
  if (observer !== undefined && observer !== '-') record.observer = observer;
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

class AwsLineParser implements LineParser {
  private header: Columns | null = null;
  private readonly headerless = new Map<number, Columns>();

  parseLine(rawLine: string, _lineNo: number, record: FlowRecord): boolean {
    const line = unwrap(rawLine).trim();
    if (line.length === 0) return false;
    const tokens = line.split(/\s+/);
    if (isHeader(tokens)) {
      this.header = columnsOf(tokens.map(normaliseFieldName));
      return false;
    }
    readRecord(tokens, this.columnsFor(tokens.length), record);
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
    return (values, record) => readRecord(values, c, record);
  };
}

export const awsVpcFormat: LineFormat & TabularSupport = {
  id: 'aws-vpc',
  kind: 'lines',
  description: 'AWS VPC flow logs (v2–v8 and custom field orders)',
  sniff: (sample) => sniffAws(sample, false),
  createParser: () => new AwsLineParser(),
  tabularReader: tabularReader(false),
};

export const awsTgwFormat: LineFormat & TabularSupport = {
  id: 'aws-tgw',
  kind: 'lines',
  description: 'AWS Transit Gateway flow logs',
  sniff: (sample) => sniffAws(sample, true),
  createParser: () => new AwsLineParser(),
  tabularReader: tabularReader(true),
};
