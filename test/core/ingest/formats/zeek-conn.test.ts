import { readFile } from 'node:fs/promises';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { serviceOfPorts } from '../../../../src/core/ingest/observed-services';
import { Action, DirectionReason, Hint } from '../../../../src/core/flow/record';
import { sniffSample } from '../../../../src/core/ingest/sniff';
import { zeekConnFormat } from '../../../../src/core/ingest/formats/zeek-conn';
import { FlowRecord } from '../../../../src/core/flow/record';
import { memoryInputFile } from '../../../../src/core/ingest/source';
import {
  expectAccounted,
  parseGzipText,
  parseInput,
  parsePath,
  parseText,
  type ParsedFile,
  type ParsedRecord,
} from '../../../helpers/parse-file';
import { fixture } from '../../../helpers/fixtures';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

const MASK = 'XXXXXXXXXX.XXXXXX';
/** 2012-02-21T16:52:55Z, a plausible capture time for the btest traces. */
const EPOCH = '1329843175.000000';
const EPOCH_MS = 1329843175000;

/** btest baselines mask ts: substitute a real epoch in memory to check every other column. */
async function unmasked(relative: string): Promise<ParsedFile> {
  const text = await readFile(sample(relative), 'utf8');
  return parseText(text.split(MASK).join(EPOCH), {}, relative);
}

function find(parsed: ParsedFile, where: Partial<ParsedRecord>): ParsedRecord {
  const found = parsed.records.find((record) =>
    Object.entries(where).every(([key, value]) => record[key as keyof ParsedRecord] === value),
  );
  if (found === undefined) throw new Error(`no record matches ${JSON.stringify(where)}`);
  return found;
}

const BTEST_BASELINES: readonly [string, number][] = [
  ['zeek/conn.btest.core.cisco-fabric-path.tsv.log', 64],
  ['zeek/conn.btest.core.tunnels.teredo.tsv.log', 21],
  ['zeek/conn.btest.core.tunnels.vxlan.tsv.log', 5],
  ['zeek/conn.btest.opt.basic.tsv.log', 34],
  ['zeek/conn.btest.scripts.base.frameworks.logging.field-name-map.tsv.log', 34],
  ['zeek/conn.btest.scripts.base.protocols.ftp.ftp-ipv6.tsv.log', 6],
  ['zeek/conn.btest.scripts.base.protocols.ssh.basic.tsv.log', 25],
  ['zeek/conn.btest.scripts.policy.protocols.conn.vlan-logging.tsv.log', 2],
];

