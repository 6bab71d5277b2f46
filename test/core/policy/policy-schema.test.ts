import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { policyJson } from '../../../src/core/policy/build-policy';
import { parsePolicy, PolicyFileError, POLICY_SCHEMA } from '../../../src/core/policy/policy-schema';
import type { Policy } from '../../../src/core/policy/policy-model';
import { edge, policyOf, randomPolicy } from './fixtures';

const SCHEMA_FILE = fileURLToPath(new URL('../../../resources/policy.schema.json', import.meta.url));

const valid: Policy = policyOf({
  edges: [edge('10.0.1.1', '10.0.2.1', 5432), edge('10.0.1.1', '10.0.2.1', 22), edge('10.0.1.1', '198.51.100.7', 443)],
  groups: [
    { id: 'g1', name: 'web', members: ['10.0.1.1'], match: { label: { key: 'app', value: 'web' } } },
    { id: 'g2', name: 'db', members: ['10.0.2.1'], match: { cidr: '10.0.2.0/24' } },
  ],
});

/** A copy of the valid policy as plain JSON, changed by `edit`, as text. */
function hostile(edit: (policy: Record<string, unknown> & { rules: Record<string, unknown>[] }) => void): string {
  const copy = JSON.parse(policyJson(valid)) as Record<string, unknown> & { rules: Record<string, unknown>[] };
  edit(copy);
  return JSON.stringify(copy);
}

