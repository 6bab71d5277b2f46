import { describe, expect, it } from 'vitest';
import { FlowRecord } from '../../../src/core/flow/record';
import { awsVpcFormat } from '../../../src/core/ingest/formats/aws-vpc';
import { HEADERLESS_LAYOUTS, KNOWN_FIELDS } from '../../../src/core/ingest/formats/aws-layouts';
import { Ipv4Texts, plainIpv4 } from '../../../src/core/ingest/ipv4-bytes';
import { canonicalIp } from '../../../src/core/net/ip';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const V5_HEADER = `${V2_HEADER} vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr`;
const v2 = (fields: Partial<Record<string, string>> = {}): string => {
  const f = {
    version: '2', account: '123456789012', eni: 'eni-0a1b2c3d', src: '10.0.0.40', dst: '10.1.10.11', sport: '41127', dport: '9100',
    proto: '6', packets: '1', bytes: '40', start: '1767225600', end: '1767226199', action: 'ACCEPT', status: 'OK', ...fields,
  };
  return `${f.version} ${f.account} ${f.eni} ${f.src} ${f.dst} ${f.sport} ${f.dport} ${f.proto} ${f.packets} ${f.bytes} ${f.start} ${f.end} ${f.action} ${f.status}`;
};

/** A parser and a record after reading the given earlier lines (a header settles the layout; a bad line changes nothing). */
function primed(before: readonly string[]): { parser: ReturnType<NonNullable<typeof awsVpcFormat.createByteParser>>; record: FlowRecord } {
  const parser = awsVpcFormat.createByteParser!({});
  const record = new FlowRecord();
  for (const earlier of before) {
    const bytes = encode(earlier);
    record.reset();
    try {
      parser.parseBytes(bytes, 0, bytes.length, 1, record);
    } catch {
      // An earlier bad line leaves the parser's state as it was.
    }
  }
  return { parser, record };
}

/** What the general path makes of a line (after the given earlier lines), as the record's fields or the error it throws. */
function general(before: readonly string[], line: string): unknown {
  const { parser, record } = primed(before);
  const bytes = encode(line);
  record.reset();
  try {
    return parser.parseBytes(bytes, 0, bytes.length, 2, record) ? { ...record } : 'not a row';
  } catch (error) {
    return `rejected: ${(error as Error).message}`;
  }
}

/** What the fast path makes of it: the record, or null when it declines. */
function plain(before: readonly string[], line: string, ending = '\n'): FlowRecord | null {
  const { parser, record } = primed(before);
  const bytes = encode(`${line}${ending}next`);
  record.reset();
  const newline = parser.parsePlainLine!(bytes, 0, bytes.length, record);
  if (newline < 0) return null;
  expect(newline).toBe(line.length + ending.length - 1);
  return record;
}

