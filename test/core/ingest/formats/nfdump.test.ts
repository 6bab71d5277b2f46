import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowRecord, Action, DirectionReason, Hint } from '../../../../src/core/flow/record';
import { nfdumpFormat } from '../../../../src/core/ingest/formats/nfdump';
import { expectAccounted, parsePath, parseText, type ParsedRecord } from '../../../helpers/parse-file';
import { fixture } from '../../../helpers/fixtures';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

const V171 = 'nfdump-generated/v1.7.1-debian/';
const V178 = 'nfdump-generated/v1.7.8-head/';
const CTU = 'stratosphere-slips-dataset/test1-malicious.nfdump';

const LEGACY_HEADER =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,' +
  'mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';
const LEGACY_TAIL =
  '0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,' +
  '0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000';

/** A legacy 48-column row: the first 15 columns, then defaults, then ra,eng,exid,tr. */
function legacyRow(head: string, router = '0.0.0.0,17/1,0'): string {
  return `${head},${LEGACY_TAIL},${router},2026-11-23 20:18:58.159`;
}

/** What must agree between nfdump's outputs of the same capture. */
function flowKey(record: ParsedRecord): string {
  return [record.src, record.srcPort, record.dst, record.dstPort, record.proto, record.packets, record.bytes].join(' ');
}

