import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../src/core/policy/policy-model';
import { filterRules } from '../../../src/renderer/model/rule-filter';

const rule = (id: string, from: string, to: string, service: string) => ({ id, from, to, service, state: 'proposed' });
const policy = {
  groups: [
    { id: 'g1', name: 'monitoring (scrapes tcp/9100)' },
    { id: 'g2', name: 'prod · billing · web' },
  ],
  rules: [rule('g1>internal:tcp/9100', 'g1', 'internal', 'tcp/9100'), rule('g1>g2:udp/514', 'g1', 'g2', 'udp/514'), rule('ext>g2:tcp/443', 'ext:198.51.100.0/24', 'g2', 'tcp/443')],
} as unknown as Policy;

describe('the rules filter', () => {
  it('keeps every rule for an empty text and matches ids, group names and services, ignoring case', () => {
    expect(filterRules(policy, '  ')).toHaveLength(3);
    expect(filterRules(policy, 'BILLING').map((entry) => entry.id)).toEqual(['g1>g2:udp/514', 'ext>g2:tcp/443']);
    // A group's name holding the text keeps its rules too: the table shows names.
    expect(filterRules(policy, 'tcp/9100').map((entry) => entry.id)).toEqual(['g1>internal:tcp/9100', 'g1>g2:udp/514']);
    expect(filterRules(policy, '198.51.100')).toHaveLength(1);
    expect(filterRules(policy, 'nothing like it')).toHaveLength(0);
  });
});
