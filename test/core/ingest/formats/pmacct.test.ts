import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, FlowRecord, Hint } from '../../../../src/core/flow/record';
import { pmacctFormat } from '../../../../src/core/ingest/formats/pmacct';
import { expectAccounted, parsePath, parseText, type ParsedRecord } from '../../../helpers/parse-file';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

const DIR = 'pmacct-generated/';
const CAPTURES = ['brim_sample', 'krb_kinit', 'smtp', 'ssh_sshguess', 'wikipedia'];
const HEADER = 'SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,TOS,PACKETS,BYTES';

function flowKey(record: ParsedRecord): string {
  return [record.src, record.srcPort, record.dst, record.dstPort, record.proto, record.packets, record.bytes].join(' ');
}

describe.skipIf(!HAS_SHARED_DATA)('pmacct on the real samples (needs ../shared/data)', () => {
  it('claims the CSV and JSON of every capture, with the same flows in both', async () => {
    for (const capture of CAPTURES) {
      const csv = await parsePath(sample(`${DIR}${capture}.pmacct.csv`));
      const json = await parsePath(sample(`${DIR}${capture}.pmacct.json`));
      for (const parsed of [csv, json]) {
        expectAccounted(parsed);
        expect(parsed.report.format, capture).toBe('pmacct');
        expect(parsed.report.rejected, capture).toBe(0);
      }
      expect(csv.records.length, capture).toBeGreaterThan(0);
      expect(json.records.map(flowKey).sort(), capture).toEqual(csv.records.map(flowKey).sort());
    }
  });

  it('reads the CSV without time primitives as records without times', async () => {
    const parsed = await parsePath(sample(`${DIR}wikipedia.pmacct.csv`));
    expect(parsed.report).toMatchObject({ format: 'pmacct', read: 57, accepted: 57 });
    expect(parsed.records[0]).toMatchObject({
      src: '141.142.220.202',
      dst: '224.0.0.251',
      srcPort: 5353,
      dstPort: 5353,
      proto: 17,
      packets: 1,
      bytes: 73,
      hint: Hint.none,
      observer: '',
    });
    expect(parsed.records.every((r) => Number.isNaN(r.startMs) && Number.isNaN(r.endMs))).toBe(true);
    expect(parsed.records.some((r) => r.src === 'fe80::217:f2ff:fed7:cf65' && r.dst === 'ff02::fb')).toBe(true);
  });

  it('dates JSON records by their time bin (stamp_inserted), never by stamp_updated', async () => {
    const parsed = await parsePath(sample(`${DIR}wikipedia.pmacct.json`));
    expect(parsed.report).toMatchObject({ format: 'pmacct', read: 57, accepted: 57 });
    expect(parsed.records[0]).toMatchObject({ src: '141.142.220.202', startMs: Date.UTC(2011, 2, 18, 19, 4), endMs: Date.UTC(2011, 2, 18, 19, 4) });
    expect(parsed.records.every((r) => r.startMs < Date.UTC(2012, 0, 1))).toBe(true);
  });

  it('reads per-packet timestamps, the end placeholder and TCP flags of single packets', async () => {
    const parsed = await parsePath(sample(`${DIR}wikipedia.pmacct.per-packet-timestamps.csv`));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'pmacct', read: 126, accepted: 126 });
    const first = parsed.records[0]!;
    expect(first.startMs).toBeCloseTo(Date.UTC(2011, 2, 18, 19, 6, 7) + 96.535, 3);
    // TIMESTAMP_END is "0000-00-00 00:00:00.000000": absent.
    expect(first.endMs).toBe(first.startMs);
    const syn = parsed.records.filter((r) => r.tcpFlags === 2);
    const synAck = parsed.records.filter((r) => r.tcpFlags === 18);
    expect(syn.length).toBe(8);
    expect(synAck.length).toBe(9);
    expect(syn.every((r) => r.hint === Hint.srcIsClient && r.hintReason === DirectionReason.tcpFlags)).toBe(true);
    expect(synAck.every((r) => r.hint === Hint.srcIsServer && r.hintReason === DirectionReason.tcpFlags)).toBe(true);
  });

  it('keeps ICMP without ports (pmacctd records none)', async () => {
    const parsed = await parsePath(sample(`${DIR}smtp.pmacct.csv`));
    expect(parsed.records.find((r) => r.proto === 1)).toMatchObject({ src: '192.168.1.1', dst: '10.10.1.4', srcPort: -1, dstPort: -1, packets: 4, bytes: 2304, hint: Hint.none });
  });

  it('does not claim the config or attribution files', async () => {
    for (const name of ['pmacctd-config-used.conf.txt', 'SOURCE.txt']) {
      const parsed = await parsePath(sample(DIR + name));
      expect(parsed.report.format).not.toBe('pmacct');
    }
  });
});

