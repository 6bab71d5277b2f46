import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, Hint } from '../../../../src/core/flow/record';
import { suricataEveFormat } from '../../../../src/core/ingest/formats/suricata-eve';
import { sniffSample } from '../../../../src/core/ingest/sniff';
import { expectAccounted, parseGzipText, parsePath, parseText } from '../../../helpers/parse-file';
import { fixture } from '../../../helpers/fixtures';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

describe.skipIf(!HAS_SHARED_DATA)('suricata-eve on the real samples (needs ../shared/data)', () => {
  it('reads flow events (times from flow.start/end with +0000 offsets) and rejects the alert', async () => {
    const parsed = await parsePath(sample('elastic-integrations/suricata_eve/test-eve-6-0.log'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'suricata-eve', read: 3, accepted: 2, rejected: 1 });
    expect(parsed.report.rejectReasons).toEqual({ 'event_type: not a flow event': 1 });
    expect(parsed.rejects[0]).toEqual({ line: 1, reason: 'event_type: not a flow event (got "alert")' });
    const first = parsed.records[0]!;
    expect(first).toMatchObject({
      src: '10.1.22.212',
      srcPort: 56984,
      dst: '10.1.46.5',
      dstPort: 5005,
      proto: 6,
      packets: 74,
      bytes: 7626,
      revPackets: 56,
      revBytes: 10780,
      tcpFlags: 0x1f,
      // The server's SYN-ACK is in tcp_flags_tc: answered.
      action: Action.allow,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
      observer: 'ens4',
    });
    expect(first.startMs).toBeCloseTo(Date.UTC(2024, 6, 30, 16, 48, 20) + 399.198, 2);
    expect(first.endMs).toBeCloseTo(Date.UTC(2024, 6, 30, 16, 52, 20) + 399.556, 2);
  });

  it('canonicalises expanded IPv6, applies a -0400 offset and accepts app_proto "failed"', async () => {
    const parsed = await parsePath(sample('elastic-integrations/suricata_eve/test-eve-small.log'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'suricata-eve', read: 8, accepted: 1, rejected: 7 });
    expect(parsed.report.rejectReasons).toEqual({ 'event_type: not a flow event': 7 });
    const flow = parsed.records[0]!;
    expect(flow).toMatchObject({
      src: 'fe80::fada:cff:fedc:87f1',
      dst: 'ff02::1:2',
      srcPort: 546,
      dstPort: 547,
      proto: 17,
      packets: 1,
      bytes: 110,
      revPackets: 0,
      revBytes: 0,
      tcpFlags: -1,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.initiator,
      observer: '',
    });
    expect(flow.startMs).toBeCloseTo(Date.UTC(2018, 6, 5, 19, 51, 23) + 453.468, 2);
    expect(flow.endMs).toBe(flow.startMs);
  });

  it('Stratosphere eve.json: 3,512 flows of 5,000 events, +0200 offsets, TCP flags per side', async () => {
    const parsed = await parsePath(sample('stratosphere-slips-dataset/test6-malicious.suricata.json'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'suricata-eve', read: 5000, accepted: 3512, rejected: 1488 });
    expect(parsed.report.rejectReasons).toEqual({ 'event_type: not a flow event': 1488 });
    expect(parsed.records.every((record) => record.observer === 'stratosphere.org')).toBe(true);
    const smb = parsed.records.find((record) => record.src === '91.238.203.56' && record.srcPort === 48938)!;
    expect(smb).toMatchObject({
      dst: '192.168.1.129',
      dstPort: 445,
      proto: 6,
      packets: 2,
      bytes: 120,
      revPackets: 2,
      revBytes: 120,
      tcpFlags: 0x02,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.tcpFlags,
    });
    expect(smb.startMs).toBeCloseTo(Date.UTC(2021, 5, 6, 15, 34, 31) + 140.759, 2);
    const count = (predicate: (r: (typeof parsed.records)[number]) => boolean): number => parsed.records.filter(predicate).length;
    expect(count((r) => r.proto === 6)).toBe(2336);
    expect(count((r) => r.proto === 17)).toBe(1176);
    // A bare SYN from src (1,957 flows) is flag evidence; no SYN on either side (00/00) is no evidence.
    expect(count((r) => r.proto === 6 && r.hintReason === DirectionReason.tcpFlags)).toBe(1957);
    expect(count((r) => r.proto === 6 && r.hint === Hint.none)).toBe(15);
    expect(count((r) => r.proto === 17 && r.hintReason === DirectionReason.initiator)).toBe(1176);
    // Refused: a SYN (02, or c2 with the ECN bits) answered by RST-ACK (14): 1,937 + 2 flows.
    // Unknown: TCP without stream tracking (00/00, 15) and UDP never answered (977: SSDP, NetBIOS…).
    // Allowed: every other TCP flow, whose server sent a SYN-ACK, and UDP with packets back (199).
    expect(count((r) => r.action === Action.deny)).toBe(1939);
    expect(count((r) => r.action === Action.deny && r.proto === 6 && r.revPackets > 0 && (r.tcpFlags & 0x12) === 0x02)).toBe(1939);
    expect(count((r) => r.action === Action.unknown)).toBe(15 + 977);
    expect(count((r) => r.action === Action.allow)).toBe(382 + 199);
  });
});

