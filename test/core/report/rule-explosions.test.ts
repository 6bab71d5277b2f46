import { describe, expect, it } from 'vitest';
import { RULE_EXPLOSION_DEFAULTS, ruleExplosionWarning } from '../../../src/core/report/rule-explosions';

// Hundreds of single-port rules between two groups are reported, not emitted silently.

const rule = (from: string, to: string, proto: number, from_: number, to_ = from_) => ({ from, to, proto, ports: { from: from_, to: to_ } });
const groups = [
  { id: 'g1', name: 'clients of udp/32813' },
  { id: 'g2', name: 'http tcp/80' },
];
const many = (count: number, proto = 17, from = 'g1', to = 'g2') => Array.from({ length: count }, (_, i) => rule(from, to, proto, 40000 + 3 * i));

describe('ruleExplosionWarning', () => {
  it('names a pair with at least minRules single-port rules of one protocol, with the span of its ports', () => {
    const warning = ruleExplosionWarning({ rules: many(RULE_EXPLOSION_DEFAULTS.minRules), groups });
    expect(warning).toContain(`g1 (clients of udp/32813) → g2 (http tcp/80): ${RULE_EXPLOSION_DEFAULTS.minRules} udp ports from 40000 to ${40000 + 3 * (RULE_EXPLOSION_DEFAULTS.minRules - 1)}`);
    expect(warning).toMatch(/^a pair of groups is joined/);
  });

  it('says nothing below the bound, and counts neither ranges, nor other protocols, nor other pairs toward it', () => {
    const below = many(RULE_EXPLOSION_DEFAULTS.minRules - 1);
    expect(ruleExplosionWarning({ rules: below, groups })).toBeNull();
    const mixed = [...below, rule('g1', 'g2', 17, 1000, 1100), rule('g1', 'g2', 6, 443), rule('g2', 'g1', 17, 5000), { from: 'g1', to: 'g2', proto: 1, ports: null }];
    expect(ruleExplosionWarning({ rules: mixed, groups })).toBeNull();
  });

  it('lists the largest pairs first, at most maxListed, and counts the rest', () => {
    const pairs = Array.from({ length: RULE_EXPLOSION_DEFAULTS.maxListed + 2 }, (_, k) => many(RULE_EXPLOSION_DEFAULTS.minRules + k, 6, `g${10 + k}`, 'ext:192.0.2.0/24')).flat();
    const warning = ruleExplosionWarning({ rules: pairs, groups })!;
    expect(warning).toMatch(new RegExp(`^${RULE_EXPLOSION_DEFAULTS.maxListed + 2} pairs of groups are joined`));
    expect(warning.indexOf(`g${10 + RULE_EXPLOSION_DEFAULTS.maxListed + 1} →`)).toBeLessThan(warning.indexOf(`g${10 + RULE_EXPLOSION_DEFAULTS.maxListed} →`));
    expect(warning).not.toContain('g10 →');
    expect(warning).toContain('; and 2 more pairs');
  });
});
