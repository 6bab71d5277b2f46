import { describe, expect, it } from 'vitest';
import { applyIcmpType } from '../../../src/core/flow/direction-hints';
import { DirectionReason, FlowRecord, Hint } from '../../../src/core/flow/record';

function icmp(proto: number, type: number): FlowRecord {
  const record = new FlowRecord();
  record.proto = proto;
  applyIcmpType(record, type);
  return record;
}

describe('ICMP request and reply types', () => {
  it.each([
    [1, 8, 0],
    [1, 13, 14],
    [58, 128, 129],
    [58, 133, 134],
    [58, 135, 136],
    [58, 139, 140],
    [58, 141, 142],
  ])('protocol %i: request %i and reply %i fold into one service, each side named', (proto, request, reply) => {
    const asked = icmp(proto, request);
    const answered = icmp(proto, reply);
    expect([asked.srcPort, asked.dstPort, asked.hint, asked.hintReason]).toEqual([-1, request, Hint.srcIsClient, DirectionReason.icmpType]);
    expect([answered.srcPort, answered.dstPort, answered.hint]).toEqual([request, -1, Hint.srcIsServer]);
  });

  it('gives errors no direction, keeping their type on the destination side', () => {
    const unreachable = icmp(1, 3);
    expect([unreachable.srcPort, unreachable.dstPort, unreachable.hint]).toEqual([-1, 3, Hint.none]);
  });
});
