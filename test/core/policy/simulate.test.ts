import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_SETTINGS } from '../../../src/core/policy/policy-model';
import { countVerdicts, escapedEdges, simulate, type EdgeVerdict } from '../../../src/core/policy/simulate';
import { edge, group, handPolicy, host, hostsOf, how, rule } from './fixtures';

const business = DEFAULT_POLICY_SETTINGS.businessHours;
const policy = handPolicy(
  [
    group('g1', ['10.0.1.1', '10.0.1.2'], { name: 'web' }),
    group('g2', ['10.0.2.1'], { name: 'db' }),
    group('ext:198.51.100.0/24', ['198.51.100.7'], { name: 'outside 198.51.100.0/24', kind: 'external', match: { cidr: '198.51.100.0/24' } }),
  ],
  [
    rule('g1', 'g2', 6, { from: 443, to: 443 }),
    rule('g1', 'g2', 6, { from: 8443, to: 8443 }, { window: business }),
    rule('g1', 'g2', 6, { from: 22, to: 22 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } }),
    rule('g1', 'g2', 6, { from: 5432, to: 5432 }, { state: 'rejected' }),
    rule('g1', 'g2', 6, { from: 9000, to: 9000 }, { identity: { label: { key: 'team', value: 'ops' } } }),
    rule('g1', 'g2', 6, { from: 7000, to: 7010 }, { state: 'approved' }),
    rule('internal', 'g2', 6, { from: 8080, to: 8080 }),
    rule('g1', 'g2', 1, null),
    rule('ext:198.51.100.0/24', 'g1', 6, { from: 443, to: 443 }),
  ],
);

const E = {
  open: edge('10.0.1.1', '10.0.2.1', 443, { flows: 5 }),
  partWindow: edge('10.0.1.1', '10.0.2.1', 8443, { flows: 5, weekHours: [how(1, 9), how(6, 10)], weekFlows: [3, 2] }),
  inWindow: edge('10.0.1.1', '10.0.2.1', 8443, { flows: 4, weekHours: [how(2, 10)], weekFlows: [4] }),
  untimed: edge('10.0.1.1', '10.0.2.1', 8443, { flows: 5, weekHours: [how(1, 9)], weekFlows: [3] }),
  jit: edge('10.0.1.1', '10.0.2.1', 22, { flows: 2 }),
  rejectedRule: edge('10.0.1.1', '10.0.2.1', 5432, { flows: 3 }),
  noIdentity: edge('10.0.1.1', '10.0.2.1', 9000, { flows: 1 }),
  identity: edge('10.0.1.2', '10.0.2.1', 9000, { flows: 6 }),
  range: edge('10.0.1.1', '10.0.2.1', 7005, { flows: 2 }),
  rangeEdge: edge('10.0.1.1', '10.0.2.1', 7011, { flows: 1 }),
  fromInternal: edge('10.0.9.9', '10.0.2.1', 8080, { flows: 2 }),
  unplacedClient: edge('10.0.9.9', '10.0.2.1', 443, { flows: 1 }),
  unplacedServer: edge('10.0.1.1', '10.0.9.9', 443, { flows: 1 }),
  noRule: edge('10.0.2.1', '10.0.1.1', 443, { flows: 1 }),
  outsideNetwork: edge('198.51.100.50', '10.0.1.1', 443, { flows: 7 }),
  unknownOutside: edge('203.0.113.9', '10.0.1.1', 443, { flows: 1 }),
  icmp: edge('10.0.1.1', '10.0.2.1', -1, { proto: 1, flows: 4 }),
  refused: edge('10.0.1.1', '10.0.2.1', 443, { action: 2, flows: 9 }),
};
const hosts = hostsOf(Object.values(E), [host('10.0.1.2', { labels: { team: 'ops' } })]);
hosts.delete('203.0.113.9'); // an address the store does not describe
const verdictOf = (e: (typeof E)[keyof typeof E]): EdgeVerdict => simulate(policy, [e], hosts)[0]!;
const summary = (v: EdgeVerdict) => ({ verdict: v.verdict, permittedFlows: v.permittedFlows, escapedFlows: v.escapedFlows, rule: v.rule, cause: v.cause, reason: v.reason });