function errorOf(text: string): PolicyFileError {
  try {
    parsePolicy(text, 'p.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyFileError);
    return error as PolicyFileError;
  }
  throw new Error('parsePolicy accepted a hostile policy');
}

describe('parsePolicy', () => {
  it('reads back a generated policy unchanged', () => {
    expect(valid.rules.map((r) => r.id)).toEqual(['g1>ext:198.51.100.0/24:tcp/443', 'g1>g2:tcp/22', 'g1>g2:tcp/5432']);
    expect(parsePolicy(policyJson(valid), 'p.json')).toEqual(valid);
  });

  it('reads back a generated policy with every kind of rule (lifted, ranged, windowed, just-in-time, outside)', () => {
    const policy = randomPolicy(3);
    expect(policy.rules.some((r) => r.from === 'internal') && policy.rules.some((r) => r.jit !== null) && policy.rules.some((r) => r.window !== null)).toBe(true);
    expect(parsePolicy(policyJson(policy), 'p.json')).toEqual(policy);
  });

  it('rejects text that is not JSON', () => {
    expect(errorOf('{"format": ').message).toMatch(/^p\.json: not JSON \(.+\)$/);
  });

  it('rejects another format, and JSON that is not an object', () => {
    expect(errorOf(hostile((p) => (p.format = 'other'))).message).toBe('p.json: not a Flowfence policy (format is "other", expected "flowfence-policy")');
    expect(errorOf('null').message).toMatch(/^p\.json: not a Flowfence policy/);
    expect(errorOf('[1, 2]').message).toMatch(/^p\.json: not a Flowfence policy/);
  });

  it('rejects windows that wrap past midnight, and CIDRs that are not CIDRs', () => {
    const overnight = { days: [1], fromHour: 22, toHour: 6, timezone: 'UTC' as const };
    expect(errorOf(hostile((p) => ((p.rules[2] as { window: unknown }).window = overnight))).message).toBe(
      'p.json: rule g1>g2:tcp/5432: window: 22:00–6:00 is empty or wraps past midnight (split it into two rules)',
    );
    expect(errorOf(hostile((p) => ((p.groups as { id: string; match: unknown }[]).find((g) => g.id.startsWith('ext:'))!.match = { cidr: 'not-a-cidr' }))).message).toBe(
      'p.json: group ext:198.51.100.0/24: "not-a-cidr" is not a CIDR',
    );
    expect(errorOf(hostile((p) => ((p.settings as { internalCidrs: string[] }).internalCidrs = ['300.0.0.0/8']))).message).toBe(
      'p.json: settings.internalCidrs: "300.0.0.0/8" is not a CIDR',
    );
  });

  it('rejects a future version, and versions that never existed', () => {
    expect(errorOf(hostile((p) => (p.version = 3))).message).toBe('p.json: policy version 3 is not supported (this Flowfence reads versions 1 to 2)');
    expect(errorOf(hostile((p) => (p.version = 0))).message).toBe('p.json: policy version 0 is not supported (this Flowfence reads versions 1 to 2)');
    expect(errorOf(hostile((p) => (p.version = '2'))).message).toBe('p.json: policy version "2" is not supported (this Flowfence reads versions 1 to 2)');
    expect(errorOf(hostile((p) => (p.version = 1.5))).message).toBe('p.json: policy version 1.5 is not supported (this Flowfence reads versions 1 to 2)');
  });

  it('validates the recorded analysis thresholds, naming the path', () => {
    expect(valid.analysis).not.toBeNull();
    expect(errorOf(hostile((p) => delete p.analysis)).message).toBe("p.json: does not match the policy schema: / must have required property 'analysis'");
    const edit = (change: (analysis: { discovery: Record<string, unknown>; anomalies: Record<string, unknown> }) => void) =>
      hostile((p) => change(p.analysis as { discovery: Record<string, unknown>; anomalies: Record<string, unknown> }));
    expect(errorOf(edit((a) => (a.anomalies.scanTargets = 'many'))).message).toContain('/analysis/anomalies/scanTargets must be number');
    expect(errorOf(edit((a) => (a.discovery.clusters = 0))).message).toContain('/analysis/discovery/clusters must be >= 1');
    expect(errorOf(edit((a) => delete a.discovery.cut)).message).toContain("/analysis/discovery must have required property 'cut'");
    expect(errorOf(edit((a) => (a.discovery.cut = { candidates: null }))).message).toContain('/analysis/discovery/cut/candidates must be number');
    // The bags are open: a threshold added later does not make a file invalid.
    const later = parsePolicy(edit((a) => ((a.discovery.cut as Record<string, unknown>).newThreshold = [1, 'two', { three: true }])), 'p.json');
    expect((later.analysis!.discovery.cut as Record<string, unknown>).newThreshold).toEqual([1, 'two', { three: true }]);
    expect(parsePolicy(hostile((p) => (p.analysis = null)), 'p.json').analysis).toBeNull();
    // A file written before a later bag existed (LATER_DISCOVERY_BAGS) still reads.
    expect(parsePolicy(edit((a) => delete a.discovery.idleReplicas), 'p.json').analysis!.discovery).not.toHaveProperty('idleReplicas');
  });

  it('rejects a missing field, naming it', () => {
    expect(errorOf(hostile((p) => delete p.defaultAction)).message).toBe("p.json: does not match the policy schema: / must have required property 'defaultAction'");
    expect(errorOf(hostile((p) => delete p.rules[0]!.evidence)).message).toBe("p.json: does not match the policy schema: /rules/0 must have required property 'evidence'");
  });

  it('rejects an extra field', () => {
    const message = errorOf(hostile((p) => (p.comment = 'hi'))).message;
    expect(message).toMatch(/^p\.json: does not match the policy schema: \/ must NOT have additional properties/);
    expect(errorOf(hostile((p) => (p.rules[1]!.priority = 1))).message).toMatch(/^p\.json: does not match the policy schema: \/rules\/1 must NOT have additional properties/);
  });

  it('rejects a rule naming a group the policy does not define', () => {
    expect(errorOf(hostile((p) => (p.rules[2]!.from = 'g99'))).message).toBe('p.json: rule g1>g2:tcp/5432: from names group "g99", which the policy does not define');
    expect(errorOf(hostile((p) => (p.rules[2]!.to = 'ext:192.0.2.0/24'))).message).toBe('p.json: rule g1>g2:tcp/5432: to names group "ext:192.0.2.0/24", which the policy does not define');
  });

  it('rejects a rule naming an unknown service', () => {
    expect(errorOf(hostile((p) => (p.rules[2]!.service = 'tcp/1'))).message).toBe('p.json: rule g1>g2:tcp/5432: service "tcp/1" is not defined');
  });

  it('rejects a duplicate rule id and a duplicate group id', () => {
    expect(errorOf(hostile((p) => p.rules.push(p.rules[1]!))).message).toBe('p.json: rule id "g1>g2:tcp/22" appears twice');
    expect(errorOf(hostile((p) => (p.groups as unknown[]).push((p.groups as unknown[])[1]))).message).toBe('p.json: group id "g1" appears twice');
  });

  it('rejects a reversed port range', () => {
    expect(errorOf(hostile((p) => (p.rules[2]!.ports = { from: 5432, to: 80 }))).message).toBe('p.json: rule g1>g2:tcp/5432: port range 5432-80 is reversed');
  });

  it('rejects a digest that is not 64 lowercase hex digits', () => {
    expect(errorOf(hostile((p) => (p.contentSha256 = 'XYZ'))).message).toBe('p.json: does not match the policy schema: /contentSha256 must match pattern "^[0-9a-f]{64}$"');
    expect(errorOf(hostile((p) => (p.contentSha256 = 'A'.repeat(64)))).message).toBe('p.json: does not match the policy schema: /contentSha256 must match pattern "^[0-9a-f]{64}$"');
    expect(errorOf(hostile((p) => ((p.inputs as { sha256: string }).sha256 = 'a'.repeat(63)))).message).toBe('p.json: does not match the policy schema: /inputs/sha256 must match pattern "^[0-9a-f]{64}$"');
  });

  it('rejects out-of-range values inside rules', () => {
    expect(errorOf(hostile((p) => (p.rules[2]!.state = 'maybe'))).message).toBe('p.json: does not match the policy schema: /rules/2/state must be equal to one of the allowed values: "proposed", "approved", "rejected"');
    expect(errorOf(hostile((p) => (p.rules[2]!.ports = { from: 0, to: 70000 }))).message).toContain('/rules/2/ports/to must be <= 65535');
  });
});

describe('POLICY_SCHEMA', () => {
  it('equals resources/policy.schema.json', ({ skip }) => {
    skip(!existsSync(SCHEMA_FILE), 'resources/policy.schema.json does not exist yet (test/tools/write-policy-schema.ts writes it)');
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(POLICY_SCHEMA);
  });
});
