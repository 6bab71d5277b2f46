import { describe, expect, it } from 'vitest';
import { callBackEdges } from '../../../src/core/discover/call-backs';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { HOST_FEATURE_DEFAULTS, type ProfileEdge, type ProfileHost } from '../../../src/core/discover/host-features';
import { ipSortKey } from '../../../src/core/net/ip';

const edge = (client: string, server: string, proto: number, port: number, flows?: number): ProfileEdge => ({ client, server, proto, port, ...(flows === undefined ? {} : { flows }) });
const hostsOf = (edges: readonly ProfileEdge[]): ProfileHost[] =>
  [...new Set(edges.flatMap((e) => [e.client, e.server]))].map((ip) => ({ ip, sortKey: ipSortKey(ip), labels: [] }));

describe('callBackEdges', () => {
  // An I/O adapter streams to its PLC all day (udp/2222); the PLC re-opened the connection once (tcp/44818).
  const stream = edge('10.0.1.50', '10.0.1.10', 17, 2222, 4000);
  const reopen = edge('10.0.1.10', '10.0.1.50', 6, 44818, 1);

  it('finds the call against a far busier edge between the same two hosts, and only that one', () => {
    const isCallBack = callBackEdges([stream, reopen]);
    expect(isCallBack(reopen)).toBe(true);
    expect(isCallBack(stream)).toBe(false);
  });

  it('leaves two-way work at comparable rates, a new peer and edges without counts alone', () => {
    const replication = [edge('10.0.2.1', '10.0.2.2', 6, 5432, 150), edge('10.0.2.2', '10.0.2.1', 6, 5432, 200)];
    const isCallBack = callBackEdges([...replication, edge('10.0.1.10', '10.0.9.9', 6, 443, 1), edge('10.0.3.1', '10.0.3.2', 6, 80), edge('10.0.3.2', '10.0.3.1', 6, 8080, 1)]);
    expect(replication.map(isCallBack)).toEqual([false, false]);
    expect(isCallBack(edge('10.0.1.10', '10.0.9.9', 6, 443, 1))).toBe(false);
    // The busy edge's count is unknown: no evidence that the other is an exception.
    expect(isCallBack(edge('10.0.3.2', '10.0.3.1', 6, 8080, 1))).toBe(false);
  });

  it('needs the ratio, counting a call of no connections as one', () => {
    const busy = edge('10.0.4.2', '10.0.4.1', 6, 502, HOST_FEATURE_DEFAULTS.callBackRatio * 3);
    expect(callBackEdges([busy, edge('10.0.4.1', '10.0.4.2', 6, 80, 3)])(edge('10.0.4.1', '10.0.4.2', 6, 80, 3))).toBe(true);
    expect(callBackEdges([busy, edge('10.0.4.1', '10.0.4.2', 6, 80, 4)])(edge('10.0.4.1', '10.0.4.2', 6, 80, 4))).toBe(false);
    expect(callBackEdges([busy, edge('10.0.4.1', '10.0.4.2', 6, 80, 0)])(edge('10.0.4.1', '10.0.4.2', 6, 80, 0))).toBe(true);
  });
});

describe('call-backs in discovery profiles', () => {
  // A line: an operator station and the supervisory server poll three PLCs (tcp/44818); a concentrator
  // streams I/O to all three (udp/2222). PLC .12 re-opened its connection to the concentrator once.
  const line = (reopened: boolean): ProfileEdge[] => {
    const plcs = ['10.0.1.10', '10.0.1.11', '10.0.1.12'];
    return [
      ...plcs.flatMap((plc) => [edge('10.0.1.100', plc, 6, 44818, 900), edge('10.0.0.5', plc, 6, 44818, 700), edge('10.0.1.50', plc, 17, 2222, 5000)]),
      ...(reopened ? [edge('10.0.1.12', '10.0.1.50', 6, 44818, 1)] : []),
    ];
  };
  const profileOf = (edges: readonly ProfileEdge[]) => {
    const features = discoveryFeatures({ hosts: hostsOf(edges), edges });
    return (ip: string) => features.profileOfHost[features.hosts.findIndex((host) => host.ip === ip)];
  };

  it('give neither end a feature: the PLC that re-opened its stream keeps the profile of its siblings', () => {
    const profile = profileOf(line(true));
    expect(profile('10.0.1.12')).toBe(profile('10.0.1.10'));
    expect(profile('10.0.1.11')).toBe(profile('10.0.1.10'));
  });

  it('leave a call back that is a host\'s steady work in the profile', () => {
    // The same call made as often as the stream is the PLC's work: it parts that PLC.
    const steady = line(false).concat(edge('10.0.1.12', '10.0.1.50', 6, 44818, 4000));
    const profile = profileOf(steady);
    expect(profile('10.0.1.12')).not.toBe(profile('10.0.1.10'));
  });
});