describe('PolicyEvaluator.verdict', () => {
  it('permits an edge an open rule covers', () => {
    expect(summary(verdictOf(E.open))).toEqual({ verdict: 'permitted', permittedFlows: 5, escapedFlows: 0, rule: 'g1>g2:tcp/443', cause: null, reason: 'rule g1>g2:tcp/443' });
    expect(summary(verdictOf(E.icmp))).toMatchObject({ verdict: 'permitted', permittedFlows: 4, rule: 'g1>g2:icmp' });
    expect(summary(verdictOf(E.range))).toMatchObject({ verdict: 'permitted', rule: 'g1>g2:tcp/7000-7010' });
    expect(summary(verdictOf(E.rangeEdge))).toMatchObject({ verdict: 'escaped', rule: null, cause: 'no-rule', reason: 'no rule from g1 (web) to g2 (db) on tcp/7011' });
  });

  it('marks an edge refused today as rejected, whatever the rules', () => {
    expect(summary(verdictOf(E.refused))).toEqual({ verdict: 'rejected', permittedFlows: 0, escapedFlows: 0, rule: null, cause: null, reason: 'refused today' });
  });

  it('permits only the flows inside a rule\'s window (partial escape)', () => {
    expect(summary(verdictOf(E.partWindow))).toEqual({
      verdict: 'escaped',
      permittedFlows: 3,
      escapedFlows: 2,
      rule: 'g1>g2:tcp/8443',
      cause: 'window',
      reason: "2 flows outside rule g1>g2:tcp/8443's window (Mon–Fri 08:00–18:00 UTC)",
    });
    expect(summary(verdictOf(E.inWindow))).toEqual({ verdict: 'permitted', permittedFlows: 4, escapedFlows: 0, rule: 'g1>g2:tcp/8443', cause: null, reason: 'rule g1>g2:tcp/8443 (inside its window)' });
    // Flows without a time are not known to be inside the window.
    expect(summary(verdictOf(E.untimed))).toMatchObject({ verdict: 'escaped', permittedFlows: 3, escapedFlows: 2, cause: 'window' });
  });

  it('keeps a just-in-time rule closed', () => {
    expect(summary(verdictOf(E.jit))).toEqual({ verdict: 'escaped', permittedFlows: 0, escapedFlows: 2, rule: 'g1>g2:tcp/22', cause: 'just-in-time', reason: 'only just-in-time rule g1>g2:tcp/22, closed until opened' });
  });

  it('does not let a rejected rule permit', () => {
    expect(summary(verdictOf(E.rejectedRule))).toEqual({ verdict: 'escaped', permittedFlows: 0, escapedFlows: 3, rule: 'g1>g2:tcp/5432', cause: 'rejected-rule', reason: 'rule g1>g2:tcp/5432 was rejected' });
  });

  it('applies an identity condition to the client\'s labels', () => {
    expect(summary(verdictOf(E.noIdentity))).toEqual({ verdict: 'escaped', permittedFlows: 0, escapedFlows: 1, rule: 'g1>g2:tcp/9000', cause: 'identity', reason: 'rule g1>g2:tcp/9000 requires clients labelled team=ops' });
    expect(summary(verdictOf(E.identity))).toMatchObject({ verdict: 'permitted', permittedFlows: 6, rule: 'g1>g2:tcp/9000' });
  });

  it('names an unplaced client or server, and lets a rule from "internal" cover an unplaced internal client', () => {
    expect(summary(verdictOf(E.fromInternal))).toEqual({ verdict: 'permitted', permittedFlows: 2, escapedFlows: 0, rule: 'internal>g2:tcp/8080', cause: null, reason: 'rule internal>g2:tcp/8080' });
    expect(summary(verdictOf(E.unplacedClient))).toEqual({ verdict: 'escaped', permittedFlows: 0, escapedFlows: 1, rule: null, cause: 'unplaced', reason: 'client 10.0.9.9 is in no group of the policy' });
    expect(summary(verdictOf(E.unplacedServer))).toMatchObject({ cause: 'unplaced', reason: 'server 10.0.9.9 is in no group of the policy' });
  });

  it('says which group pair lacks a rule', () => {
    expect(summary(verdictOf(E.noRule))).toMatchObject({ verdict: 'escaped', cause: 'no-rule', reason: 'no rule from g2 (db) to g1 (web) on tcp/443' });
    expect(summary(verdictOf(E.unknownOutside))).toMatchObject({ verdict: 'escaped', cause: 'no-rule', reason: 'no rule from outside address 203.0.113.9 to g1 (web) on tcp/443' });
  });

  it('scopes an address the store does not describe by the address, as a firewall does: a new private address is internal', () => {
    const unknown = new Map(hosts);
    unknown.delete('10.0.9.9');
    expect(summary(simulate(policy, [E.fromInternal], unknown)[0]!)).toMatchObject({ verdict: 'permitted', rule: 'internal>g2:tcp/8080' });
    expect(summary(simulate(policy, [E.unplacedClient], unknown)[0]!)).toMatchObject({ cause: 'unplaced', reason: 'client 10.0.9.9 is in no group of the policy' });
    // The policy's own internal ranges count too (an organisation with public address space).
    const publicInternal = { ...policy, settings: { ...policy.settings, internalCidrs: ['203.0.113.0/24'] } };
    const fromPublic = edge('203.0.113.9', '10.0.2.1', 8080, { flows: 1 });
    expect(simulate(publicInternal, [fromPublic], unknown)[0]!.verdict).toBe('permitted');
    expect(simulate(policy, [fromPublic], unknown)[0]!.verdict).toBe('escaped');
  });

  it('places a new outside address in its network\'s group', () => {
    expect(summary(verdictOf(E.outsideNetwork))).toMatchObject({ verdict: 'permitted', permittedFlows: 7, rule: 'ext:198.51.100.0/24>g1:tcp/443' });
  });
});