function hintCounts(records: readonly ParsedRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) {
    const key = `${record.hint}/${record.hintReason}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe.skipIf(!HAS_SHARED_DATA)('nfdump on the real samples (needs ../shared/data)', () => {
  it('claims every CSV and JSON output of both versions and accounts for each row', async () => {
    let checked = 0;
    for (const folder of [V171, V178]) {
      for (const name of readdirSync(sample(folder))) {
        if (name === 'SOURCE.txt' || name.endsWith('.line.txt')) continue;
        checked++;
        const parsed = await parsePath(sample(folder + name));
        expectAccounted(parsed);
        expect(parsed.report.format, folder + name).toBe('nfdump');
        expect(parsed.report.error).toBeNull();
        expect(parsed.report.accepted, folder + name).toBeGreaterThan(0);
      }
    }
    expect(checked).toBe(44);
  });

  it('reads the ≤ 1.7.4 table: names of protocols, whole seconds as UTC, IPv6, and skips the Summary footer', async () => {
    const parsed = await parsePath(sample(`${V171}wikipedia.csv`));
    expectAccounted(parsed);
    // 57 flows; header and the three footer lines are not rows.
    expect(parsed.report).toMatchObject({ format: 'nfdump', read: 57, accepted: 57, rejected: 0 });
    expect(parsed.records[0]).toMatchObject({
      startMs: Date.UTC(2011, 2, 18, 19, 6, 8),
      endMs: Date.UTC(2011, 2, 18, 19, 6, 8),
      src: '141.142.220.118',
      dst: '141.142.2.2',
      srcPort: 43927,
      dstPort: 53,
      proto: 17,
      packets: 1,
      bytes: 66,
      revPackets: 0,
      action: Action.unknown,
      observer: '',
    });
    expect(parsed.records.some((r) => r.src === 'fe80::3074:17d5:2052:c324' && r.dst === 'ff02::1:3' && r.dstPort === 5355)).toBe(true);
    const http = parsed.records.find((r) => r.src === '208.80.152.2' && r.srcPort === 80)!;
    expect(http).toMatchObject({ proto: 6, tcpFlags: 24, hint: Hint.none });
  });

  it('gives the same flows from the 1.7.1 table, 1.7.8 csv, csv-fast, ndjson and 1.7.1 json', async () => {
    const files = [`${V171}wikipedia.csv`, `${V178}wikipedia.csv`, `${V178}wikipedia.csv-fast.csv`, `${V178}wikipedia.ndjson`, `${V171}wikipedia.json`];
    const parsed = await Promise.all(files.map((file) => parsePath(sample(file))));
    const reference = parsed[0]!.records.map(flowKey).sort();
    for (const [i, file] of parsed.entries()) {
      expectAccounted(file);
      expect(file.report.format, files[i]).toBe('nfdump');
      expect(file.records.map(flowKey).sort(), files[i]).toEqual(reference);
    }
    // ≥ 1.7.5 and JSON keep milliseconds.
    expect(parsed[1]!.records[0]!.startMs).toBe(Date.UTC(2011, 2, 18, 19, 6, 8, 853));
    expect(parsed[2]!.records[0]!.startMs).toBe(1300475168853);
    expect(parsed[3]!.records[0]!.startMs).toBe(1300475168853);
    expect(parsed[4]!.records[0]!.startMs).toBe(1300475168853);
    // The 1.7.8 default csv has no flags column; csv-fast and JSON do.
    const http = (records: ParsedRecord[]) => records.find((r) => r.src === '208.80.152.2' && r.srcPort === 80)!;
    expect(http(parsed[1]!.records).tcpFlags).toBe(-1);
    expect(http(parsed[2]!.records).tcpFlags).toBe(24);
    expect(http(parsed[3]!.records).tcpFlags).toBe(24);
  });

  it('decodes ICMP types from type×256+code, "type.code" and icmp_type alike', async () => {
    for (const file of [`${V171}icmp_ipv6_misc.csv`, `${V178}icmp_ipv6_misc.csv`, `${V178}icmp_ipv6_misc.csv-fast.csv`, `${V171}icmp_ipv6_misc.json`]) {
      const parsed = await parsePath(sample(file));
      expectAccounted(parsed);
      expect(parsed.report).toMatchObject({ format: 'nfdump', read: 138, accepted: 138 });
      // Neighbour solicitation (34560 = 135/0) and its advertisement (136).
      const [solicitation, advertisement] = parsed.records.filter((r) => r.proto === 58);
      expect(solicitation, file).toMatchObject({
        src: 'fe80::200:86ff:fe05:80da',
        dst: 'fe80::260:97ff:fe07:69ea',
        srcPort: -1,
        dstPort: 135,
        hint: Hint.srcIsClient,
        hintReason: DirectionReason.icmpType,
      });
      expect(advertisement, file).toMatchObject({ srcPort: 135, dstPort: -1, hint: Hint.srcIsServer, hintReason: DirectionReason.icmpType });
    }
    // IPv4 port unreachable: 771 = 3/3, an error without direction.
    const smtp = await parsePath(sample(`${V171}smtp.csv`));
    expect(smtp.records.find((r) => r.proto === 1)).toMatchObject({ src: '192.168.1.1', dst: '10.10.1.4', srcPort: -1, dstPort: 3, hint: Hint.none });
  });

  it('reads real router NetFlow: exporter as observer, bare SYN as client evidence', async () => {
    const legacy = await parsePath(sample(`${CTU}.v1.7.1-csv.csv`));
    expectAccounted(legacy);
    expect(legacy.report).toMatchObject({ format: 'nfdump', read: 4593, accepted: 4593, rejected: 0 });
    expect(legacy.records[0]).toMatchObject({
      startMs: Date.UTC(2018, 0, 12, 15, 37, 30),
      src: '147.32.80.119',
      srcPort: 52324,
      dst: '147.32.82.62',
      dstPort: 902,
      proto: 6,
      packets: 1,
      bytes: 60,
      tcpFlags: 2,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.tcpFlags,
      observer: '147.32.82.62',
    });
    // The RST-ACK answer is no evidence either way.
    expect(legacy.records[1]).toMatchObject({ src: '147.32.82.62', tcpFlags: 20, hint: Hint.none });
    expect(hintCounts(legacy.records)).toEqual({ '1/1': 2305, '0/0': 2288 });
    // 147.32.80.119 knocking on the router's port 902: 2,305 bare SYNs and 2,264 RST-ACK answers, all refused;
    // the SSH sessions' records (...AP.SF, SYN with ACK) answered; the 2 midstream TCP records and the 17 UDP ones unknown.
    const actions = (action: number) => legacy.records.filter((record) => record.action === action).length;
    expect([actions(Action.deny), actions(Action.allow), actions(Action.unknown)]).toEqual([2305 + 2264, 5, 2 + 17]);

    const head = await parsePath(sample(`${CTU}.v1.7.8-csv.csv`));
    expectAccounted(head);
    expect(head.report).toMatchObject({ format: 'nfdump', read: 4593, accepted: 4593 });
    expect(head.records[0]).toMatchObject({ startMs: Date.UTC(2018, 0, 12, 15, 37, 30, 942), src: '147.32.80.119', observer: '' });
    expect(head.records.map(flowKey).sort()).toEqual(legacy.records.map(flowKey).sort());
  });

  it('reports the binary nfcapd file as binary, not as text', async () => {
    const parsed = await parsePath(sample(CTU));
    expect(parsed.report.format).toBeNull();
    expect(parsed.report.error).toMatch(/binary/);
    expect(parsed.report.read).toBe(0);
  });

  it('does not claim the -o line table (its IPv6 addresses are abbreviated)', async () => {
    const parsed = await parsePath(sample(`${V171}wikipedia.line.txt`));
    expect(parsed.report.format).not.toBe('nfdump');
  });

  it('fills reverse counters of -b/-B aggregates without taking either side as initiator', async () => {
    const serverFirst = await parsePath(sample(`${V171}wikipedia.bidir-b.csv`));
    expectAccounted(serverFirst);
    expect(serverFirst.report).toMatchObject({ format: 'nfdump', read: 34, accepted: 34 });
    const http = serverFirst.records.find((r) => r.dstPort === 49997)!;
    expect(http).toMatchObject({ src: '208.80.152.3', srcPort: 80, packets: 4, bytes: 950, revPackets: 6, revBytes: 1445, hint: Hint.none });
    // The only hint: a lone SYN-ACK with no reverse traffic names its sender the server.
    expect(hintCounts(serverFirst.records)).toEqual({ '0/0': 33, '2/1': 1 });
    expect(serverFirst.records.find((r) => r.hint === Hint.srcIsServer)).toMatchObject({ src: '173.192.163.128', srcPort: 80, revPackets: 0 });

    const guessed = await parsePath(sample(`${V171}wikipedia.bidir-B.csv`));
    expect(hintCounts(guessed.records)).toEqual({ '0/0': 34 });
    expect(guessed.records.find((r) => r.srcPort === 49997)).toMatchObject({ dst: '208.80.152.3', packets: 6, revPackets: 4 });
  });

  it('rejects the 1.7.8 "0000-00-00" time placeholder by name', async () => {
    const parsed = await parsePath(sample(`${V178}ldap_ldap-max-recursion.csv`));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ read: 200, accepted: 198, rejected: 2 });
    expect(parsed.report.rejectReasons).toEqual({ 'firstSeen: missing timestamp': 2 });
  });
});

describe('nfdump edge cases', () => {
  it('names the field of each bad value and keeps going', async () => {
    const parsed = await parseText(
      [
        LEGACY_HEADER,
        legacyRow('2020-01-01 10:00:00,2020-01-01 10:00:01,1.000,10.0.0.1,10.0.0.2,40000,443,TCP,......S.,0,0,1,60,0,0'),
        legacyRow('2020-01-01 10:00:00,2020-01-01 10:00:01,1.000,10.0.0.999,10.0.0.2,40000,443,TCP,......S.,0,0,1,60,0,0'),
        legacyRow('2020-01-01 10:00:00,2020-01-01 10:00:01,1.000,10.0.0.1,10.0.0.2,40000,70000,TCP,......S.,0,0,1,60,0,0'),
        legacyRow('2020-01-01 10:00:00,2020-01-01 10:00:01,1.000,10.0.0.1,10.0.0.2,40000,443,XYZ,......S.,0,0,1,60,0,0'),
        legacyRow('2020-02-30 10:00:00,2020-02-30 10:00:01,1.000,10.0.0.1,10.0.0.2,40000,443,TCP,......S.,0,0,1,60,0,0'),
        legacyRow('2020-01-01 10:00:00,2020-01-01 09:00:00,1.000,10.0.0.1,10.0.0.2,40000,443,TCP,......S.,0,0,1,60,0,0'),
        legacyRow('2020-01-01 10:00:00,2020-01-01 10:00:01,1.000,10.0.0.1,10.0.0.2,40000,443,TCP,......S.,0,0,-1,60,0,0'),
        '2020-01-01 10:00:00,2020-01-01 10:00:01,1.000,10.0.0.1',
        'Summary',
        'flows,bytes,packets,avg_bps,avg_pps,avg_bpp',
        '8,480,8,0,0,60',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'nfdump', read: 8, accepted: 1, rejected: 7 });
    expect(parsed.rejects.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(parsed.rejects[0]!.reason).toBe('sa: not an IPv4 or IPv6 address (got "10.0.0.999")');
    expect(parsed.rejects[1]!.reason).toContain('dp: not a port (0-65535)');
    expect(parsed.rejects[2]!.reason).toContain('pr: unknown protocol');
    expect(parsed.rejects[3]!.reason).toContain('ts: impossible timestamp');
    expect(parsed.rejects[4]!.reason).toContain('te: ends before it starts');
    expect(parsed.rejects[5]!.reason).toContain('ipkt: negative counter');
    expect(parsed.rejects[6]!.reason).toContain('row has 4 fields but the header names 48');
  });

  it('reads rows after a footer (concatenated exports) and headerless -q output of both layouts', async () => {
    const row = '2020-01-01 10:00:00,2020-01-01 10:00:00,0.000,10.0.0.1,10.0.0.2,40000,53,UDP,........,0,0,1,60,0,0';
    const concatenated = await parseText(
      [LEGACY_HEADER, legacyRow(row), 'Summary', 'flows,bytes,packets,avg_bps,avg_pps,avg_bpp', '1,60,1,0,0,60', LEGACY_HEADER, legacyRow(row)].join('\n'),
    );
    expect(concatenated.report).toMatchObject({ format: 'nfdump', read: 2, accepted: 2 });

    const legacyQuiet = await parseText([legacyRow(row), legacyRow(row)].join('\n'));
    expect(legacyQuiet.report).toMatchObject({ format: 'nfdump', read: 2, accepted: 2 });
    const quiet = await parseText('2020-01-01 10:00:00.250,0.500,17,10.0.0.1,40000,10.0.0.2,53,1,60,1\n');
    expect(quiet.report).toMatchObject({ format: 'nfdump', accepted: 1 });
    expect(quiet.records[0]).toMatchObject({ startMs: Date.UTC(2020, 0, 1, 10, 0, 0, 250), endMs: Date.UTC(2020, 0, 1, 10, 0, 0, 750) });
  });

  it('takes forwarding status, router address and IPFIX biflowDirection from custom csv formats', async () => {
    const parsed = await parseText(
      [
        'firstSeen,lastSeen,proto,srcAddr,srcPort,dstAddr,dstPort,inPackets,inBytes,flags,fwdStatus,biDirection,routerIP,exporterID',
        '2020-01-01 10:00:00.000,2020-01-01 10:00:02.000,6,10.0.0.2,443,10.0.0.1,40000,5,500,...AP.S.,64,2,192.0.2.1,3',
        '2020-01-01 10:00:00.000,2020-01-01 10:00:02.000,6,10.0.0.1,40000,10.0.0.2,22,2,120,......S.,130,0,0.0.0.0,3',
        '2020-01-01 10:00:00.000,2020-01-01 10:00:02.000,17,10.0.0.1,40000,10.0.0.2,53,1,60,........,0,1,0.0.0.0,0',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.records).toHaveLength(3);
    expect(parsed.records[0]).toMatchObject({ action: Action.allow, hint: Hint.srcIsServer, hintReason: DirectionReason.replyField, observer: '192.0.2.1' });
    expect(parsed.records[1]).toMatchObject({ action: Action.deny, hint: Hint.srcIsClient, hintReason: DirectionReason.tcpFlags, observer: 'exporter 3' });
    expect(parsed.records[2]).toMatchObject({ action: Action.unknown, hint: Hint.srcIsClient, hintReason: DirectionReason.replyField, observer: '' });
  });

  it('reads NDJSON records and rejects non-flow types and broken lines by field', async () => {
    const parsed = await parseText(
      [
        '{"cnt":1,"type":"FLOW","export_sysid":2,"first":"2020-01-01T10:00:00.100","last":"2020-01-01T10:00:01.100","in_packets":3,"in_bytes":180,"out_packets":2,"out_bytes":100,"proto":6,"tcp_flags":"......S.","src_port":40000,"dst_port":443,"src4_addr":"10.0.0.1","dst4_addr":"10.0.0.2","ip4_router":"192.0.2.9"}',
        '{"cnt":2,"type":"FLOW","export_sysid":2,"first":"2020-01-01T10:00:00.100","last":"2020-01-01T10:00:00.100","in_packets":1,"in_bytes":72,"proto":58,"icmp_type":128,"icmp_code":0,"src6_addr":"2001:DB8::1","dst6_addr":"2001:db8::2"}',
        '{"cnt":3,"type":"STAT","first":"2020-01-01T10:00:00.100"}',
        '{"cnt":4,"type":"FLOW","first":"2020-01-01T10:00:00.100","in_packets":1,"in_bytes":72,"proto":17,"src_port":1,"dst_port":2,"src4_addr":"10.0.0.1"}',
        '{"cnt":5,',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'nfdump', read: 5, accepted: 2, rejected: 3 });
    // Aggregated (out_* present): the OR-ed flags are no evidence.
    expect(parsed.records[0]).toMatchObject({ startMs: Date.UTC(2020, 0, 1, 10, 0, 0, 100), revPackets: 2, revBytes: 100, tcpFlags: 2, hint: Hint.none, observer: '192.0.2.9' });
    expect(parsed.records[1]).toMatchObject({ src: '2001:db8::1', dstPort: 128, hint: Hint.srcIsClient, observer: 'exporter 2' });
    expect(parsed.report.rejectReasons).toEqual({ 'type: not a flow record': 1, 'dst4_addr: missing address': 1, 'not valid JSON': 1 });
  });

  it('collects pretty-printed -o json objects and rejects one left open', async () => {
    const object = (port: number) => ['{', '\t"type" : "FLOW",', '\t"first" : "2020-01-01T10:00:00.000",', '\t"proto" : 17,', `\t"src_port" : ${port},`, '\t"dst_port" : 53,', '\t"src4_addr" : "10.0.0.1",', '\t"dst4_addr" : "10.0.0.2"'];
    const parsed = await parseText(['[', ...object(1), '},', ...object(2), ...object(3), '}]'].join('\n'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'nfdump', read: 3, accepted: 2, rejected: 1 });
    expect(parsed.records.map((r) => r.srcPort)).toEqual([1, 3]);
    expect(parsed.rejects[0]!.reason).toBe('JSON object not closed before the next one');
  });

  it('sniffs only nfdump content', () => {
    const sniff = (...lines: string[]) => nfdumpFormat.sniff({ text: lines.join('\n'), lines });
    expect(sniff(LEGACY_HEADER)).toBe(1);
    expect(sniff('firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows')).toBeGreaterThanOrEqual(0.9);
    expect(sniff('StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,Label')).toBe(0);
    expect(sniff('SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,TOS,PACKETS,BYTES')).toBe(0);
    expect(sniff('{"event_type": "purge", "ip_src": "10.0.0.1", "ip_dst": "10.0.0.2"}')).toBe(0);
    expect(sniff('{"timestamp":"2020-01-01T00:00:00Z","event_type":"flow","src_ip":"10.0.0.1"}')).toBe(0);
    expect(sniff('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status')).toBe(0);
    expect(sniff('a,b,c')).toBe(0);
  });

  it('reads Parquet-style columns (nfdump2parquet: ISO times, nulls as "-") and ignores other tables', () => {
    const reader = nfdumpFormat.tabularReader(['ts', 'te', 'td', 'sa', 'da', 'sp', 'dp', 'pr', 'flg', 'ipkt', 'ibyt', 'opkt', 'obyt', 'date', 'hour'], {})!;
    const record = new FlowRecord();
    reader(['2018-01-12T15:37:30.000Z', '2018-01-12T15:37:31.000Z', '1.0', '10.0.0.1', '10.0.0.2', '40000', '443', 'TCP', '......S.', '2', '120', '-', '-', '2018-01-12', '15'], record);
    expect(record).toMatchObject({ startMs: Date.UTC(2018, 0, 12, 15, 37, 30), endMs: Date.UTC(2018, 0, 12, 15, 37, 31), dstPort: 443, packets: 2, revPackets: 0, hint: Hint.srcIsClient });
    expect(nfdumpFormat.tabularReader(['StartTime', 'Proto', 'SrcAddr', 'DstAddr'], {})).toBeNull();
    expect(nfdumpFormat.tabularReader(['SRC_IP', 'DST_IP', 'PROTOCOL'], {})).toBeNull();
  });
});

describe('nfdump edge cases found in review', () => {
  it('rejects a pretty-printed JSON object left open by a truncated export, instead of losing it', async () => {
    // nfdump 1.7.1 -o json: "{" alone on its line, tab-indented fields, "}," between objects.
    const object = (n: number) => ['{', '\t"type" : "FLOW",', `\t"first" : "2011-03-18T19:06:08.${String(n).padStart(3, '0')}",`, '\t"last" : "2011-03-18T19:06:09.000",', '\t"proto" : 6,', '\t"src4_addr" : "10.0.0.1",', '\t"dst4_addr" : "10.0.0.2",', '\t"src_port" : 40000,', '\t"dst_port" : 443,', '\t"in_packets" : 1,', '\t"in_bytes" : 60'];
    const text = ['[', ...object(1), '},', ...object(2), '},', ...object(3)].join('\n');
    const parsed = await parseText(text, {}, 'truncated.json');
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'nfdump', read: 3, accepted: 2, rejected: 1 });
    expect(parsed.rejects[0]!.reason).toBe('JSON object not closed at the end of the file');
  });

  it('reads custom CSV layouts whose rows start with an IPv6 address', async () => {
    const text = ['sa,da,sp,dp,pr,ipkt,ibyt,ts,te', 'fd00::1,fd00::2,40000,443,TCP,1,60,2026-01-05 10:00:00,2026-01-05 10:00:01', '10.0.0.1,10.0.0.2,40000,443,TCP,1,60,2026-01-05 10:00:00,2026-01-05 10:00:01'].join('\n');
    const parsed = await parseText(text, {}, 'custom.csv');
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'nfdump', accepted: 2, rejected: 0 });
    expect(parsed.records[0]).toMatchObject({ src: 'fd00::1', dstPort: 443 });
  });
});

describe('nfdump: refused and unanswered connections from one record\'s flags', () => {
  it('CTU router NetFlow (fixture): SYN and its RST-ACK deny, a lone RST-ACK or SYN deny, SYN with ACK allow, midstream unknown', async () => {
    const parsed = await parsePath(fixture('nfdump/ctu-test1-excerpt.v1.7.1.csv'));
    expectAccounted(parsed);
    expect(parsed.records.map((r) => [r.src, r.srcPort, r.dstPort, r.action, r.hint])).toEqual([
      ['147.32.80.119', 52324, 902, Action.deny, Hint.srcIsClient], // ......S.: nothing acknowledged, the client never got a SYN-ACK
      ['147.32.82.62', 902, 52324, Action.deny, Hint.none], // ...A.R..: the router refused it (no hint: an RST says nothing of who opened)
      ['147.32.82.62', 22, 44948, Action.unknown, Hint.none], // ...AP...: midstream
      ['147.32.83.209', 44948, 22, Action.unknown, Hint.none], // ...A....
      ['147.32.82.62', 902, 52533, Action.deny, Hint.none], // a lone RST-ACK
      ['147.32.80.119', 52563, 902, Action.deny, Hint.srcIsClient], // a lone SYN
      ['50.62.139.155', 44308, 22, Action.allow, Hint.none], // ...AP.SF: an SSH session, both records
      ['147.32.82.62', 22, 44308, Action.allow, Hint.none],
    ]);
  });

  it('reads flags the same way in JSON, keeps a forwarding status drop, and ignores the OR-ed flags of -b/-B aggregates', async () => {
    const record = (flags: string, extra = '') =>
      `{"type":"FLOW","first":"2020-01-01T10:00:00.100","in_packets":1,"in_bytes":60,"proto":6,"tcp_flags":"${flags}","src_port":40000,"dst_port":443,"src4_addr":"10.0.0.1","dst4_addr":"10.0.0.2"${extra}}`;
    const parsed = await parseText(
      [
        record('......S.'), // bare SYN
        record('.CE...S.'), // ECN-setup SYN: still bare
        record('...A.R..'), // RST-ACK
        record('.....R..'), // RST without ACK answers an ACK, not a SYN: unknown
        record('...A.RS.'), // SYN-ACK then RST (a SYN scan's open port, the server side): answered
        record('...AP...'),
        record('...A.R..', ',"fwd_status":64'), // forwarded by the router, refused by the host
        record('...AP.S.', ',"fwd_status":129'), // dropped by the router's ACL
        record('......S.', ',"out_packets":1,"out_bytes":40'), // -b aggregate: both sides' flags in one
        record('...A.RS.', ',"out_packets":1,"out_bytes":40'),
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.records.map((r) => r.action)).toEqual([
      Action.deny,
      Action.deny,
      Action.deny,
      Action.unknown,
      Action.allow,
      Action.unknown,
      Action.deny,
      Action.deny,
      Action.unknown,
      Action.unknown,
    ]);
  });
});
