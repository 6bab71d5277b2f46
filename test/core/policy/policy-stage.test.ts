import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/analyze';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { expandInputPaths, fileInput } from '../../../src/core/node/fs-input';
import { nodeIngestHost } from '../../../src/core/node/gunzip';

const DEMO = fileURLToPath(new URL('../../../resources/demo', import.meta.url));

describe('the policy stage of analyze, on the demo', async () => {
  const files = await Promise.all((await expandInputPaths([DEMO])).map((path) => fileInput(path)));
  const db = await openNodeDuckDb();
  const analysis = await analyze({ db, host: nodeIngestHost }, { inputs: files });
  const { policy } = analysis.policy;
  const evidence = policy.rules.flatMap((rule) => rule.evidence.edges.map((edge) => ({ key: `${edge.client}|${edge.server}|${rule.proto}|${edge.port}`, rule })));

  it('never turns a flagged anomaly into an allow rule', () => {
    const flagged = new Set(analysis.anomalies.flatMap((anomaly) => anomaly.edges));
    expect(flagged.size).toBeGreaterThan(10);
    expect(evidence.filter(({ key }) => flagged.has(key))).toEqual([]);
  });

  it('has one rule per group pair and service at most, and every rule names groups of the policy', () => {
    const groups = new Set(policy.groups.map((group) => group.id));
    expect(policy.rules.length).toBeGreaterThan(0);
    for (const rule of policy.rules) {
      expect(groups.has(rule.from) && groups.has(rule.to)).toBe(true);
      expect(rule.id).toBe(`${rule.from}>${rule.to}:${rule.service}`);
    }
    expect(new Set(policy.rules.map((rule) => rule.id)).size).toBe(policy.rules.length);
  });

  it('lifts DNS to one rule from every internal host, and keeps admin services just-in-time with logon users as requesters', () => {
    const dns = policy.rules.filter((rule) => rule.proto === 17 && rule.ports?.from === 53 && rule.to.startsWith('g'));
    expect(dns.length).toBeGreaterThan(0);
    expect(dns.every((rule) => rule.from === 'internal')).toBe(true);
    expect(dns[0]!.evidence.steps.map((step) => step.step)).toContain('lift');
    const jit = policy.rules.filter((rule) => rule.jit !== null);
    expect(jit.length).toBeGreaterThan(0);
    for (const rule of jit) expect(policy.settings.adminServices.some((service) => service.proto === rule.proto && service.port === rule.ports?.from)).toBe(true);
    // The demo's logons are workstation users signing on to servers: some just-in-time rule names them.
    expect(jit.some((rule) => rule.jit!.requesters.length > 0)).toBe(true);
  });

  it('counts a replayed edge once per verdict, and coverage is the permitted share of flows allowed today', () => {
    const { simulation } = analysis.policy;
    expect(simulation.permittedEdges + simulation.escapedEdges + simulation.rejectedEdges).toBe(analysis.summary.edges);
    expect(simulation.coverage).toBe(simulation.permitted / (simulation.permitted + simulation.escaped));
    expect(analysis.policy.escaped.length).toBe(simulation.escapedEdges);
  });
});
