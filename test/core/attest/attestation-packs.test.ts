import { csvParseRows } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { attestationPacks } from '../../../src/core/attest/attestation-packs';
import { escapeHtml } from '../../../src/core/attest/html-escape';
import { preAuthenticationEncoding, packStatement } from '../../../src/core/attest/in-toto';
import { groupsByOwner, ownerSlug } from '../../../src/core/attest/owners';
import { changesSince } from '../../../src/core/attest/pack-content';
import { packCoverage } from '../../../src/core/attest/pack-replay';
import { ruleEvidenceSha256 } from '../../../src/core/attest/rule-digest';
import { sha256Hex } from '../../../src/core/policy/canonical-json';
import { newFileReport } from '../../../src/core/ingest/file-report';
import { XMLValidator } from 'fast-xml-parser';
import { measureTrend } from '../../../src/core/measures/measure-trend';
import { edge, group, handPolicy, hostsOf, rule } from '../policy/fixtures';
import { HOSTILE } from '../export/hostile-policy';

// Attestation packs on hand-made policies: who gets which groups and rules,
// what the HTML may load, the manifest's encoding, coverage gaps, changes
// since the last attested policy, and hostile text kept as text.

const policy = handPolicy(
  [
    group('g1', ['10.0.1.1', '10.0.1.2'], { labels: { owner: 'billing@example.com' } }),
    group('g2', ['10.0.2.1'], { labels: { owner: 'billing@example.com' } }),
    group('g3', ['10.0.3.1'], { labels: { owner: 'crm@example.com' } }),
    group('g4', ['10.0.4.1']),
  ],
  [
    rule('g1', 'g2', 6, { from: 5432, to: 5432 }),
    rule('g3', 'g1', 6, { from: 443, to: 443 }),
    rule('g4', 'g3', 6, { from: 22, to: 22 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } }),
    rule('internal', 'g4', 17, { from: 53, to: 53 }),
  ],
);
const sources = { reasons: new Map([['10.0.1.1', 'serves tcp/8080 (2/2)']]), anomalies: [{ kind: 'scan', src: '10.0.3.1', dst: '28 hosts', reason: 'probed 300 targets' }], previous: null, replay: null, coverage: null, generatedAt: '2026-12-04T00:00:00.000Z' };

describe('groupsByOwner', () => {
  it('splits internal groups by the owner label, the unowned last, each in a folder of its own', () => {
    expect(groupsByOwner(policy, 'owner').map((owner) => [owner.owner, owner.slug, owner.groups.map((entry) => entry.id)])).toEqual([
      ['billing@example.com', 'billing@example.com', ['g1', 'g2']],
      ['crm@example.com', 'crm@example.com', ['g3']],
      [null, 'unowned', ['g4']],
    ]);
  });

  it('makes folder names safe and distinct whatever the owner is called', () => {
    expect(ownerSlug('../../etc')).toMatch(/^etc-[0-9a-f]{8}$/);
    expect(ownerSlug('A B')).not.toBe(ownerSlug('a_b'));
    for (const hostile of HOSTILE) expect(ownerSlug(hostile)).toMatch(/^[a-z0-9._@-]+$/);
  });
});

describe('attestationPacks', () => {
  const packs = attestationPacks(policy, 'owner', sources);
  const billing = packs[0]!;
  const file = (name: string): string => billing.files.find((entry) => entry.path === name)!.content as string;

  it('lists the rules touching the owner\'s groups, with the evidence digest a decision is bound to', () => {
    const rules = csvParseRows(file('rules.csv'));
    expect(rules.slice(1).map((row) => [row[0], row[1]])).toEqual([['g1>g2:tcp/5432', 'both'], ['g3>g1:tcp/443', 'serves']]);
    const decisions = csvParseRows(file('decisions.csv'));
    expect(decisions[0]).toEqual(['rule', 'evidence_sha256', 'service', 'from', 'to', 'decision', 'justification', 'ticket', 'expiry', 'decided_by', 'decided_at']);
    expect(decisions[1]![1]).toBe(ruleEvidenceSha256(policy.rules.find((entry) => entry.id === 'g1>g2:tcp/5432')!));
    expect(JSON.parse(file('pack.json'))).toMatchObject({ format: 'flowfence-attestation-pack', owner: 'billing@example.com', rules: [{ id: 'g1>g2:tcp/5432' }, { id: 'g3>g1:tcp/443' }] });
  });

  it('puts just-in-time rules and their candidate requesters in the pack of each group they touch', () => {
    const crm = packs[1]!.files.find((entry) => entry.path === 'report.html')!.content;
    expect(crm).toContain('alice (3 logons)');
    expect(crm).toContain('probed 300 targets');
  });

  it('signs over every file: the statement names each by its SHA-256, in name order', () => {
    expect(billing.statement.subject.map((subject) => subject.name)).toEqual(['decisions.csv', 'members.csv', 'pack.json', 'report.html', 'rules.csv']);
    for (const subject of billing.statement.subject) expect(subject.digest.sha256).toBe(sha256Hex(file(subject.name)));
    expect(billing.statement.predicate).toMatchObject({ owner: 'billing@example.com', policySha256: policy.contentSha256, rules: 2 });
  });

  it('writes HTML that loads nothing: a CSP allowing only its own stylesheet, no script, no link', () => {
    const html = file('report.html');
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)![1]!;
    expect(csp).toMatch(/^default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/=]+&#39;;/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=/i);
    const style = html.match(/<style>([\s\S]*?)<\/style>/)![1]!;
    const hash = csp.match(/sha256-([A-Za-z0-9+/=]+)/)![1]!;
    expect(Buffer.from(hash, 'base64').toString('hex')).toBe(sha256Hex(style));
    expect(html).toContain('@media print');
  });

  it('keeps hostile names, owners and reasons as text in the HTML and the CSV', () => {
    const hostile = handPolicy([group('g1', ['10.0.1.1'], { name: HOSTILE[3]!, labels: { owner: HOSTILE[3]! } }), group('g2', ['10.0.2.1'], { name: HOSTILE[1]!, labels: { owner: HOSTILE[3]! } })], [rule('g1', 'g2', 6, { from: 80, to: 80 }, { identity: { label: { key: HOSTILE[0]!, value: HOSTILE[2]! } } })]);
    const [pack] = attestationPacks(hostile, 'owner', { ...sources, reasons: new Map([['10.0.1.1', HOSTILE[3]!]]) });
    const html = pack!.files.find((entry) => entry.path === 'report.html')!.content;
    expect(html).not.toContain('<script>');
    expect(html).toContain(escapeHtml(HOSTILE[3]!));
    for (const name of ['rules.csv', 'members.csv', 'decisions.csv']) {
      for (const row of csvParseRows(pack!.files.find((entry) => entry.path === name)!.content as string)) for (const cell of row) expect(cell).not.toMatch(/(^|[\n\r]) *[=+\-@\t\r]/);
    }
  });

  it('is the same whatever order the policy lists groups and rules in', () => {
    const shuffled = { ...policy, groups: [...policy.groups].reverse(), rules: [...policy.rules].reverse() };
    expect(attestationPacks(shuffled, 'owner', sources)).toEqual(packs);
  });
});

