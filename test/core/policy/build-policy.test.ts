import { describe, expect, it } from 'vitest';
import { analysisSettings } from '../../../src/core/discover/discovery-settings';
import { buildPolicy, contentDigest, inputsDigest, policyJson } from '../../../src/core/policy/build-policy';
import { canonicalJson, sha256Hex } from '../../../src/core/policy/canonical-json';
import { RuleGenerator } from '../../../src/core/policy/generate-rules';
import type { Policy, PolicyInputFile } from '../../../src/core/policy/policy-model';
import { edge, policyOf, prng, randomInput, shuffle, sourceOf } from './fixtures';

const files: PolicyInputFile[] = [
  { name: 'b.csv', bytes: 20, sha256: 'f'.repeat(64) },
  { name: 'a.csv', bytes: 10, sha256: '1'.repeat(64) },
  { name: 'c.parquet', bytes: 30, sha256: '7'.repeat(64) },
];

function randomPolicy(seed: number, order: number | null): Policy {
  const { input, groups } = randomInput(seed);
  const random = prng(order ?? 0);
  const mix = <T>(list: readonly T[]): T[] => (order === null ? [...list] : shuffle(random, list));
  const sources = mix(groups.map((g) => ({ ...sourceOf(g), members: mix(g.members) })));
  const generator = new RuleGenerator({
    ...input,
    edges: mix(input.edges),
    flagged: new Set(mix([...input.flagged])),
    hosts: new Map(mix([...input.hosts])),
    groups: mix(input.groups),
    assignment: new Map(mix([...input.assignment])),
    logons: mix(input.logons),
  });
  return buildPolicy({ settings: input.settings, analysis: analysisSettings({ discovery: { clusters: 7 }, anomalies: { scanTargets: 30 } }), inputs: mix(files), window: { from: '2026-01-05T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z' }, groups: sources, hosts: input.hosts, generator });
}

describe('buildPolicy', () => {
  it('lays out groups, services and rules in a total order', () => {
    const policy = policyOf({
      edges: [edge('10.0.1.9', '10.0.2.1', 5432), edge('10.0.1.10', '198.51.100.7', 443), edge('10.0.1.9', '10.0.2.1', 123, { proto: 17 })],
      groups: [
        { id: 'g2', name: 'db', members: ['10.0.2.1'] },
        { id: 'g1', name: 'web', members: ['10.0.1.10', '10.0.1.9'], match: { label: { key: 'app', value: 'web' } }, labels: { app: 'web' } },
        { id: 'g3', name: 'empty', members: [] },
      ],
    });
    expect(policy.groups.map((g) => g.id)).toEqual(['ext:198.51.100.0/24', 'g1', 'g2', 'internal']);
    expect(policy.groups[1]).toEqual({ id: 'g1', name: 'web', kind: 'application', members: ['10.0.1.9', '10.0.1.10'], match: { label: { key: 'app', value: 'web' } }, labels: { app: 'web' } });
    expect(policy.groups[3]).toEqual({ id: 'internal', name: 'every internal host', kind: 'all-internal', members: [], match: { scope: 'internal' }, labels: {} });
    expect(policy.services).toEqual([
      { id: 'tcp/443', proto: 6, ports: { from: 443, to: 443 }, name: 'https' },
      { id: 'tcp/5432', proto: 6, ports: { from: 5432, to: 5432 }, name: 'postgresql' },
      { id: 'udp/123', proto: 17, ports: { from: 123, to: 123 }, name: 'ntp' },
    ]);
    expect(policy.rules.map((r) => r.id)).toEqual(['g1>ext:198.51.100.0/24:tcp/443', 'g1>g2:tcp/5432', 'g1>g2:udp/123']);
    expect(policy).toMatchObject({ format: 'flowfence-policy', version: 2, defaultAction: 'deny', inputs: { files: [{ name: 'flows.csv', bytes: 10, sha256: 'a'.repeat(64) }], sha256: sha256Hex('a'.repeat(64)) } });
  });

  it('writes byte-identical policy.json whatever order the edges, groups, members, hosts and inputs came in', () => {
    const reference = policyJson(randomPolicy(11, null));
    for (const order of [1, 2, 3]) expect(policyJson(randomPolicy(11, order))).toBe(reference);
  });

  it('sorts input files by digest and digests the sorted digests', () => {
    const policy = randomPolicy(11, 5);
    expect(policy.inputs.files.map((f) => f.name)).toEqual(['a.csv', 'c.parquet', 'b.csv']);
    expect(policy.inputs.sha256).toBe(sha256Hex(`${'1'.repeat(64)}\n${'7'.repeat(64)}\n${'f'.repeat(64)}`));
  });

  it('stores the SHA-256 of its canonical JSON without that field', () => {
    const policy = randomPolicy(11, null);
    expect(policy.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(policy.contentSha256).toBe(contentDigest(policy));
    const { contentSha256: _digest, ...content } = policy;
    expect(policy.contentSha256).toBe(sha256Hex(canonicalJson(content)));
    expect(contentDigest(content)).toBe(policy.contentSha256);
    expect(policyJson(policy)).toBe(canonicalJson(policy));
    // Any change of content changes the digest.
    expect(contentDigest({ ...policy, rules: policy.rules.slice(1) })).not.toBe(policy.contentSha256);
  });
});

describe('inputsDigest', () => {
  it('is independent of the order of the files and of their names', () => {
    const expected = sha256Hex(`${'1'.repeat(64)}\n${'7'.repeat(64)}\n${'f'.repeat(64)}`);
    expect(inputsDigest(files)).toBe(expected);
    expect(inputsDigest([...files].reverse())).toBe(expected);
    expect(inputsDigest(files.map((f) => ({ ...f, name: `renamed-${f.name}` })))).toBe(expected);
    expect(inputsDigest([])).toBe(sha256Hex(''));
  });
});
