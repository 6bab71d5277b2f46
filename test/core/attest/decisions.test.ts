import { describe, expect, it } from 'vitest';
import { applyDecisions, lapsedCertifications, parseDecisions } from '../../../src/core/attest/decisions';
import { ruleEvidenceSha256 } from '../../../src/core/attest/rule-digest';
import { contentDigest } from '../../../src/core/policy/build-policy';
import { readPolicyFile } from '../../../src/core/policy/policy-schema';
import { policyJson } from '../../../src/core/policy/build-policy';
import { csvLine } from '../../../src/core/report/csv-line';
import { DECISIONS_HEADER } from '../../../src/core/attest/pack-csv';
import { group, handPolicy, rule } from '../policy/fixtures';

// Owners' decisions applied to a policy: states with who, when, why, ticket
// and expiry; an audit trail that only grows; refusals that say why.

const policy = handPolicy([group('g1', ['10.0.1.1']), group('g2', ['10.0.2.1'])], [rule('g1', 'g2', 6, { from: 443, to: 443 }), rule('g1', 'g2', 6, { from: 22, to: 22 }), rule('g2', 'g1', 6, { from: 80, to: 80 })]);
const digest = (id: string): string => ruleEvidenceSha256(policy.rules.find((entry) => entry.id === id)!);
const sheet = (rows: (string | number)[][]): string => [csvLine(DECISIONS_HEADER), ...rows.map(csvLine)].join('');
const NOW = '2026-12-04T10:00:00.000Z';
/** The owner's pack: every rule of the policy, with the digest it was shown with. */
const PACK = new Map(policy.rules.map((entry) => [entry.id, ruleEvidenceSha256(entry)]));

