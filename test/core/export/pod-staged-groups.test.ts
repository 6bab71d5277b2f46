import { describe, expect, it } from 'vitest';
import { policyDrafts, stagedLeftOpen, type PolicyDraft } from '../../../src/core/export/pod-groups';
import type { GroupSelection } from '../../../src/core/export/k8s-selectors';
import { ALL_INTERNAL, type GroupStage } from '../../../src/core/policy/policy-model';
import { group, handPolicy, rule } from '../policy/fixtures';

// What the k8s and cilium targets share for staged groups: a pod policy
// cannot observe, so a staged group's drafts go, with a note naming why.

const staged = (stage: 'observe' | 'selective', services: string[] = []): GroupStage => ({
  stage,
  services,
  canary: false,
  override: false,
  decision: { by: 'ana', at: '2026-12-01T00:00:00Z', why: 'canary', ticket: null },
});

const selection = (namespace: string, app: string): GroupSelection => ({ namespace, selector: { matchLabels: { app } }, extra: [] });

describe('stagedLeftOpen', () => {
  it('drops the drafts of observed and selective groups, keeps the enforced ones, and notes each open group with the reason given', () => {
    const web = rule('g1', 'g2', 6, { from: 443, to: 443 });
    const policy = handPolicy(
      [
        group('g1', ['10.244.0.10']),
        group('g2', ['10.244.0.20'], { stage: staged('observe') }),
        group('g3', ['10.244.0.30'], { stage: staged('selective', [web.service]) }),
        group('g4', ['10.244.0.40']),
      ],
      [web],
    );
    const drafts = policyDrafts<string>(
      policy,
      new Map([
        ['g1', [selection('shop', 'web')]],
        ['g2', [selection('shop', 'cart')]],
        ['g3', [selection('shop', 'db'), selection('batch', 'db')]],
        ['g4', [selection('batch', 'report')]],
      ]),
    );
    const result = stagedLeftOpen(policy, 'cilium', drafts, 'no policy can audit');
    expect(result.openGroups).toEqual(['g2', 'g3']);
    expect(result.coverage.leftOpen).toEqual([
      { group: 'g2', stage: 'observe', why: 'no policy can audit' },
      { group: 'g3', stage: 'selective', why: 'no policy can audit' },
    ]);
    expect(result.coverage.enforced).toEqual(['g1', 'g4']);
    expect(result.notes.map((note) => [note.target, note.what, note.action, note.instead])).toEqual([
      ['cilium', 'group g2 in observe', 'left-open', 'no policy can audit'],
      ['cilium', `group g3 in selective on ${web.service}`, 'left-open', 'no policy can audit'],
    ]);
    const groupsOf = (list: PolicyDraft<string>[]) => list.map((draft) => draft.group.id);
    expect(groupsOf(result.podDrafts)).toEqual(['g1', 'g4']);
    expect(groupsOf(result.draftsOf(ALL_INTERNAL))).toEqual(['g1', 'g4']);
    expect(groupsOf(result.draftsOf('g1'))).toEqual(['g1']);
    expect(result.draftsOf('g2')).toEqual([]);
    expect(result.draftsOf('no such group')).toEqual([]);
  });
});