describe('AWS plain-line fast path', () => {
  const cases: [string, string[], string][] = [
    ['v2 by header', [V2_HEADER], v2()],
    ['v2 headerless, layout settled', [v2()], v2({ src: '192.168.1.7' })],
    ['REJECT, UDP', [V2_HEADER], v2({ action: 'REJECT', proto: '17' })],
    ['ICMP: no ports', [V2_HEADER], v2({ proto: '1', sport: '0', dport: '0' })],
    ['other protocol keeps no ports', [V2_HEADER], v2({ proto: '47' })],
    ["'-' ports, counters, times, action", [V2_HEADER], v2({ sport: '-', dport: '-', packets: '-', bytes: '-', start: '-', end: '-', action: '-' })],
    ["'-' end takes the start", [V2_HEADER], v2({ end: '-' })],
    ['zeros', [V2_HEADER], v2({ src: '0.0.0.0', dst: '255.255.255.255', sport: '0', dport: '0', packets: '0', bytes: '0', start: '0', end: '0' })],
    ['leading zeros in numbers', [V2_HEADER], v2({ sport: '080', proto: '006', bytes: '000123' })],
    ['v5 with pkt addresses and SYN', [V5_HEADER], `${v2()} vpc-1 subnet-1 i-1 2 IPv4 172.16.0.9 172.16.0.10`],
    ['v5 with SYN-ACK', [V5_HEADER], `${v2()} vpc-1 subnet-1 i-1 18 IPv4 - -`],
    ['v5 with pkt addresses absent', [V5_HEADER], `${v2()} vpc-1 subnet-1 i-1 0 IPv4 - -`],
    ['ends within the tolerated second', [V2_HEADER], v2({ end: '1767225599' })],
    // Lines the fast path must leave to the general path (it declines; the general path accepts or rejects).
    ['header line', [], V2_HEADER],
    ['first line without header', [], v2()],
    ['NODATA', [V2_HEADER], v2({ src: '-', dst: '-', status: 'NODATA' })],
    ['IPv6', [V2_HEADER], v2({ src: '2001:db8::1' })],
    ['octet with a leading zero', [V2_HEADER], v2({ src: '10.0.0.040' })],
    ['octet past 255', [V2_HEADER], v2({ dst: '10.0.0.256' })],
    ['three octets', [V2_HEADER], v2({ dst: '10.0.1' })],
    ['port past 65535', [V2_HEADER], v2({ dport: '65536' })],
    ['protocol past 255', [V2_HEADER], v2({ proto: '256' })],
    ['protocol by name', [V2_HEADER], v2({ proto: 'tcp' })],
    ['negative counter', [V2_HEADER], v2({ bytes: '-5' })],
    ['fractional counter', [V2_HEADER], v2({ bytes: '12.0' })],
    ['huge counter', [V2_HEADER], v2({ bytes: '1234567890123456' })],
    ['time past 2100', [V2_HEADER], v2({ start: '4200000000', end: '4200000000' })],
    ['ends before it starts', [V2_HEADER], v2({ end: '1767225000' })],
    ['unknown action', [V2_HEADER], v2({ action: 'DROP' })],
    ['bad tcp-flags', [V5_HEADER], `${v2()} vpc-1 subnet-1 i-1 300 IPv4 - -`],
    ['too few fields for the header', [V2_HEADER], v2().split(' ').slice(0, 13).join(' ')],
    ['unknown field count', [], `${v2()} extra`],
    ['doubled space', [V2_HEADER], v2().replace(' ', '  ')],
    ['trailing space', [V2_HEADER], `${v2()} `],
    ['CloudWatch JSON', [V2_HEADER], JSON.stringify({ message: v2() })],
    ['tabs', [V2_HEADER], v2().replaceAll(' ', '\t')],
  ];

  /** The first 13 cases are lines it reads itself; the rest it must leave to the general path. */
  const COMMON = 13;

  it.each(cases.slice(0, COMMON))('%s: reads it itself, giving exactly the general path’s record', (_name, before, line) => {
    const fast = plain(before, line);
    expect(fast).not.toBeNull();
    expect({ ...fast! }).toEqual(general(before, line));
  });

  it.each(cases.slice(COMMON))('%s: declines, leaving it to the general path', (_name, before, line) => {
    expect(plain(before, line)).toBeNull();
  });

  it('strips a CR before the newline, as the line splitter does', () => {
    const fast = plain([V2_HEADER], v2(), '\r\n');
    expect(fast).not.toBeNull();
    expect({ ...fast! }).toEqual(general([V2_HEADER], v2()));
  });

  it('declines a line whose newline lies past the bound (an overlong line is reported, not read)', () => {
    const parser = awsVpcFormat.createByteParser!({});
    const header = encode(V2_HEADER);
    const record = new FlowRecord();
    parser.parseBytes(header, 0, header.length, 1, record);
    const bytes = encode(`${v2()}\n`);
    expect(parser.parsePlainLine!(bytes, 0, bytes.length - 1, record)).toBe(-1);
    expect(parser.parsePlainLine!(bytes, 0, bytes.length, record)).toBe(bytes.length - 1);
  });

  it('relies on every field name starting with a lowercase letter (how it spots header lines cheaply)', () => {
    for (const name of KNOWN_FIELDS) expect(name).toMatch(/^[a-z]/);
    expect(HEADERLESS_LAYOUTS.get(14)).toEqual(V2_HEADER.split(' '));
  });
});

describe('plainIpv4', () => {
  it('takes exactly the dotted quads that are their own canonical text', () => {
    const texts = ['0.0.0.0', '10.0.0.1', '255.255.255.255', '1.22.133.4', '01.0.0.1', '10.0.0.01', '10.0.0.256', '10.0.0', '10.0.0.1.2', '10..0.1', '.10.0.1', '10.0.0.', '1000.0.0.1', 'a.b.c.d', '::1', '10.0.0.1 '];
    for (const text of texts) {
      const bytes = encode(text);
      const value = plainIpv4(bytes, 0, bytes.length);
      if (value >= 0) {
        expect(canonicalIp(text), text).toBe(text);
        expect(value, text).toBe(text.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0));
      } else expect(canonicalIp(text) === text && /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(text), text).toBe(false);
    }
  });

  it('names each address with one string, decoded once', () => {
    const texts = new Ipv4Texts();
    const bytes = encode('x 10.1.2.3 10.1.2.3');
    const first = texts.get(plainIpv4(bytes, 2, 10), bytes, 2, 10);
    expect(first).toBe('10.1.2.3');
    expect(texts.get(plainIpv4(bytes, 11, 19), bytes, 11, 19)).toBe(first);
  });
});