describe.skipIf(!HAS_SHARED_DATA)('zeek-conn on the real samples (needs ../shared/data)', () => {
  it('reads the 20-column zeek-cut log by its #fields header, with IP-level bytes and end = ts + duration', async () => {
    const parsed = await parsePath(sample('zeek/conn.zeek-cut-logs.tsv.log'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', read: 5, accepted: 5, rejected: 0 });
    const first = parsed.records[0]!;
    expect(first).toMatchObject({
      src: '141.142.220.235',
      srcPort: 37604,
      dst: '199.233.217.249',
      dstPort: 56666,
      proto: 6,
      packets: 4,
      bytes: 216,
      revPackets: 4,
      revBytes: 562,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
      observer: '',
    });
    expect(first.startMs).toBeCloseTo(1329843175736.107, 2);
    expect(first.endMs - first.startMs).toBeCloseTo(112.432, 2);
    // The ftp-data connection the server opened back is oriented server → client by Zeek.
    expect(parsed.records[2]).toMatchObject({ src: '199.233.217.249', srcPort: 61920, dstPort: 33582, bytes: 614 });
  });

  it.each(BTEST_BASELINES)('%s: masked ts rows are rejected as ts: not a timestamp', async (relative, rows) => {
    const parsed = await parsePath(sample(relative));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', read: rows, accepted: 0, rejected: rows });
    expect(parsed.report.rejectReasons).toEqual({ 'ts: not a timestamp': rows });
    expect(parsed.rejects[0]!.reason).toBe(`ts: not a timestamp (got "${MASK}")`);
  });

  it.each(BTEST_BASELINES)('%s: with a real ts every row parses', async (relative, rows) => {
    const parsed = await unmasked(relative);
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', read: rows, accepted: rows, rejected: 0 });
    for (const record of parsed.records) {
      expect(record.startMs).toBe(EPOCH_MS);
      expect(record.endMs).toBeGreaterThanOrEqual(record.startMs);
    }
  });

  it('opt.basic (wikipedia.pcap): IPv4 and IPv6 DNS/mDNS/LLMNR, unset duration means end = start', async () => {
    const parsed = await unmasked('zeek/conn.btest.opt.basic.tsv.log');
    const mdns6 = find(parsed, { src: 'fe80::217:f2ff:fed7:cf65', dst: 'ff02::fb' });
    expect(mdns6).toMatchObject({ srcPort: 5353, dstPort: 5353, proto: 17, packets: 1, bytes: 199, revPackets: 0, revBytes: 0 });
    expect(mdns6.endMs).toBe(mdns6.startMs);
    const dns = find(parsed, { srcPort: 43927 });
    expect(dns).toMatchObject({ src: '141.142.220.118', dst: '141.142.2.2', dstPort: 53, bytes: 66, revBytes: 117 });
    expect(dns.endMs - dns.startMs).toBeCloseTo(0.435, 3);
    expect(parsed.records.filter((record) => record.src.includes(':'))).toHaveLength(3);
  });

  it('field-name-map: renamed src/src_port/dst/dst_port columns, and a SYN-ACK originator is the server', async () => {
    const parsed = await unmasked('zeek/conn.btest.scripts.base.frameworks.logging.field-name-map.tsv.log');
    expect(parsed.records[0]).toMatchObject({
      src: '173.192.163.128',
      srcPort: 80,
      dst: '141.142.220.235',
      dstPort: 6705,
      hint: Hint.srcIsServer,
      hintReason: DirectionReason.tcpFlags,
    });
    expect(find(parsed, { srcPort: 35642 })).toMatchObject({
      dst: '208.80.152.2',
      dstPort: 80,
      packets: 4,
      bytes: 750,
      revPackets: 3,
      revBytes: 576,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
    });
    // DdA: Zeek picked this connection up midstream, so its originator proves nothing.
    expect(find(parsed, { srcPort: 35634 })).toMatchObject({ hint: Hint.none, hintReason: DirectionReason.none });
  });

  it('vlan-logging: extra vlan/inner_vlan columns after ip_proto', async () => {
    const parsed = await unmasked('zeek/conn.btest.scripts.policy.protocols.conn.vlan-logging.tsv.log');
    expect(parsed.records).toEqual([
      expect.objectContaining({ src: '172.19.51.37', dst: '172.19.51.63', srcPort: 47808, dstPort: 47808, proto: 17, packets: 2, bytes: 92 }),
      expect.objectContaining({ src: '193.1.186.60', dst: '224.2.127.254', srcPort: 9875, dstPort: 9875, packets: 2, bytes: 608 }),
    ]);
  });

  it('cisco-fabric-path: unknown_transport takes its number from ip_proto and has no ports', async () => {
    const parsed = await unmasked('zeek/conn.btest.core.cisco-fabric-path.tsv.log');
    const byProto = new Map<number, number>();
    for (const record of parsed.records) byProto.set(record.proto, (byProto.get(record.proto) ?? 0) + 1);
    expect(byProto.get(99)).toBeGreaterThan(0);
    expect(byProto.get(132)).toBeGreaterThan(0);
    for (const record of parsed.records.filter((r) => r.proto === 99 || r.proto === 132)) {
      expect(record).toMatchObject({ srcPort: -1, dstPort: -1, packets: 2 });
    }
    expect(find(parsed, { src: '1234::e' })).toMatchObject({ dst: '5678::', srcPort: 57005, dstPort: 48879, proto: 6, bytes: 120 });
  });

  it('teredo: ICMPv6 types from orig_p (echo request, router solicitation/advertisement), tunnel_parents ignored', async () => {
    const parsed = await unmasked('zeek/conn.btest.core.tunnels.teredo.tsv.log');
    expect(find(parsed, { src: '2001:0:4137:9e50:8000:f12a:b9c8:2815', proto: 58 })).toMatchObject({
      dst: '2001:4860:0:2001::68',
      srcPort: -1,
      dstPort: 128,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.icmpType,
      bytes: 52,
      revBytes: 52,
    });
    expect(find(parsed, { src: 'fe80::8000:f227:bec8:61af' })).toMatchObject({
      proto: 58,
      srcPort: 133,
      dstPort: -1,
      hint: Hint.srcIsServer,
      hintReason: DirectionReason.icmpType,
    });
    expect(find(parsed, { src: 'fe80::8000:ffff:ffff:fffd' })).toMatchObject({ dst: 'ff02::2', dstPort: 133, hint: Hint.srcIsClient });
    // history R only: a reset without any handshake letters carries no direction.
    expect(find(parsed, { srcPort: 1576, packets: 1, revPackets: 0 })).toMatchObject({ hint: Hint.none });
  });

  it('vxlan: ICMPv4 echo inside the tunnel', async () => {
    const parsed = await unmasked('zeek/conn.btest.core.tunnels.vxlan.tsv.log');
    expect(find(parsed, { src: '10.0.0.1' })).toMatchObject({
      dst: '10.0.0.2',
      proto: 1,
      dstPort: 8,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.icmpType,
      packets: 4,
      bytes: 336,
    });
  });

  it('ftp-ipv6: IPv6 endpoints kept canonical', async () => {
    const parsed = await unmasked('zeek/conn.btest.scripts.base.protocols.ftp.ftp-ipv6.tsv.log');
    expect(find(parsed, { dstPort: 21 })).toMatchObject({
      src: '2001:470:1f11:81f:c999:d94:aa7c:2e3e',
      dst: '2001:470:4867:99::21',
      srcPort: 49185,
      packets: 57,
      bytes: 4426,
      revPackets: 34,
      revBytes: 5908,
    });
  });

  it('ppp: relative ts (0.000000) and ICMPv6 inferred from ip_proto 58', async () => {
    const parsed = await parsePath(sample('zeek/conn.btest.core.ppp.tsv.log'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', accepted: 3 });
    expect(parsed.records[0]).toMatchObject({ startMs: 0, endMs: 8, src: '::', dst: 'ff02::1:ff00:3', proto: 58, dstPort: 135 });
  });

  it('doc examples (JSON): unknown_transport with ip_proto 89 is OSPF', async () => {
    const parsed = await parsePath(sample('zeek/conn.doc-examples.ndjson'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', accepted: 3 });
    expect(parsed.records[2]).toMatchObject({ src: '192.168.170.2', dst: '224.0.0.6', proto: 89, srcPort: -1, dstPort: -1, bytes: 768 });
    expect(parsed.records[0]!.startMs).toBeCloseTo(1591367999305.988, 2);
  });

  it('brim sample: the multi-log TSV stream and its NDJSON twin give the same 19 conn flows', async () => {
    const tsv = await parsePath(sample('brimdata-zui-sample/sample.zeektsv'));
    const json = await parsePath(sample('brimdata-zui-sample/sample.ndjson'));
    expectAccounted(tsv);
    expectAccounted(json);
    expect(tsv.report).toMatchObject({ format: 'zeek-conn', read: 30, accepted: 19, rejected: 11 });
    expect(json.report).toMatchObject({ format: 'zeek-conn', read: 30, accepted: 19, rejected: 11 });
    expect(tsv.report.rejectReasons).toEqual({ '#path: row of another Zeek log, not conn': 11 });
    expect(json.report.rejectReasons).toEqual({ '_path: record of another Zeek log, not conn': 11 });
    expect(tsv.rejects[0]!.reason).toContain('(got "capture_loss")');
    const key = (r: ParsedRecord): string =>
      [r.src, r.srcPort, r.dst, r.dstPort, r.proto, r.packets, r.bytes, r.revPackets, r.revBytes, Math.round(r.startMs)].join(' ');
    expect(json.records.map(key).sort()).toEqual(tsv.records.map(key).sort());
    expect(find(json, { srcPort: 54375 })).toMatchObject({ src: '192.168.1.110', dst: '192.168.1.254', dstPort: 53, bytes: 74, revBytes: 90 });
    expect(find(json, { srcPort: 54375 }).startMs).toBeCloseTo(Date.UTC(2020, 1, 25, 16, 3, 11) + 275.55, 1);
  });

  it('elastic JSON: ISO ts, ICMP errors, flipped (^h) and midstream histories', async () => {
    const parsed = await parsePath(sample('elastic-integrations/zeek_connection/test-conn.log'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', read: 18, accepted: 18 });
    expect(find(parsed, { proto: 1 })).toMatchObject({ src: '192.168.2.205', dst: '89.160.20.156', srcPort: -1, dstPort: 3, bytes: 107 });
    expect(find(parsed, { srcPort: 46408 }).startMs).toBeCloseTo(Date.UTC(2021, 5, 9, 20, 55, 13) + 160.328, 1);
    expect(find(parsed, { srcPort: 60810 })).toMatchObject({ hint: Hint.srcIsClient, hintReason: DirectionReason.initiator, revBytes: 267 });
    expect(find(parsed, { srcPort: 44944 })).toMatchObject({ hint: Hint.none, packets: 0, bytes: 0 });
    expect(find(parsed, { srcPort: 38339 })).toMatchObject({ hint: Hint.srcIsClient, hintReason: DirectionReason.initiator });
  });

  it('Stratosphere: relative JSON ts, indented TSV header, labelled extra columns, scan logs', async () => {
    const test9 = await parsePath(sample('stratosphere-slips-dataset/test9-mixed-zeek-dir__conn.log'));
    expectAccounted(test9);
    expect(test9.report).toMatchObject({ format: 'zeek-conn', read: 576, accepted: 576 });
    expect(test9.records[0]).toMatchObject({ src: 'fe80::1cf4:44d2:904a:14f7', dst: 'ff02::1:3', dstPort: 5355, packets: 2, bytes: 146 });
    expect(test9.records[0]!.startMs).toBeCloseTo(22335.172, 3);
    // ^d: Zeek flipped this DHCP exchange by its port heuristic, which is no evidence here.
    expect(find(test9, { srcPort: 68, revBytes: 1728 })).toMatchObject({ hint: Hint.none });

    const test10 = await parsePath(sample('stratosphere-slips-dataset/test10-mixed-zeek-dir__conn.log'));
    expectAccounted(test10);
    expect(test10.report).toMatchObject({ format: 'zeek-conn', read: 141, accepted: 141 });
    expect(test10.records[0]).toMatchObject({ src: '2001:718:2:1663:dc58:6d9:ef13:51a5', dst: '2001:718:2:1611:0:1:0:90', dstPort: 53 });

    const labelled = await parsePath(sample('stratosphere-slips-dataset/test18-malicious-ctu-sme-11-win__zeek-labeled__conn.log.labeled'));
    expectAccounted(labelled);
    expect(labelled.report).toMatchObject({ format: 'zeek-conn', read: 766, accepted: 766 });
    expect(labelled.records[0]).toMatchObject({
      src: '192.168.1.107',
      srcPort: 65164,
      dst: '66.63.168.35',
      dstPort: 5888,
      packets: 2,
      bytes: 104,
      revBytes: 80,
      hint: Hint.srcIsClient,
    });

    const horizontal = await parsePath(sample('stratosphere-slips-dataset/port-scans__horizontal__conn.log'));
    expect(horizontal.report).toMatchObject({ format: 'zeek-conn', read: 41, accepted: 41 });
    const vertical = await parsePath(sample('stratosphere-slips-dataset/port-scans__vertical__conn.log'));
    expect(vertical.report).toMatchObject({ format: 'zeek-conn', read: 50, accepted: 50 });
    expect(vertical.records.filter((record) => record.dst === '45.33.32.156')).toHaveLength(46);
  });
});

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2024-01-01-00-00-00',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount',
];

/** One TSV conn row under HEADER. */
function row(fields: {
  ts?: string;
  orig?: string;
  origP?: string;
  resp?: string;
  respP?: string;
  proto?: string;
  duration?: string;
  origBytes?: string;
  history?: string;
  state?: string;
  origPkts?: string;
  origIpBytes?: string;
  ipProto?: string;
  service?: string;
}): string {
  return [
    fields.ts ?? '1700000000.5',
    'Cabc',
    fields.orig ?? '10.0.0.1',
    fields.origP ?? '40000',
    fields.resp ?? '10.0.0.2',
    fields.respP ?? '443',
    fields.proto ?? 'tcp',
    fields.service ?? '-',
    fields.duration ?? '1.5',
    fields.origBytes ?? '100',
    '200',
    fields.state ?? 'SF',
    'T',
    'F',
    '0',
    fields.history ?? 'ShADadFf',
    fields.origPkts ?? '5',
    fields.origIpBytes ?? '360',
    '4',
    '408',
    '(empty)',
    fields.ipProto ?? '6',
  ].join('\t');
}

describe('zeek-conn edge cases', () => {
  it('names the field of every bad value and keeps going', async () => {
    const parsed = await parseText(
      [
        ...HEADER,
        row({}),
        row({ resp: '10.0.0.999' }),
        row({ respP: '70000' }),
        row({ origPkts: '-3' }),
        row({ ts: '-' }),
        row({ duration: 'abc' }),
        row({ proto: 'unknown_transport', ipProto: '-' }),
        row({ proto: 'icmp', origP: '300', ipProto: '1' }),
        row({ ipProto: '999' }),
        row({ ts: '99999999999' }),
        `${row({})}\textra`,
        '#close\t2024-01-01-00-00-01',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', read: 11, accepted: 1, rejected: 10 });
    expect(parsed.rejects.map((reject) => reject.line)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(parsed.rejects.map((reject) => reject.reason)).toEqual([
      'id.resp_h: not an IPv4 or IPv6 address (got "10.0.0.999")',
      'id.resp_p: not a port (0-65535) (got "70000")',
      'orig_pkts: negative counter (got "-3")',
      'ts: missing timestamp',
      'duration: not a duration in seconds (got "abc")',
      'proto: unknown_transport without ip_proto',
      'id.orig_p: not an ICMP type (0-255) (got "300")',
      'ip_proto: not a protocol number (0-255) (got "999")',
      'ts: impossible timestamp (got "99999999999")',
      'row has 23 fields but #fields names 22',
    ]);
    expect(parsed.records[0]).toMatchObject({
      startMs: 1700000000500,
      endMs: 1700000002000,
      src: '10.0.0.1',
      srcPort: 40000,
      dst: '10.0.0.2',
      dstPort: 443,
      proto: 6,
      packets: 5,
      bytes: 360,
      revPackets: 4,
      revBytes: 408,
      tcpFlags: -1,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
    });
  });

  it('rejects data before any #fields header and rows of other #path logs, then recovers at the next conn header', async () => {
    const parsed = await parseText(
      [
        '#separator \\x09',
        row({}),
        '#path\tdns',
        '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery',
        '1700000000.1\tCd\t10.0.0.1\t5353\t10.0.0.2\t53\tudp\texample.org',
        ...HEADER,
        row({}),
      ].join('\n'),
      {},
      'mixed.log',
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ read: 3, accepted: 1, rejected: 2 });
    expect(parsed.report.rejectReasons).toEqual({
      '#fields: data row before any #fields header': 1,
      '#path: row of another Zeek log, not conn': 1,
    });
  });

  it('rejects every row of a conn header without the address columns, once per row', async () => {
    const parsed = await parseText(['#separator \\x09', '#path\tconn', '#fields\tts\tuid\tproto', '1700000000\tC1\ttcp'].join('\n'));
    expectAccounted(parsed);
    expect(parsed.rejects[0]!.reason).toContain('#fields: header lacks the');
  });

  it('honours a custom separator and unset marker', async () => {
    const parsed = await parseText(
      [
        '#separator \\x2c',
        '#unset_field,NULL',
        '#path,conn',
        '#fields,ts,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,duration,orig_pkts,orig_bytes,resp_pkts,resp_bytes,_node_name',
        '1700000000,192.0.2.1,5000,192.0.2.2,53,udp,NULL,1,40,NULL,NULL,worker-1',
        '1700000000,192.0.2.1,5001,192.0.2.2,53,udp,NULL,1,40,NULL,NULL,NULL',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report.format).toBe('zeek-conn');
    expect(parsed.records[0]).toMatchObject({
      src: '192.0.2.1',
      dstPort: 53,
      proto: 17,
      packets: 1,
      bytes: 40,
      revPackets: 0,
      endMs: 1700000000000,
      observer: 'worker-1',
    });
    expect(parsed.records[1]!.observer).toBe('');
  });

  it('falls back to orig_bytes without orig_ip_bytes, and ICMPv6 is inferred from the addresses without ip_proto', async () => {
    const parsed = await parseText(
      [
        '#separator \\x09',
        '#path\tconn',
        '#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\tresp_bytes\torig_pkts\tresp_pkts',
        '1700000000\t10.0.0.1\t1234\t10.0.0.2\t80\ttcp\t0.5\t77\t88\t2\t3',
        '1700000000\tfe80::1\t135\tfe80::2\t136\ticmp\t-\t32\t0\t1\t0',
        '1700000000\tfe80::2\t136\tfe80::1\t135\ticmp\t-\t32\t0\t1\t0',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.records[0]).toMatchObject({ bytes: 77, revBytes: 88, packets: 2, revPackets: 3 });
    expect(parsed.records[1]).toMatchObject({ proto: 58, srcPort: -1, dstPort: 135, hint: Hint.srcIsClient, hintReason: DirectionReason.icmpType });
    expect(parsed.records[2]).toMatchObject({ proto: 58, srcPort: 135, dstPort: -1, hint: Hint.srcIsServer, hintReason: DirectionReason.icmpType });
  });

  it('reads JSON with nested id, ISO ts, booleans, "-" and _system_name/_interface as the observer', async () => {
    const parsed = await parseText(
      [
        JSON.stringify({
          ts: '2024-03-01T10:00:00.250Z',
          uid: 'C1',
          id: { orig_h: '2001:DB8:0:0:0:0:0:1', orig_p: 50000, resp_h: '2001:db8::2', resp_p: 443 },
          proto: 'tcp',
          duration: '-',
          conn_state: 'S0',
          local_orig: true,
          history: 'S',
          orig_pkts: 1,
          orig_ip_bytes: 80,
          resp_pkts: 0,
          resp_ip_bytes: 0,
          _system_name: 'sensor-a',
          _interface: 'eth1',
        }),
        JSON.stringify({ ts: 1700000000, 'id.orig_h': '10.0.0.1', 'id.orig_p': 1, 'id.resp_h': '10.0.0.2', 'id.resp_p': 2, proto: 'udp', conn_state: 'S0', local_orig: 'T' }),
        JSON.stringify({ ts: 1700000000, 'id.orig_h': '10.0.0.1', 'id.orig_p': 1, 'id.resp_h': '10.0.0.2', 'id.resp_p': 53, proto: 'udp', query: 'example.org' }),
        JSON.stringify({ ts: 1700000000, 'id.orig_h': '10.0.0.1', 'id.orig_p': true, 'id.resp_h': '10.0.0.2', 'id.resp_p': 2, proto: 'udp', conn_state: 'S0' }),
        '{"ts": 1700000000, "uid": ',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', read: 5, accepted: 2, rejected: 3 });
    expect(parsed.records[0]).toMatchObject({
      startMs: Date.parse('2024-03-01T10:00:00.250Z'),
      endMs: Date.parse('2024-03-01T10:00:00.250Z'),
      src: '2001:db8::1',
      dst: '2001:db8::2',
      srcPort: 50000,
      packets: 1,
      bytes: 80,
      hint: Hint.srcIsClient,
      observer: 'sensor-a/eth1',
    });
    expect(parsed.records[1]).toMatchObject({ src: '10.0.0.1', proto: 17, observer: '' });
    expect(parsed.rejects.map((reject) => reject.reason)).toEqual([
      expect.stringContaining('not a Zeek conn record'),
      'id.orig_p: expected a string or number (got "true")',
      expect.stringContaining('not valid JSON'),
    ]);
  });

  it('TCP direction from history letters: S or h confirm Zeek, H or s overturn it, none is midstream', async () => {
    const parsed = await parseText(
      [...HEADER, row({ history: 'ShAD' }), row({ history: '^hADad' }), row({ history: 'H' }), row({ history: 'sA' }), row({ history: 'DdAaFf' }), row({ history: '-' })].join('\n'),
    );
    expect(parsed.records.map((record) => [record.hint, record.hintReason])).toEqual([
      [Hint.srcIsClient, DirectionReason.initiator],
      [Hint.srcIsClient, DirectionReason.initiator],
      [Hint.srcIsServer, DirectionReason.tcpFlags],
      [Hint.srcIsServer, DirectionReason.tcpFlags],
      [Hint.none, DirectionReason.none],
      [Hint.srcIsClient, DirectionReason.initiator],
    ]);
  });

  it('UDP flipped by Zeek (^) carries no hint; other UDP is the initiator', async () => {
    const parsed = await parseText(
      [...HEADER, row({ proto: 'udp', history: '^d', ipProto: '17' }), row({ proto: 'udp', history: 'Dd', ipProto: '17' })].join('\n'),
    );
    expect(parsed.records.map((record) => record.hint)).toEqual([Hint.none, Hint.srcIsClient]);
  });

  it('reads gzip and CRLF line ends', async () => {
    const parsed = await parseGzipText([...HEADER, row({}), row({ origP: '40001' })].join('\r\n'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', compression: 'gzip', accepted: 2 });
  });

  it('reads Parquet conn exports through the same column mapping', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'ts', data: [new Date('2024-05-01T12:00:00.000Z'), new Date('2024-05-01T12:00:01.000Z')], type: 'TIMESTAMP' },
        { name: 'uid', data: ['C1', 'C2'], type: 'STRING' },
        { name: 'id_orig_h', data: ['10.1.0.1', '10.1.0.3'], type: 'STRING' },
        { name: 'id_orig_p', data: [41000, 8], type: 'INT32' },
        { name: 'id_resp_h', data: ['10.1.0.2', '10.1.0.4'], type: 'STRING' },
        { name: 'id_resp_p', data: [22, 0], type: 'INT32' },
        { name: 'proto', data: ['tcp', 'icmp'], type: 'STRING' },
        { name: 'duration', data: [2.5, null], type: 'DOUBLE' },
        { name: 'history', data: ['ShAdDaFf', null], type: 'STRING' },
        { name: 'orig_pkts', data: [10n, 1n], type: 'INT64' },
        { name: 'orig_ip_bytes', data: [1000n, 84n], type: 'INT64' },
        { name: 'resp_pkts', data: [8n, 1n], type: 'INT64' },
        { name: 'resp_ip_bytes', data: [2000n, 84n], type: 'INT64' },
        { name: 'local_orig', data: [true, false], type: 'BOOLEAN' },
      ],
    });
    const parsed = await parseInput(memoryInputFile('conn.parquet', new Uint8Array(buffer)));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', container: 'parquet', read: 2, accepted: 2 });
    expect(parsed.records[0]).toMatchObject({
      startMs: Date.parse('2024-05-01T12:00:00.000Z'),
      endMs: Date.parse('2024-05-01T12:00:02.500Z'),
      src: '10.1.0.1',
      dst: '10.1.0.2',
      srcPort: 41000,
      dstPort: 22,
      proto: 6,
      packets: 10,
      bytes: 1000,
      revPackets: 8,
      revBytes: 2000,
      hint: Hint.srcIsClient,
    });
    expect(parsed.records[1]).toMatchObject({ proto: 1, dstPort: 8, hint: Hint.srcIsClient, hintReason: DirectionReason.icmpType });
  });

  it('tabularReader claims conn columns only, not generic src/dst tables', () => {
    expect(zeekConnFormat.tabularReader(['src', 'dst', 'proto', 'packets', 'bytes'], {})).toBeNull();
    expect(zeekConnFormat.tabularReader(['srcaddr', 'dstaddr', 'protocol'], {})).toBeNull();
    expect(zeekConnFormat.tabularReader(['ts', 'uid', 'id.orig_h', 'id.resp_h', 'query'], {})).toBeNull();
    const reader = zeekConnFormat.tabularReader(['ts', 'src', 'src_port', 'dst', 'dst_port', 'proto', 'conn_state', 'orig_pkts'], {});
    expect(reader).not.toBeNull();
    const record = new FlowRecord();
    reader!(['1700000000', '10.0.0.1', '1', '10.0.0.2', '2', 'udp', 'S0', '3'], record);
    expect(record).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, packets: 3 });
  });

  it('sniffs Zeek only: TSV headers (indented or not), conn JSON, brim multi-log JSON', () => {
    const sniff = (text: string): number => zeekConnFormat.sniff(sniffSample(text));
    expect(sniff(HEADER.join('\n'))).toBe(1);
    expect(sniff(`\t${HEADER.join('\n')}`)).toBe(1);
    expect(sniff('#separator \\x09\n#path\tdns\n#fields\tts\tuid\tquery\n')).toBe(0.8);
    expect(sniff('{"_path":"capture_loss","_write_ts":"2020-02-25T16:03:17Z","ts":"2020-02-25T16:03:17Z"}\n{"_path":"conn","ts":"x"}\n')).toBe(1);
    expect(sniff('{"timestamp":"2024-01-01T00:00:00+0000","event_type":"flow","src_ip":"10.0.0.1","dest_ip":"10.0.0.2"}')).toBe(0);
    expect(sniff('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status')).toBe(0);
    expect(sniff('src,dst,proto\n10.0.0.1,10.0.0.2,6')).toBe(0);
    expect(sniff('{"flow":{"source":{"ID":1}},"time":"2024-01-01T00:00:00Z"}')).toBe(0);
    expect(sniff('# just a comment\nhello')).toBe(0);
  });
});

describe('zeek-conn: refused and unanswered connections (conn_state, history)', () => {
  it('nmap scan of scanme.nmap.org (fixture, JSON): REJ rows deny from the scanner, RSTO (ShAR) and SF rows allow', async () => {
    const parsed = await parsePath(fixture('zeek/nmap-vertical-scan.conn.json.log'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'zeek-conn', read: 26, accepted: 26 });
    const scanme = parsed.records.filter((record) => record.dst === '45.33.32.156');
    // Lines 1-26 minus the GitHub TLS session (13) and the DNS query (14): 22 REJ "Sr" (22 ports) and 2 RSTO "ShAR" (port 80).
    const refused = scanme.filter((record) => record.action === Action.deny);
    expect(refused).toHaveLength(22);
    expect(new Set(refused.map((record) => record.dstPort)).size).toBe(22);
    for (const record of refused) {
      // The refused SYN's sender is the initiator: the scanner is the client.
      expect(record).toMatchObject({ src: '192.168.1.9', proto: 6, packets: 1, revPackets: 1, hint: Hint.srcIsClient, hintReason: DirectionReason.initiator });
    }
    // Port 80 is open on scanme: nmap's connect scan completed the handshake, then reset it (RSTO).
    expect(scanme.filter((record) => record.action !== Action.deny).map((record) => [record.dstPort, record.action])).toEqual([
      [80, Action.allow],
      [80, Action.allow],
    ]);
    expect(find(parsed, { dst: '185.199.110.133', dstPort: 443 }).action).toBe(Action.allow);
    // UDP SF: the resolver answered.
    expect(find(parsed, { dst: '192.168.1.1', dstPort: 53 }).action).toBe(Action.allow);
  });

  it('horizontal scan excerpt (fixture, TSV): S0 deny, SF and RSTR allow', async () => {
    const parsed = await parsePath(fixture('zeek/horizontal-scan-excerpt.conn.tsv.log'));
    expectAccounted(parsed);
    expect(parsed.records.map((record) => [record.dst, record.dstPort, record.action])).toEqual([
      ['195.113.214.219', 80, Action.allow], // SF ShADadfF
      ['195.113.214.221', 80, Action.allow], // SF
      ['195.113.214.221', 443, Action.allow], // RSTR ShADadRr: the server reset an established TLS session
      ['151.97.100.116', 6898, Action.deny], // S0 S
      ['65.55.162.200', 25, Action.allow], // RSTR ShAFdaRr
      ['218.150.78.243', 80, Action.deny], // S0 S
    ]);
    expect(parsed.records.filter((record) => record.action === Action.deny).every((record) => record.hint === Hint.srcIsClient)).toBe(true);
  });

  it('maps every TCP conn_state, with the history catching what the name hides', async () => {
    const cases: [state: string, history: string, action: number][] = [
      ['S0', 'S', Action.deny],
      ['S0', 'SAD', Action.unknown], // the originator acknowledged an answer the sensor missed
      ['SH', 'SF', Action.deny],
      ['RSTOS0', 'SR', Action.deny],
      ['REJ', 'Sr', Action.deny],
      ['REJ', 'ShRr', Action.allow], // both reset a handshake without data: Zeek says REJ, but the SYN-ACK came
      ['S1', 'ShAD', Action.allow],
      ['SF', 'ShADadFf', Action.allow],
      ['S2', 'ShADF', Action.allow],
      ['S3', 'ShADf', Action.allow],
      ['RSTO', 'ShAR', Action.allow],
      ['RSTR', 'ShADr', Action.allow],
      ['RSTRH', '^hr', Action.unknown],
      ['SHR', '^hf', Action.unknown],
      ['OTH', 'Dd', Action.allow], // midstream, but the responder sent data…
      ['OTH', 'DTaT', Action.allow], // …or acknowledged it
      ['OTH', 'D', Action.unknown],
      ['OTH', 'Ar', Action.unknown], // a lone reset
      ['OTH', '-', Action.unknown],
      ['-', 'S', Action.deny], // no conn_state: the history alone
    ];
    const parsed = await parseText([...HEADER, ...cases.map(([state, history]) => row({ state, history }))].join('\n'));
    expect(parsed.records.map((record, i) => [cases[i]![0], cases[i]![1], record.action])).toEqual(cases);
  });

  it('UDP: SF (answered) allow; S0 and SHR stay unknown, since one-way UDP is normal; ICMP stays unknown', async () => {
    const parsed = await parseText(
      [
        ...HEADER,
        row({ proto: 'udp', ipProto: '17', state: 'SF', history: 'Dd' }),
        row({ proto: 'udp', ipProto: '17', state: 'S0', history: 'D' }),
        row({ proto: 'udp', ipProto: '17', state: 'SHR', history: '^d' }),
        row({ proto: 'icmp', ipProto: '1', origP: '8', respP: '0', state: 'OTH', history: '-' }),
      ].join('\n'),
    );
    expect(parsed.records.map((record) => record.action)).toEqual([Action.allow, Action.unknown, Action.unknown, Action.unknown]);
  });

  it('without a conn_state column (JSON from a trimmed pipeline), decides from the history letters', async () => {
    const json = (history: string) =>
      JSON.stringify({ ts: 1700000000.5, 'id.orig_h': '10.0.0.1', 'id.orig_p': 40000, 'id.resp_h': '10.0.0.2', 'id.resp_p': 22, proto: 'tcp', history, orig_pkts: 1, resp_pkts: 1 });
    const histories = ['S', 'Sr', 'SF', 'ShAD', 'Dd', 'SAD', 'A'];
    const parsed = await parseText(histories.map(json).join('\n'));
    expect(parsed.records.map((record) => record.action)).toEqual([
      Action.deny, // SYN, nothing back
      Action.deny, // SYN, reset
      Action.deny, // SYN then FIN, nothing back
      Action.allow, // SYN-ACK
      Action.allow, // midstream, the responder sent data
      Action.unknown, // the originator acted on an answer the sensor missed
      Action.unknown,
    ]);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('zeek-conn refusals on the whole Stratosphere logs (needs ../shared/data)', () => {
  it('vertical scan: the 43 REJ rows deny, the rest allow; labelled CTU-SME-11: its 718 REJ rows deny', async () => {
    const vertical = await parsePath(sample('stratosphere-slips-dataset/port-scans__vertical__conn.log'));
    const count = (parsed: ParsedFile, action: number) => parsed.records.filter((record) => record.action === action).length;
    // 43 REJ, 4 SF, 3 RSTO (grep -c on conn_state).
    expect([count(vertical, Action.deny), count(vertical, Action.allow), count(vertical, Action.unknown)]).toEqual([43, 7, 0]);
    const labelled = await parsePath(sample('stratosphere-slips-dataset/test18-malicious-ctu-sme-11-win__zeek-labeled__conn.log.labeled'));
    // tcp: 718 REJ and 1 S0 (deny), 6 OTH picked up midstream whose responder acknowledged or sent data (allow);
    // udp: 33 S0 (unknown: one-way UDP), 3 SF (allow); icmp: 5 OTH (unknown).
    expect([count(labelled, Action.deny), count(labelled, Action.allow), count(labelled, Action.unknown)]).toEqual([719, 6 + 3, 33 + 5]);
    expect(labelled.records.filter((record) => record.dstPort === 5888).every((record) => record.action === Action.deny)).toBe(true);
  });
});

describe("zeek-conn: the protocol Zeek found on the server's port", () => {
  it('is kept per server port from accepted rows, plain single names only', async () => {
    const parsed = await parseText(
      [
        ...HEADER,
        row({ service: 'http' }),
        row({ service: 'HTTP', orig: '10.0.0.3' }),
        row({ service: 'ssl' }),
        row({ service: 'gssapi,smb' }),
        row({ service: '\x1b[31mevil' }),
        row({ service: 'http', respP: '70000' }),
        row({ service: 'ssh', resp: '10.0.0.9', respP: '2222' }),
      ].join('\n'),
    );
    expect(parsed.report.rejected).toBe(1);
    expect(parsed.report.observedServices).toEqual([
      { ip: '10.0.0.2', proto: 6, port: 443, service: 'http', count: 2 },
      { ip: '10.0.0.2', proto: 6, port: 443, service: 'ssl', count: 1 },
      { ip: '10.0.0.9', proto: 6, port: 2222, service: 'ssh', count: 1 },
    ]);
    expect(serviceOfPorts(parsed.report.observedServices!)).toEqual(new Map([['10.0.0.2|6|443', 'http'], ['10.0.0.9|6|2222', 'ssh']]));
  });
});