describe('suricata-eve: refused and unanswered connections', () => {
  it('Stratosphere excerpt (fixture): SYN answered by RST-ACK deny; SYN-ACK allow; untracked TCP and one-way UDP unknown', async () => {
    const parsed = await parsePath(fixture('suricata/stratosphere-test6-excerpt.eve.json'));
    expectAccounted(parsed);
    expect(parsed.records.map((record) => [record.src, record.dstPort, record.action])).toEqual([
      ['91.238.203.56', 445, Action.deny], // closed, 02/14: two SYNs, two RSTs
      ['209.141.52.133', 80, Action.allow], // closed, 06/12: a SYN scan that hit an open port (SYN-ACK, then the scanner's RST)
      ['182.237.17.202', 80, Action.allow], // established, 1b/12
      ['198.12.66.100', 5900, Action.unknown], // new, 00/00: no stream tracking, nothing to go by
      ['192.168.1.132', 44232, Action.unknown], // UDP, nothing back: one-way UDP is normal
      ['192.168.1.129', 8760, Action.allow], // UDP with packets back
    ]);
    expect(parsed.records[0]).toMatchObject({ hint: Hint.srcIsClient, hintReason: DirectionReason.tcpFlags });
  });

  it('TCP flags per side: RST or silence after a bare SYN deny; a client that acknowledged was answered; flow.action drop wins', async () => {
    const tcp = (ts: string, tc: string, flow: Record<string, unknown> = {}): string =>
      flowEvent({ tcp: { tcp_flags: ts, tcp_flags_ts: ts, tcp_flags_tc: tc } }, flow);
    const parsed = await parseText(
      [
        tcp('02', '14'), // refused
        tcp('02', '04'), // refused by a bare RST
        tcp('02', '00', { pkts_toclient: 0, bytes_toclient: 0, state: 'new' }), // unanswered
        tcp('02', '00', { pkts_toclient: 0, bytes_toclient: 0, state: 'bypassed' }), // bypassed: counters stop, unknown
        tcp('1a', '00', { pkts_toclient: 0, bytes_toclient: 0 }), // the client ACKed: a one-sided capture, unknown
        tcp('02', '12'), // SYN-ACK
        tcp('18', '18'), // midstream, both sides talk
        tcp('10', '04'), // midstream, a lone RST: unknown
        tcp('14', '02', { pkts_toserver: 1 }), // dest opened with a bare SYN and src refused it
        tcp('1b', '1b', { action: 'drop' }), // the IPS dropped it
        tcp('02', '14', { action: 'pass' }), // passed by the IPS, refused by the host
      ].join('\n'),
    );
    expect(parsed.records.map((record) => record.action)).toEqual([
      Action.deny,
      Action.deny,
      Action.deny,
      Action.unknown,
      Action.unknown,
      Action.allow,
      Action.allow,
      Action.unknown,
      Action.deny,
      Action.deny,
      Action.deny,
    ]);
    // Refused or not, the side that sent the SYN opened it.
    expect(parsed.records[8]).toMatchObject({ hint: Hint.srcIsServer, hintReason: DirectionReason.tcpFlags });
  });
});