describe('applyDecisions', () => {
  it('sets states with who, when, why, ticket and expiry, appends the audit trail, and reseals the policy', () => {
    const text = sheet([
      ['g1>g2:tcp/443', digest('g1>g2:tcp/443'), 'tcp/443', 'g1', 'g2', 'certify', 'the web tier calls it', 'CHG-1', '2027-06-30', 'alice@example.com', '2026-12-01'],
      ['g1>g2:tcp/22', digest('g1>g2:tcp/22'), 'tcp/22', 'g1', 'g2', 'decertify', 'no one should SSH here', '', '', 'alice@example.com', ''],
      ['g2>g1:tcp/80', digest('g2>g1:tcp/80'), 'tcp/80', 'g2', 'g1', '', '', '', '', '', ''],
    ]);
    const result = applyDecisions(policy, parseDecisions(text, 'decisions.csv'), { name: 'decisions.csv', text }, NOW, PACK);
    expect(result.applied).toEqual([{ rule: 'g1>g2:tcp/443', state: 'approved' }, { rule: 'g1>g2:tcp/22', state: 'rejected' }]);
    expect(result.undecided).toBe(1);
    expect(result.refused).toEqual([]);
    const certified = result.policy.rules.find((entry) => entry.id === 'g1>g2:tcp/443')!;
    expect(certified).toMatchObject({ state: 'approved', decision: { by: 'alice@example.com', at: '2026-12-01T00:00:00.000Z', why: 'the web tier calls it', ticket: 'CHG-1', expires: '2027-06-30T23:59:59.999Z' } });
    expect(result.policy.rules.find((entry) => entry.id === 'g1>g2:tcp/22')).toMatchObject({ state: 'rejected', decision: { at: NOW, ticket: null, expires: null } });
    expect(result.policy.audit).toHaveLength(2);
    expect(result.policy.audit![0]).toMatchObject({ rule: 'g1>g2:tcp/443', state: 'approved', importedAt: NOW, source: { name: 'decisions.csv' } });
    // The file written is a valid policy, its digest over the new content; the evidence digests did not move.
    const { contentSha256, ...content } = result.policy;
    expect(contentSha256).toBe(contentDigest(content));
    expect(readPolicyFile(policyJson(result.policy), 'policy.json')).toMatchObject({ edited: false });
    expect(ruleEvidenceSha256(certified)).toBe(digest('g1>g2:tcp/443'));

    // A second import only appends.
    const again = sheet([['g2>g1:tcp/80', digest('g2>g1:tcp/80'), '', '', '', 'approve', 'health checks', 'CHG-2', '', 'bob', '']]);
    const second = applyDecisions(result.policy, parseDecisions(again, 'more.csv'), { name: 'more.csv', text: again }, NOW, PACK);
    expect(second.policy.audit!.map((entry) => entry.rule)).toEqual(['g1>g2:tcp/443', 'g1>g2:tcp/22', 'g2>g1:tcp/80']);
  });

  it('refuses a decision on changed evidence, without who or why, with a bad date, twice, or on no rule, and applies the rest', () => {
    const rows = parseDecisions(
      JSON.stringify([
        { rule: 'g1>g2:tcp/443', evidence_sha256: '0'.repeat(64), decision: 'certify', justification: 'x', decided_by: 'a' },
        { rule: 'g1>g2:tcp/22', evidence_sha256: digest('g1>g2:tcp/22'), decision: 'certify', justification: '', decided_by: 'a' },
        { rule: 'g1>g2:tcp/22', evidence_sha256: digest('g1>g2:tcp/22'), decision: 'certify', justification: 'x', decided_by: '' },
        { rule: 'g2>g1:tcp/80', evidence_sha256: digest('g2>g1:tcp/80'), decision: 'certify', justification: 'x', decided_by: 'a', expiry: 'next year' },
        { rule: 'g2>g1:tcp/80', evidence_sha256: digest('g2>g1:tcp/80'), decision: 'maybe', justification: 'x', decided_by: 'a' },
        { rule: 'g9>g1:tcp/1', evidence_sha256: '', decision: 'certify', justification: 'x', decided_by: 'a' },
        { rule: 'g2>g1:tcp/80', evidenceSha256: digest('g2>g1:tcp/80'), decision: 'Certify', justification: 'x', decidedBy: 'a' },
        { rule: 'g2>g1:tcp/80', evidenceSha256: digest('g2>g1:tcp/80'), decision: 'certify', justification: 'x', decidedBy: 'a' },
      ]),
      'decisions.json',
    );
    const result = applyDecisions(policy, rows, { name: 'decisions.json', text: '' }, NOW, PACK);
    expect(result.refused.map((entry) => `${entry.where}: ${entry.reason}`)).toEqual([
      'decisions.json item 1: the rule or its evidence changed since the pack was made: decide on a new pack',
      'decisions.json item 2: justification is empty: say why',
      'decisions.json item 3: decided_by is empty: say who decided',
      'decisions.json item 4: expiry "next year" is not a date (YYYY-MM-DD or an ISO 8601 instant)',
      'decisions.json item 5: decision "maybe": write certify or decertify',
      'decisions.json item 6: no such rule in this policy',
      'decisions.json item 8: decided twice in this file: keep one row per rule',
    ]);
    expect(result.applied).toEqual([{ rule: 'g2>g1:tcp/80', state: 'approved' }]);
  });

  it('leaves the policy untouched when nothing applies, and says what a sheet lacks', () => {
    const result = applyDecisions(policy, [], { name: 'empty.csv', text: '' }, NOW, PACK);
    expect(result.policy).toBe(policy);
    expect(() => parseDecisions('a,b\n1,2\n', 'x.csv')).toThrow('x.csv: no "rule" column; fill in the decisions.csv of a pack');
    expect(() => parseDecisions('[1', 'x.json')).toThrow(/x.json: not valid JSON/);
  });

  it('decides only the rules of the owner\'s pack, reads zone-less times as UTC, and refuses impossible dates and expiries before the decision', () => {
    const text = sheet([
      ['g1>g2:tcp/443', digest('g1>g2:tcp/443'), '', '', '', 'certify', 'ok', '', '2027-02-31', 'a', ''],
      ['g1>g2:tcp/22', digest('g1>g2:tcp/22'), '', '', '', 'certify', 'ok', '', '2026-01-01', 'a', '2026-06-01'],
      ['g2>g1:tcp/80', digest('g2>g1:tcp/80'), '', '', '', 'certify', 'ok', '', '', 'a', '2026-06-01T12:00'],
    ]);
    const onlyOne = new Map([['g2>g1:tcp/80', digest('g2>g1:tcp/80')], ['g1>g2:tcp/22', digest('g1>g2:tcp/22')], ['g1>g2:tcp/443', digest('g1>g2:tcp/443')]]);
    const result = applyDecisions(policy, parseDecisions(text, 'd.csv'), { name: 'd.csv', text }, NOW, onlyOne);
    expect(result.refused.map((entry) => entry.reason)).toEqual(['expiry "2027-02-31" is not a date (YYYY-MM-DD or an ISO 8601 instant)', 'expiry 2026-01-01 is before the decision (2026-06-01T00:00:00.000Z)']);
    expect(result.policy.rules.find((entry) => entry.id === 'g2>g1:tcp/80')!.decision!.at).toBe('2026-06-01T12:00:00.000Z');
    const notMine = applyDecisions(policy, parseDecisions(text, 'd.csv'), { name: 'd.csv', text }, NOW, new Map([['g1>g2:tcp/22', digest('g1>g2:tcp/22')]]));
    expect(notMine.refused.filter((entry) => entry.reason === "not a rule of this owner's pack").map((entry) => entry.rule)).toEqual(['g1>g2:tcp/443', 'g2>g1:tcp/80']);
  });

  it('reads back a rule id the CSV guarded against formulas', () => {
    const guarded = handPolicy([group('-web', ['10.0.1.1']), group('g2', ['10.0.2.1'])], [rule('-web', 'g2', 6, { from: 443, to: 443 })]);
    const id = guarded.rules[0]!.id;
    const text = [csvLine(DECISIONS_HEADER), csvLine([id, ruleEvidenceSha256(guarded.rules[0]!), '', '', '', 'certify', 'ok', '', '', 'a', ''])].join('');
    expect(text).toContain(`'${id}`);
    const result = applyDecisions(guarded, parseDecisions(text, 'd.csv'), { name: 'd.csv', text }, NOW, new Map([[id, ruleEvidenceSha256(guarded.rules[0]!)]]));
    expect(result.applied).toEqual([{ rule: id, state: 'approved' }]);
  });
});

describe('lapsedCertifications', () => {
  it('lists approved rules whose certification expired before now', () => {
    const text = sheet([
      ['g1>g2:tcp/443', digest('g1>g2:tcp/443'), '', '', '', 'certify', 'ok', '', '2026-01-31', 'alice', '2025-12-01'],
      ['g2>g1:tcp/80', digest('g2>g1:tcp/80'), '', '', '', 'certify', 'ok', '', '2030-01-31', 'alice', '2025-12-01'],
    ]);
    const decided = applyDecisions(policy, parseDecisions(text, 'd.csv'), { name: 'd.csv', text }, NOW, PACK).policy;
    expect(lapsedCertifications(decided, NOW)).toEqual([{ rule: 'g1>g2:tcp/443', expired: '2026-01-31T23:59:59.999Z', by: 'alice' }]);
  });
});
