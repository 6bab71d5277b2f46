import { describe, expect, it } from 'vitest';
import { internalHostsOf } from '../../../src/core/policy/policy-stage';
import { policyEdgeKey } from '../../../src/core/policy/policy-input';
import { edge, hostsOf } from './fixtures';

describe('the internal hosts exposure is measured over', () => {
  const legit = [edge('10.0.0.1', '10.0.0.2', 443), edge('10.0.0.1', '8.8.8.8', 53, { proto: 17 })];
  // A sweep from 10.0.0.1: one live host (10.0.0.2, which also serves it) and two dark addresses.
  const sweep = [edge('10.0.0.1', '10.0.0.2', 3000), edge('10.0.0.1', '10.0.0.77', 3000), edge('10.0.0.1', '10.0.0.78', 3000)];
  const edges = [...legit, ...sweep];
  const hosts = hostsOf(edges);

  it('are the internal addresses on the edges, in canonical order', () => {
    expect(internalHostsOf(edges, hosts).map((host) => host.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.77', '10.0.0.78']);
  });

  it('leave out the addresses seen only on flagged edges (the dark addresses a sweep probed), not the live ones it also reached', () => {
    const flagged = new Set(sweep.map(policyEdgeKey));
    expect(internalHostsOf(edges, hosts, flagged).map((host) => host.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});