describe('the manifest\'s encoding', () => {
  it('is DSSE\'s pre-authentication encoding, lengths in bytes', () => {
    // The DSSE protocol's own example: PAE("http://example.com/HelloWorld", "hello world").
    expect(new TextDecoder().decode(preAuthenticationEncoding('http://example.com/HelloWorld', new TextEncoder().encode('hello world')))).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    expect(preAuthenticationEncoding('t', new TextEncoder().encode('é')).length).toBe('DSSEv1 1 t 2 '.length + 2);
  });

  it('is an in-toto Statement v1', () => {
    expect(packStatement([{ path: 'b', sha256: '2' }, { path: 'a', sha256: '1' }], { owner: null, ownerLabel: 'owner', policySha256: 'x', generatedAt: 't', rules: 0 })).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'a', digest: { sha256: '1' } }, { name: 'b', digest: { sha256: '2' } }],
      predicateType: 'https://flowfence.dev/attestation-pack/v1',
      predicate: { owner: null, ownerLabel: 'owner', policySha256: 'x', generatedAt: 't', rules: 0 },
    });
  });
});

describe('packCoverage and changesSince', () => {
  it('counts days and hours with traffic and names gaps of two silent hours or more', () => {
    const hour = Date.UTC(2026, 0, 5) / 3_600_000;
    const report = { ...newFileReport('/data/flows.log'), format: 'zeek-conn' as const, accepted: 10, rejected: 1, read: 11 };
    const coverage = packCoverage([{ hour, flows: 3 }, { hour: hour + 1, flows: 1 }, { hour: hour + 3, flows: 1 }, { hour: hour + 30, flows: 2 }], [report]);
    expect(coverage).toEqual({
      from: '2026-01-05T00:00:00.000Z',
      to: '2026-01-06T07:00:00.000Z',
      daysObserved: 2,
      hoursObserved: 4,
      sources: [{ name: 'flows.log', format: 'zeek-conn', accepted: 10, rejected: 1 }],
      gaps: [{ from: '2026-01-05T04:00:00.000Z', to: '2026-01-06T06:00:00.000Z', hours: 26 }],
    });
  });

  it('lists the owner\'s rules added, removed and changed since the previous policy', () => {
    const previous = handPolicy(policy.groups, [rule('g1', 'g2', 6, { from: 5432, to: 5432 }, { window: { days: [1], fromHour: 8, toHour: 18, timezone: 'UTC' } }), rule('g2', 'g1', 6, { from: 22, to: 22 })]);
    expect(changesSince(previous, policy, new Set(['g1', 'g2']))).toEqual({ previousSha256: previous.contentSha256, added: ['g3>g1:tcp/443'], removed: ['g2>g1:tcp/22'], changed: ['g1>g2:tcp/5432'] });
  });
});

describe('measures of success in the report', () => {
  const edges = [edge('10.0.1.1', '10.0.2.1', 5432), edge('10.0.3.1', '10.0.1.1', 443)];
  const measures = measureTrend([{ name: HOSTILE[3]!, policy, flows: { edges, replay: edges, hosts: hostsOf(edges) }, anomalies: null }]);
  const report = (withMeasures: boolean): string => attestationPacks(policy, 'owner', { ...sources, measures: withMeasures ? measures : null })[0]!.files.find((entry) => entry.path === 'report.html')!.content as string;

  it('charts every measure as inline SVG that the page\'s CSP lets through: no script, no link, no style attribute or element', () => {
    const html = report(true);
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((match) => match[0]);
    expect(svgs).toHaveLength(7);
    for (const svg of svgs) {
      expect(XMLValidator.validate(svg)).toBe(true);
      expect(svg).not.toMatch(/ style="|<style|<script|href=|src=/i);
    }
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=/i);
    // The page keeps exactly one stylesheet, the hashed one.
    expect(html.match(/<style/g)).toHaveLength(1);
    // The snapshot's hostile name is text in the table and in the charts.
    expect(html).toContain(escapeHtml(HOSTILE[3]!));
    expect(html).not.toContain(HOSTILE[3]!);
  });

  it('says plainly when attest was given no measures', () => {
    expect(report(false)).toContain('Not measured');
    expect(report(false)).not.toContain('<svg');
  });
});