function flowEvent(overrides: Record<string, unknown> = {}, flow: Record<string, unknown> = {}): string {
  return JSON.stringify({
    timestamp: '2024-01-01T00:10:00.000000+0000',
    flow_id: 1,
    in_iface: 'eth0',
    event_type: 'flow',
    src_ip: '10.0.0.1',
    src_port: 40000,
    dest_ip: '10.0.0.2',
    dest_port: 443,
    proto: 'TCP',
    flow: {
      pkts_toserver: 3,
      pkts_toclient: 2,
      bytes_toserver: 200,
      bytes_toclient: 100,
      start: '2024-01-01T00:00:00.000000+0000',
      end: '2024-01-01T00:00:01.500000+0000',
      age: 1,
      state: 'closed',
      reason: 'timeout',
      alerted: false,
      ...flow,
    },
    tcp: { tcp_flags: '1b', tcp_flags_ts: '1b', tcp_flags_tc: '1b' },
    ...overrides,
  });
}

describe('suricata-eve edge cases', () => {
  it('names the field of every bad value and keeps going', async () => {
    const parsed = await parseText(
      [
        flowEvent(),
        flowEvent({ src_ip: '10.0.0.300' }),
        flowEvent({ dest_port: 70000 }),
        flowEvent({}, { pkts_toserver: -1 }),
        flowEvent({}, { end: '2023-12-31T23:00:00.000000+0000' }),
        flowEvent({ tcp: { tcp_flags: 'zz', tcp_flags_ts: 'zz', tcp_flags_tc: '00' } }),
        flowEvent({ flow: 'nope' }),
        flowEvent({ proto: 'NOPE' }),
        flowEvent({ event_type: undefined }),
        JSON.stringify({ timestamp: '2024-01-01T00:00:00+0000', event_type: 'stats', stats: { uptime: 1 } }),
        '{"timestamp": "2024-01-01T00:00:00+0000", "event_type": "flow", ',
        '[1, 2]',
        '',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'suricata-eve', read: 12, accepted: 1, rejected: 11 });
    expect(parsed.rejects.map((reject) => reject.reason)).toEqual([
      'src_ip: not an IPv4 or IPv6 address (got "10.0.0.300")',
      'dest_port: not a port (0-65535) (got "70000")',
      'flow.pkts_toserver: negative counter (got "-1")',
      expect.stringContaining('flow.end: ends before it starts'),
      'tcp.tcp_flags_ts: not a hex flag byte (got "zz")',
      'flow: missing flow object',
      'proto: unknown protocol (got "NOPE")',
      'event_type: missing',
      'event_type: not a flow event (got "stats")',
      expect.stringContaining('not valid JSON'),
      'not a JSON object',
    ]);
    expect(parsed.records[0]).toMatchObject({
      startMs: Date.UTC(2024, 0, 1),
      endMs: Date.UTC(2024, 0, 1) + 1500,
      packets: 3,
      bytes: 200,
      revPackets: 2,
      revBytes: 100,
      tcpFlags: 0x1b,
      observer: 'eth0',
    });
  });

  it('TCP direction: SYN from src confirms, a bare SYN from dest overturns, no SYN at all is midstream', async () => {
    const tcp = (ts: string, tc: string): string => flowEvent({ tcp: { tcp_flags: ts, tcp_flags_ts: ts, tcp_flags_tc: tc } });
    const parsed = await parseText([tcp('02', '14'), tcp('1b', '12'), tcp('14', '02'), tcp('10', '12'), tcp('18', '18'), flowEvent({ tcp: undefined })].join('\n'));
    expect(parsed.records.map((record) => [record.hint, record.hintReason])).toEqual([
      [Hint.srcIsClient, DirectionReason.tcpFlags],
      [Hint.srcIsClient, DirectionReason.initiator],
      [Hint.srcIsServer, DirectionReason.tcpFlags],
      [Hint.srcIsClient, DirectionReason.initiator],
      [Hint.none, DirectionReason.none],
      [Hint.srcIsClient, DirectionReason.initiator],
    ]);
  });

  it('ICMP and ICMPv6 types, protocol numbers, flow.action and the timestamp fallback', async () => {
    const icmp = { src_port: undefined, dest_port: undefined, tcp: undefined };
    const parsed = await parseText(
      [
        flowEvent({ ...icmp, proto: 'ICMP', icmp_type: 8, icmp_code: 0, response_icmp_type: 0 }),
        flowEvent({ ...icmp, proto: 'IPv6-ICMP', src_ip: 'fe80:0000:0000:0000:0000:0000:0000:0001', dest_ip: 'fe80::2', icmp_type: 129, icmp_code: 0 }),
        flowEvent({ ...icmp, proto: 'ICMP', icmp_type: 3, icmp_code: 1 }),
        flowEvent({ ...icmp, proto: '47' }),
        flowEvent({ proto: 'UDP', tcp: undefined }, { action: 'drop' }),
        flowEvent({ proto: 'UDP', tcp: undefined }, { action: 'pass' }),
        flowEvent({ proto: 'UDP', tcp: undefined, host: 'sensor-1' }, { start: undefined, end: undefined }),
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report.accepted).toBe(7);
    const [echo, reply6, unreachable, gre, dropped, passed, noTimes] = parsed.records;
    expect(echo).toMatchObject({ proto: 1, srcPort: -1, dstPort: 8, hint: Hint.srcIsClient, hintReason: DirectionReason.icmpType });
    expect(reply6).toMatchObject({ proto: 58, src: 'fe80::1', srcPort: 128, dstPort: -1, hint: Hint.srcIsServer, hintReason: DirectionReason.icmpType });
    expect(unreachable).toMatchObject({ proto: 1, dstPort: 3, hint: Hint.srcIsClient, hintReason: DirectionReason.initiator });
    expect(gre).toMatchObject({ proto: 47, srcPort: -1, dstPort: -1 });
    expect(dropped!.action).toBe(Action.deny);
    expect(passed!.action).toBe(Action.allow);
    expect(noTimes).toMatchObject({ startMs: Date.UTC(2024, 0, 1, 0, 10), endMs: Date.UTC(2024, 0, 1, 0, 10), observer: 'sensor-1/eth0' });
  });

  it('reads gzip', async () => {
    const parsed = await parseGzipText([flowEvent(), flowEvent({ src_port: 40001 })].join('\n'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'suricata-eve', compression: 'gzip', accepted: 2 });
  });

  it('sniffs eve.json only', () => {
    const sniff = (text: string): number => suricataEveFormat.sniff(sniffSample(text));
    expect(sniff(`${flowEvent()}\n`)).toBe(1);
    expect(sniff('{"timestamp":"2024-01-01T00:00:00+0000","event_type":"stats","stats":{}}\n')).toBe(0.9);
    expect(sniff('{"ts":1591367999.3,"uid":"C1","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","proto":"udp","conn_state":"SF"}\n')).toBe(0);
    expect(sniff('{"flow":{"source":{"ID":1}},"time":"2024-01-01T00:00:00Z"}\n')).toBe(0);
    expect(sniff('#separator \\x09\n#path\tconn\n')).toBe(0);
    expect(sniff('{"message": "2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 1 ACCEPT OK"}\n')).toBe(0);
  });
});
