import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, Hint } from '../../../../src/core/flow/record';
import { expectAccounted, parsePath, parseText } from '../../../helpers/parse-file';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

describe.skipIf(!HAS_SHARED_DATA)('aws-vpc on the real samples (needs ../shared/data)', () => {
  it('parses v2 by its default layout, rejects NODATA/SKIPDATA with a reason and keeps IPv6 canonical', async () => {
    const parsed = await parsePath(sample('elastic-integrations/aws_vpcflow/test-extra-samples.log'));
    expectAccounted(parsed);
    expect(parsed.report.format).toBe('aws-vpc');
    expect(parsed.report).toMatchObject({ read: 7, accepted: 5, rejected: 2 });
    expect(parsed.report.rejectReasons).toEqual({
      'log-status: NODATA: no flow in this capture window': 1,
      'log-status: SKIPDATA: no flow in this capture window': 1,
    });
    const first = parsed.records[0]!;
    expect(first).toMatchObject({
      src: '2001:db8:1234:a100:8d6e:3477:df66:f105',
      dst: '2001:db8:1234:a102:3304:8879:34cf:4071',
      srcPort: 34892,
      dstPort: 22,
      proto: 6,
      packets: 54,
      bytes: 8855,
      startMs: 1477913708000,
      endMs: 1477913820000,
      action: Action.allow,
      observer: 'eni-1235b8ca123456789',
    });
    const icmp = parsed.records.find((record) => record.proto === 1)!;
    expect(icmp).toMatchObject({ srcPort: -1, dstPort: -1 });
    expect(parsed.records.some((record) => record.action === Action.deny)).toBe(true);
  });

  it('parses a custom order by its header (bytes before packets) and reads SYN from tcp-flags', async () => {
    const parsed = await parsePath(sample('elastic-integrations/aws_vpcflow/test-tcp-flag-sequence.log'));
    expectAccounted(parsed);
    expect(parsed.records).toHaveLength(1);
    expect(parsed.records[0]).toMatchObject({
      src: '52.213.180.42',
      dst: '10.0.0.62',
      srcPort: 43416,
      dstPort: 5001,
      bytes: 568,
      packets: 8,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.tcpFlags,
    });
  });

  it('does not trust the version field: a 39-field v7 record that says version 3', async () => {
    const parsed = await parsePath(sample('elastic-integrations/aws_vpcflow/test-ecs-samples.log'));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'aws-vpc', read: 10, accepted: 10 });
    expect(parsed.records[0]).toMatchObject({ src: '1.128.0.0', dst: '2a02:cf40::', dstPort: 22, proto: 17, action: Action.deny });
  });

  it('reads v5 (1975 typo start kept), v8 and the message wrapper', async () => {
    const v5 = await parsePath(sample('elastic-integrations/aws_vpcflow/test-v5-all-fields.log'));
    expect(v5.records[0]).toMatchObject({ src: '89.160.20.156', dst: '10.200.0.80', startMs: 164000066000 });
    const v8 = await parsePath(sample('elastic-integrations/aws_vpcflow/test-v8-samples.log'));
    expect(v8.report).toMatchObject({ format: 'aws-vpc', accepted: 1 });
    const wrapped = await parsePath(sample('elastic-integrations/aws_vpcflow/test-with-message-field.log'));
    expect(wrapped.report).toMatchObject({ format: 'aws-vpc', read: 1, rejected: 1 });
  });

  it('tells Transit Gateway logs apart and leaves their action unknown', async () => {
    const parsed = await parsePath(sample('elastic-integrations/aws_vpcflow/test-tgw-samples.log'));
    expectAccounted(parsed);
    expect(parsed.report.format).toBe('aws-tgw');
    expect(parsed.records.every((record) => record.action === Action.unknown)).toBe(true);
    expect(parsed.records[0]!.observer).toMatch(/^tgw-attach-/);
  });

  it('reads the beats custom layouts without a header', async () => {
    const parsed = await parsePath(sample('elastic-beats/aws_vpcflow/custom-transit-gateway.log'));
    expect(parsed.report.format).toBe('aws-vpc');
    expect(parsed.records[0]).toMatchObject({ src: '10.20.33.164', dst: '10.40.2.236', dstPort: 80, proto: 6 });
  });
});

describe('aws-vpc edge cases', () => {
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

  it('names line and field for bad values and keeps going', async () => {
    const parsed = await parseText(
      [
        header,
        '2 1 eni-a 10.0.0.1 10.0.0.2 40000 443 6 10 100 1700000000 1700000060 ACCEPT OK',
        '2 1 eni-a 10.0.0.1 10.0.0.999 40000 443 6 10 100 1700000000 1700000060 ACCEPT OK',
        '2 1 eni-a 10.0.0.1 10.0.0.2 40000 70000 6 10 100 1700000000 1700000060 ACCEPT OK',
        '2 1 eni-a 10.0.0.1 10.0.0.2 40000 443 6 -5 100 1700000000 1700000060 ACCEPT OK',
        '2 1 eni-a 10.0.0.1 10.0.0.2 40000 443 6 10 100 99999999999 99999999999 ACCEPT OK',
        '2 1 eni-a 10.0.0.1 10.0.0.2 40000 443 6 10 100 1700000000 1600000000 ACCEPT OK',
        '2 1 eni-a 10.0.0.1 10.0.0.2 40000 443 6 10 100 1700000000',
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ read: 7, accepted: 1, rejected: 6 });
    expect(parsed.rejects.map((reject) => reject.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(parsed.rejects[0]!.reason).toBe('dstaddr: not an IPv4 or IPv6 address (got "10.0.0.999")');
    expect(parsed.rejects[1]!.reason).toContain('dstport: not a port (0-65535)');
    expect(parsed.rejects[2]!.reason).toContain('packets: negative counter');
    expect(parsed.rejects[3]!.reason).toContain('start: impossible timestamp');
    expect(parsed.rejects[4]!.reason).toContain('end: ends before it starts');
    expect(parsed.rejects[5]!.reason).toContain('row has 11 fields but the header names 14');
  });

  it('prefers packet-level addresses over the interface addresses (NAT gateways)', async () => {
    const parsed = await parseText(
      [
        'interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action',
        'eni-nat 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5 40000 443 6 1 60 1700000000 1700000001 ACCEPT',
      ].join('\n'),
    );
    expect(parsed.records[0]).toMatchObject({ src: '10.0.1.5', dst: '203.0.113.5' });
  });

  it('takes SYN-ACK as the server speaking', async () => {
    const parsed = await parseText(
      [
        'version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action tcp-flags log-status',
        '3 eni-a 10.0.0.2 10.0.0.1 443 40000 6 1 60 1700000000 1700000001 ACCEPT 18 OK',
      ].join('\n'),
    );
    expect(parsed.records[0]).toMatchObject({ hint: Hint.srcIsServer, hintReason: DirectionReason.tcpFlags });
  });
});

describe.skipIf(!HAS_SHARED_DATA)('aws-vpc layouts that cannot give flows (needs ../shared/data)', () => {
  it('names a custom format without a protocol field once for the file', async () => {
    const parsed = await parsePath(sample('elastic-beats/aws_vpcflow/custom-nat-gateway.log'));
    expect(parsed.report).toMatchObject({ format: 'aws-vpc', read: 0, rejected: 0 });
    expect(parsed.report.error).toBe('line 2: this custom flow log format has no protocol field, so no row can become a flow');
  });
});