describe('pmacct edge cases', () => {
  it('names the field of each bad value and keeps going', async () => {
    const parsed = await parseText(
      [
        HEADER,
        '10.0.0.1,10.0.0.2,40000,443,tcp,0,10,1000',
        '10.0.0.1,10.0.0.x,40000,443,tcp,0,10,1000',
        '10.0.0.1,10.0.0.2,40000,99999,tcp,0,10,1000',
        '10.0.0.1,10.0.0.2,40000,443,bogus,0,10,1000',
        '10.0.0.1,10.0.0.2,40000,443,tcp,0,ten,1000',
        '10.0.0.1,10.0.0.2,40000,443,tcp,0,10',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'pmacct', read: 6, accepted: 1, rejected: 5 });
    expect(parsed.rejects.map((r) => r.line)).toEqual([3, 4, 5, 6, 7]);
    expect(parsed.rejects[0]!.reason).toBe('DST_IP: not an IPv4 or IPv6 address (got "10.0.0.x")');
    expect(parsed.rejects[1]!.reason).toContain('DST_PORT: not a port (0-65535)');
    expect(parsed.rejects[2]!.reason).toContain('PROTOCOL: unknown protocol');
    expect(parsed.rejects[3]!.reason).toContain('PACKETS: not a counter');
    expect(parsed.rejects[4]!.reason).toContain('row has 7 fields but the header names 8');
  });

  it('reads any primitive order and separator, the exporter as observer and epoch times', async () => {
    const parsed = await parseText(
      [
        'PEER_SRC_IP\tIN_IFACE\tSRC_IP\tDST_IP\tSRC_PORT\tDST_PORT\tTCP_FLAGS\tPROTOCOL\tTIMESTAMP_START\tTIMESTAMP_END\tPACKETS\tFLOWS\tBYTES',
        '192.0.2.1\t3\t10.0.0.1\t10.0.0.2\t40000\t22\t2\ttcp\t1577872800.250000\t1577872801.500000\t3\t1\t180',
        '0.0.0.0\t3\t10.0.0.2\t10.0.0.1\t22\t40000\t18\t6\t1577872800.260000\t1577872801.400000\t2\t1\t120',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.records[0]).toMatchObject({
      observer: '192.0.2.1',
      startMs: Date.UTC(2020, 0, 1, 10, 0, 0, 250),
      endMs: Date.UTC(2020, 0, 1, 10, 0, 1, 500),
      tcpFlags: 2,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.tcpFlags,
    });
    // SYN-ACK over several packets is ambiguous (the client's flags carry ACK too).
    expect(parsed.records[1]).toMatchObject({ observer: '', proto: 6, tcpFlags: 18, hint: Hint.none });
  });

  it("reads nfacctd's ICMP type×256+code in port_dst: an echo request's sender is the client, a reply's the server", async () => {
    const row = (src: string, dst: string, dstPort: number) =>
      JSON.stringify({ event_type: 'purge', peer_ip_src: '10.99.0.1', ip_src: src, ip_dst: dst, port_src: 0, port_dst: dstPort, tcp_flags: '0', ip_proto: 'icmp', timestamp_start: '2026-03-31 15:38:42.727000', timestamp_end: '2026-03-31 15:38:42.727000', packets: 1, bytes: 60 });
    const parsed = await parseText([row('10.0.0.9', '10.0.0.1', 2048), row('10.0.0.1', '10.0.0.9', 0), row('10.0.0.1', '10.0.0.9', 3 * 256 + 3)].join('\n'));
    expectAccounted(parsed);
    const [request, reply, unreachable] = parsed.records;
    expect(request).toMatchObject({ proto: 1, srcPort: -1, dstPort: 8, hint: Hint.srcIsClient, hintReason: DirectionReason.icmpType });
    // Type 0 code 0 is both an echo reply and pmacctd's "no port": no type is read from it.
    expect(reply).toMatchObject({ proto: 1, srcPort: -1, dstPort: -1, hint: Hint.none });
    // An error carries its type on the destination side, with no direction of its own.
    expect(unreachable).toMatchObject({ proto: 1, dstPort: 3, hint: Hint.none });
  });

  it("reads a record's TCP flags as its answer, as nfdump's: a bare SYN unanswered, an RST-ACK a refusal, a SYN-ACK an answer", async () => {
    const parsed = await parseText(
      [
        'SRC_IP,DST_IP,SRC_PORT,DST_PORT,TCP_FLAGS,PROTOCOL,PACKETS,BYTES',
        '10.0.0.9,10.0.0.1,40000,445,2,tcp,2,120',
        '10.0.0.1,10.0.0.9,445,40001,20,tcp,1,40',
        '10.0.0.1,10.0.0.9,443,40002,18,tcp,1,60',
        '10.0.0.9,10.0.0.1,40003,443,24,tcp,9,900',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.records.map((r) => r.action)).toEqual([Action.deny, Action.deny, Action.allow, Action.unknown]);
  });

  it("reads no refusal from one packet stamped with its arrival and no end (pmacctd keyed per packet), only an answer", async () => {
    const parsed = await parseText(
      [
        'SRC_IP,DST_IP,SRC_PORT,DST_PORT,TCP_FLAGS,PROTOCOL,TIMESTAMP_START,TIMESTAMP_END,PACKETS,BYTES',
        // The SYN and the SYN-ACK of one answered connection, a record each.
        '10.0.0.9,10.0.0.1,40000,80,2,tcp,2011-03-18 19:06:08.652003,0000-00-00 00:00:00.000000,1,60',
        '10.0.0.1,10.0.0.9,80,40000,18,tcp,2011-03-18 19:06:08.713296,0000-00-00 00:00:00.000000,1,60',
        // A flow record of one unanswered SYN: it has its end.
        '10.0.0.9,10.0.0.2,40001,80,2,tcp,2011-03-18 19:06:09.000000,2011-03-18 19:06:09.000000,1,60',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.records.map((r) => r.action)).toEqual([Action.unknown, Action.allow, Action.deny]);
  });

  it('rejects non-flow JSON events and aggregations without a protocol by name', async () => {
    const json = await parseText(
      [
        '{"event_type": "purge_init", "seq": 1, "timestamp": "2020-01-01 10:00:00"}',
        '{"event_type": "purge", "ip_src": "10.0.0.1", "ip_dst": "10.0.0.2", "port_src": 40000, "port_dst": 53, "ip_proto": "udp", "timestamp_start": "2020-01-01 10:00:00.000000", "timestamp_end": "2020-01-01 10:00:02.000000", "packets": 1, "bytes": 60, "peer_ip_src": "192.0.2.7"}',
        '{"event_type": "purge", "ip_src": "10.0.0.1", "ip_dst": "10.0.0.2", "ip_proto": "udp", "timestamp_start": "2020-01-01 10:00:05.000000", "timestamp_end": "2020-01-01 10:00:02.000000", "packets": 1, "bytes": 60}',
      ].join('\n'),
    );
    expectAccounted(json);
    expect(json.report).toMatchObject({ format: 'pmacct', read: 3, accepted: 1, rejected: 2 });
    expect(json.records[0]).toMatchObject({ startMs: Date.UTC(2020, 0, 1, 10), endMs: Date.UTC(2020, 0, 1, 10, 0, 2), dstPort: 53, observer: '192.0.2.7' });
    expect(json.report.rejectReasons).toEqual({ 'event_type: not a flow event': 1, 'timestamp_end: ends before it starts': 1 });

    // No row of such a file can become a flow: one message for the file, not one per row.
    const noProto = await parseText(['SRC_IP,DST_IP,PACKETS,BYTES', '10.0.0.1,10.0.0.2,1,60', '10.0.0.1,10.0.0.3,1,60'].join('\n'));
    expect(noProto.report).toMatchObject({ read: 0, rejected: 0 });
    expect(noProto.report.error).toBe('line 2: this pmacct aggregation has no protocol primitive, so no row can become a flow');
  });

  it('sniffs only pmacct content', () => {
    const sniff = (...lines: string[]) => pmacctFormat.sniff({ text: lines.join('\n'), lines });
    expect(sniff(HEADER)).toBeGreaterThanOrEqual(0.9);
    expect(sniff('{"event_type": "purge", "ip_src": "10.0.0.1", "ip_dst": "10.0.0.2", "packets": 1, "bytes": 60}')).toBeGreaterThanOrEqual(0.9);
    expect(sniff('src_ip,dst_ip,src_port,dst_port,protocol')).toBe(0);
    expect(sniff('firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows')).toBe(0);
    expect(sniff('{"cnt":1,"type":"FLOW","src4_addr":"10.0.0.1"}')).toBe(0);
    expect(sniff('{"timestamp":"2020-01-01T00:00:00Z","event_type":"flow","src_ip":"10.0.0.1"}')).toBe(0);
    expect(sniff('{not json')).toBe(0);
  });

  it('serves Parquet tables with pmacct primitive names', () => {
    const reader = pmacctFormat.tabularReader(['SRC_IP', 'DST_IP', 'SRC_PORT', 'DST_PORT', 'PROTOCOL', 'PACKETS', 'BYTES'], {})!;
    const record = new FlowRecord();
    reader(['10.0.0.1', '10.0.0.2', '40000', '443', 'tcp', '3', '180'], record);
    expect(record).toMatchObject({ src: '10.0.0.1', dstPort: 443, proto: 6, packets: 3, bytes: 180 });
    expect(pmacctFormat.tabularReader(['src_ip', 'dst_ip', 'protocol'], {})).toBeNull();
  });
});
