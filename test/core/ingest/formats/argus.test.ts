import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, FlowRecord, Hint } from '../../../../src/core/flow/record';
import { argusFormat } from '../../../../src/core/ingest/formats/argus';
import { expectAccounted, parsePath, parseText, type ParsedRecord } from '../../../helpers/parse-file';
import { fixture } from '../../../helpers/fixtures';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

const DIR = 'stratosphere-slips-dataset/';
const HEADER = 'StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,SrcPkts,Label';

function hintCounts(records: readonly ParsedRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) {
    const key = `${record.hint}/${record.hintReason}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe.skipIf(!HAS_SHARED_DATA)('argus on the real samples (needs ../shared/data)', () => {
  it('claims every binetflow and accounts for each row', async () => {
    const expected: Record<string, [number, number]> = {
      'test2-malicious.binetflow': [6751, 6751],
      'test3-mixed.binetflow': [89, 89],
      'test4-malicious.binetflow': [394, 392],
      'test5-mixed.binetflow': [300, 296],
      'test11-portscan.binetflow': [66, 66],
    };
    for (const [name, [read, accepted]] of Object.entries(expected)) {
      const parsed = await parsePath(sample(DIR + name));
      expectAccounted(parsed);
      expect(parsed.report, name).toMatchObject({ format: 'argus', read, accepted });
    }
  });

  it('splits counters by direction and takes -> / <-> as the source initiating', async () => {
    const parsed = await parsePath(sample(`${DIR}test2-malicious.binetflow`));
    const first = parsed.records[0]!;
    expect(first).toMatchObject({
      src: '10.8.0.69',
      srcPort: 48427,
      dst: '8.8.8.8',
      dstPort: 53,
      proto: 17,
      packets: 1,
      bytes: 63,
      revPackets: 1,
      revBytes: 79,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
      observer: '',
    });
    expect(first.startMs).toBeCloseTo(Date.UTC(2019, 3, 4, 16, 23, 0) + 325.01, 3);
    expect(first.endMs - first.startMs).toBeCloseTo(27.947, 3);
    // '<?>': Argus could not tell.
    expect(parsed.records.find((r) => r.src === '74.125.133.188' && r.dstPort === 35874)).toMatchObject({ hint: Hint.none, tcpFlags: 8 | 16 });
    // Hex ICMP "ports": 0x0403 is type 3 (code 4), an error carried on the destination side.
    expect(parsed.records.find((r) => r.src === '10.8.0.1' && r.proto === 1)).toMatchObject({ srcPort: -1, dstPort: 3, packets: 96, revPackets: 0 });
    expect(hintCounts(parsed.records)).toEqual({ '1/2': 6666, '1/1': 81, '0/0': 4 });
  });

  it('reads ICMP echo from 0x0008 and keeps the initiator reason when both agree', async () => {
    const parsed = await parsePath(sample(`${DIR}test11-portscan.binetflow`));
    const echo = parsed.records.find((r) => r.proto === 1)!;
    expect(echo).toMatchObject({ src: '10.8.0.69', dst: '110.128.128.128', srcPort: -1, dstPort: 8, hint: Hint.srcIsClient, hintReason: DirectionReason.initiator });
  });

  it('puts TotPkts in packets when the file has no SrcPkts, and rejects ARP', async () => {
    const parsed = await parsePath(sample(`${DIR}test4-malicious.binetflow`));
    expect(parsed.records[0]).toMatchObject({
      src: '192.168.2.1',
      dst: '192.168.2.12',
      dstPort: 22,
      packets: 35,
      revPackets: 0,
      bytes: 1224,
      revBytes: 2542,
      hint: Hint.none,
      tcpFlags: -1,
    });
    expect(parsed.report.rejectReasons).toEqual({ 'Proto: not an IP flow': 2 });
    expect(parsed.rejects[0]).toEqual({ line: 29, reason: 'Proto: not an IP flow (got "arp")' });
  });

  it('reads TAB-separated files, rejects management records and keeps 1970 capture times', async () => {
    const parsed = await parsePath(sample(`${DIR}test5-mixed.binetflow`));
    expectAccounted(parsed);
    expect(parsed.report.rejectReasons).toEqual({ 'Proto: Argus management record, not a flow': 1, 'Proto: not an IP flow': 3 });
    expect(parsed.rejects[0]).toEqual({ line: 2, reason: 'Proto: Argus management record, not a flow (got "man")' });
    const solicitation = parsed.records.find((r) => r.proto === 58)!;
    expect(solicitation).toMatchObject({ src: '::', dst: 'ff02::1:ffdd:53e7', srcPort: -1, dstPort: 135, hint: Hint.srcIsClient });
    expect(solicitation.startMs).toBeCloseTo(Date.UTC(1970, 0, 1, 1, 0, 8) + 511.685, 3);
  });

  it('takes a bare SYN in the TCP state as evidence and tolerates a stray word before the arrow', async () => {
    const parsed = await parsePath(sample(`${DIR}test3-mixed.binetflow`));
    expect(parsed.records.find((r) => r.srcPort === 52798)).toMatchObject({
      dst: '147.32.81.58',
      tcpFlags: 2,
      packets: 1,
      revPackets: 1,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.tcpFlags,
    });
    // "SRPA_" on a one-packet record: flags accumulated over the connection, no evidence.
    expect(parsed.records.find((r) => r.srcPort === 51161)).toMatchObject({ packets: 1, tcpFlags: 2 | 4 | 8 | 16, hint: Hint.srcIsClient, hintReason: DirectionReason.initiator });
    expect(parsed.records.find((r) => r.src === '14.225.3.37')).toMatchObject({ dst: '147.32.86.173', dstPort: 23, hint: Hint.srcIsClient });
    expect(hintCounts(parsed.records)).toEqual({ '1/1': 24, '1/2': 58, '0/0': 7 });
  });
});

describe('argus edge cases', () => {
  it('names the field of each bad value and keeps going', async () => {
    const parsed = await parseText(
      [
        HEADER,
        '2020/01/01 10:00:00.000000,1.0,tcp,10.0.0.1,40000,   ->,10.0.0.2,443,S_SA,0,0,3,180,60,1,',
        '2020/01/01 10:00:00.000000,1.0,tcp,10.0.0.1,40000,   ->,10.0.0.300,443,S_SA,0,0,3,180,60,1,',
        '2020/13/01 10:00:00.000000,1.0,tcp,10.0.0.1,40000,   ->,10.0.0.2,443,S_SA,0,0,3,180,60,1,',
        '2020/01/01 10:00:00.000000,1.0,tcp,10.0.0.1,40000,   ->,10.0.0.2,443,S_SA,0,0,3,180,200,1,',
        '2020/01/01 10:00:00.000000,-1.0,tcp,10.0.0.1,40000,   ->,10.0.0.2,443,S_SA,0,0,3,180,60,1,',
        '2020/01/01 10:00:00.000000,1.0,icmp,10.0.0.1,0xzz08,   ->,10.0.0.2,0x0001,ECO,0,0,3,180,60,1,',
        '2020/01/01 10:00:00.000000,1.0,tcp,10.0.0.1,40000,   ->,10.0.0.2,443',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'argus', read: 7, accepted: 1, rejected: 6 });
    expect(parsed.rejects.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(parsed.rejects[0]!.reason).toBe('DstAddr: not an IPv4 or IPv6 address (got "10.0.0.300")');
    expect(parsed.rejects[1]!.reason).toContain('StartTime: impossible timestamp');
    expect(parsed.rejects[2]!.reason).toContain('SrcBytes: larger than the total');
    expect(parsed.rejects[3]!.reason).toContain('Dur: not a duration in seconds');
    expect(parsed.rejects[4]!.reason).toContain('Sport: not a port (0-65535)');
    expect(parsed.rejects[5]!.reason).toContain('row has 8 fields but the header names 16');
  });

  it('reads <- as the destination initiating, reply types over Dir, Dst* counters, LastTime and SrcId', async () => {
    const parsed = await parseText(
      [
        'SrcId,StartTime,LastTime,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,SrcPkts,DstPkts,SrcBytes,DstBytes,Label',
        'probe-1,2020/01/01 10:00:00.5,2020/01/01 10:00:03.5,tcp,10.0.0.2,443,   <-,10.0.0.1,40000,PA_PA,4,5,400,500,flow=a,b,c',
        'probe-1,2020/01/01 10:00:00.5,2020/01/01 10:00:00.5,icmp,10.0.0.2,0x0000,   ->,10.0.0.1,0x1234,ECR,1,0,84,0,',
        'probe-1,2020/01/01 10:00:00.5,2020/01/01 10:00:00.5,rtp,10.0.0.1,5004,  <?>,10.0.0.2,5004,CON,1,1,200,200,',
        'SrcId,StartTime,LastTime,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,SrcPkts,DstPkts,SrcBytes,DstBytes,Label',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'argus', read: 3, accepted: 3 });
    expect(parsed.records[0]).toMatchObject({
      startMs: Date.UTC(2020, 0, 1, 10, 0, 0, 500),
      endMs: Date.UTC(2020, 0, 1, 10, 0, 3, 500),
      packets: 4,
      revPackets: 5,
      bytes: 400,
      revBytes: 500,
      hint: Hint.srcIsServer,
      hintReason: DirectionReason.initiator,
      observer: 'probe-1',
    });
    // An echo reply seen first: its sender answers, whatever the arrow says.
    expect(parsed.records[1]).toMatchObject({ srcPort: 8, dstPort: -1, hint: Hint.srcIsServer, hintReason: DirectionReason.icmpType });
    expect(parsed.records[2]).toMatchObject({ proto: 17, srcPort: 5004, hint: Hint.none });
  });

  it('sniffs only Argus headers', () => {
    const sniff = (...lines: string[]) => argusFormat.sniff({ text: lines.join('\n'), lines });
    expect(sniff(HEADER)).toBeGreaterThanOrEqual(0.9);
    expect(sniff(HEADER.replaceAll(',', '\t'))).toBeGreaterThanOrEqual(0.9);
    expect(sniff('firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows')).toBe(0);
    expect(sniff('SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,TOS,PACKETS,BYTES')).toBe(0);
    expect(sniff('#separator \\x09')).toBe(0);
  });

  it('serves Parquet tables with Argus column names', () => {
    const reader = argusFormat.tabularReader(HEADER.split(','), {})!;
    const record = new FlowRecord();
    reader(['2020-01-01T10:00:00.000Z', '2.5', 'udp', '10.0.0.1', '5353', '  <->', '10.0.0.2', '53', 'CON', '0', '-', '2', '150', '60', '1', '-'], record);
    expect(record).toMatchObject({ startMs: Date.UTC(2020, 0, 1, 10), endMs: Date.UTC(2020, 0, 1, 10, 0, 2, 500), packets: 1, revPackets: 1, bytes: 60, revBytes: 90 });
    expect(argusFormat.tabularReader(['ts', 'sa', 'da', 'pr'], {})).toBeNull();
  });
});

describe('argus: refused and unanswered connections from the State column', () => {
  it('ra -Z b flag states (fixture, CTU test3): S_ and S_RA/S_R deny; SYN-ACK or data back allow; SRPA_ unknown', async () => {
    const parsed = await parsePath(fixture('argus/test3-mixed-excerpt.binetflow'));
    expectAccounted(parsed);
    expect(parsed.records.map((r) => [r.srcPort, r.dstPort, r.action])).toEqual([
      [52691, 445, Action.deny], // S_: a SYN, nothing back
      [52798, 445, Action.deny], // S_RA: refused
      [64684, 445, Action.deny], // S_R: refused by a bare RST
      [51161, 3389, Action.unknown], // SRPA_: the source acknowledged something, yet nothing came back: a one-sided record
      [47428, 443, Action.allow], // SPA_SPA
      [22, 58441, Action.allow], // PA_PA, midstream: both sides talk
      [55897, 22, Action.allow], // SRPA_SRPA
      [56312, 1947, Action.allow], // udp CON: both sides sent
    ]);
    // The refused SYN's sender opened it.
    expect(parsed.records[1]).toMatchObject({ src: '216.73.23.146', hint: Hint.srcIsClient, hintReason: DirectionReason.tcpFlags });
  });

  it('named states (fixture, CTU test4): REQ deny, CON allow, UDP INT unknown; SR_SA (fixture, test2) allow', async () => {
    const test4 = await parsePath(fixture('argus/test4-malicious-excerpt.binetflow'));
    expectAccounted(test4);
    expect(test4.records.map((r) => [r.proto, r.dstPort, r.action])).toEqual([
      [6, 22, Action.allow], // tcp CON
      [17, 53, Action.allow], // udp CON
      [17, 5643, Action.unknown], // udp INT: one way only, normal for UDP
      [6, 81, Action.deny], // tcp REQ: a SYN that nothing answered
      [6, 81, Action.deny],
    ]);
    const test2 = await parsePath(fixture('argus/test2-malicious-excerpt.binetflow'));
    // SR_SA: the server's SYN-ACK answered; the client's RST came after (a half-open scan that found a listener).
    expect(test2.records.map((r) => [r.dstPort, r.action])).toEqual([[443, Action.allow]]);
  });

  it('every named state, and flag states read from the initiator when Dir says the destination opened', async () => {
    const line = (proto: string, dir: string, state: string, sport = '40000', dport = '443'): string =>
      `2020/01/01 10:00:00.000000,1.0,${proto},10.0.0.1,${sport},${dir},10.0.0.2,${dport},${state},0,0,2,120,60,1,`;
    const states = ['REQ', 'ACC', 'CON', 'RST', 'FIN', 'CLO', 'TIM', 'INT'];
    const parsed = await parseText(
      [
        HEADER,
        ...states.map((state) => line('tcp', '   ->', state)),
        line('tcp', '   <-', 'RA_S', '443', '40000'), // 10.0.0.2 sent the SYN, 10.0.0.1 refused it
        line('tcp', '   <-', 'SA_S', '443', '40000'), // …and here accepted it
        line('udp', '  <->', 'CON'),
        line('udp', '   ->', 'INT'),
        line('udp', '   ->', 'REQ'),
        `2020/01/01 10:00:00.000000,1.0,icmp,10.0.0.1,0x0008,   ->,10.0.0.2,0x0001,ECO,0,0,2,120,60,1,`,
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.records.map((r) => r.action)).toEqual([
      Action.deny, // REQ: SYN, no answer
      Action.allow, // ACC: SYN-ACK seen
      Action.allow, // CON: established
      // RST, FIN, CLO and TIM win over CON in Argus' order, so they hide whether the handshake completed.
      Action.unknown,
      Action.unknown,
      Action.unknown,
      Action.unknown,
      Action.unknown, // INT
      Action.deny,
      Action.allow,
      Action.allow, // udp CON
      Action.unknown, // udp INT
      Action.unknown, // udp REQ
      Action.unknown, // ICMP: no verdict
    ]);
    expect(parsed.records[8]).toMatchObject({ hint: Hint.srcIsServer, hintReason: DirectionReason.initiator });
  });
});

describe.skipIf(!HAS_SHARED_DATA)('argus refusals on the whole CTU files (needs ../shared/data)', () => {
  it('test3: 24 refused or unanswered SMB probes; test4: the 218 REQ probes of port 81 and friends', async () => {
    const actions = (records: readonly ParsedRecord[], action: number) => records.filter((r) => r.action === action).length;
    const test3 = await parsePath(sample(`${DIR}test3-mixed.binetflow`));
    // S_ 9 + S_RA 12 + S_R 3.
    expect(actions(test3.records, Action.deny)).toBe(9 + 12 + 3);
    const test4 = await parsePath(sample(`${DIR}test4-malicious.binetflow`));
    expect(actions(test4.records, Action.deny)).toBe(218);
    expect(test4.records.filter((r) => r.action === Action.deny).every((r) => r.src === '192.168.2.12' && r.packets === 1)).toBe(true);
  });
});