describe('countVerdicts and escapedEdges', () => {
  const verdicts = simulate(policy, Object.values(E), hosts);

  it('simulate gives one verdict per edge, in edge order', () => {
    expect(verdicts.map((v) => v.edge)).toEqual(Object.values(E));
  });

  it('counts flows and edges, and coverage = permitted / (permitted + escaped)', () => {
    // Permitted flows: 5 + 3 + 4 + 3 + 6 + 2 + 2 + 7 + 4 = 36; escaped: 2 + 2 + 2 + 3 + 1 + 1 + 1 + 1 + 1 + 1 = 15.
    expect(countVerdicts(verdicts)).toEqual({ permitted: 36, escaped: 15, rejected: 9, coverage: 36 / 51, permittedEdges: 7, escapedEdges: 10, rejectedEdges: 1 });
  });

  it('gives coverage 1 when nothing was allowed today', () => {
    expect(countVerdicts([])).toEqual({ permitted: 0, escaped: 0, rejected: 0, coverage: 1, permittedEdges: 0, escapedEdges: 0, rejectedEdges: 0 });
    expect(countVerdicts(simulate(policy, [E.refused], hosts)).coverage).toBe(1);
  });

  it('lists escaped edges most flows first, then by address order, protocol and port', () => {
    const listed = escapedEdges(verdicts, hosts);
    expect(listed.map((e) => `${e.client}>${e.server}:${e.port ?? '-'}=${e.flows}`)).toEqual([
      '10.0.1.1>10.0.2.1:5432=3',
      '10.0.1.1>10.0.2.1:22=2',
      '10.0.1.1>10.0.2.1:8443=2',
      '10.0.1.1>10.0.2.1:8443=2',
      '10.0.1.1>10.0.2.1:7011=1',
      '10.0.1.1>10.0.2.1:9000=1',
      '10.0.1.1>10.0.9.9:443=1',
      '10.0.2.1>10.0.1.1:443=1',
      '10.0.9.9>10.0.2.1:443=1',
      '203.0.113.9>10.0.1.1:443=1',
    ]);
    expect(listed[0]).toEqual({ client: '10.0.1.1', server: '10.0.2.1', proto: 'tcp', port: 5432, flows: 3, reason: 'rule g1>g2:tcp/5432 was rejected' });
  });
});
