import { describe, expect, it } from 'vitest';
import { gcpTarget } from '../../../src/core/export/gcp-target';
import { groupAddresses } from '../../../src/core/export/group-addresses';
import { group, handPolicy, rule } from '../policy/fixtures';

// A department's desks in two clinics' VLANs: no one CIDR is exact, so the
// group carries the blocks that hold only its members (membership-rule.ts).
// A firewall must name them, as the simulator places new hosts by them.
const desks = group('g1', ['10.31.40.20', '10.31.40.40', '10.32.40.30'], { match: { cidrs: ['10.31.40.0/25', '10.32.40.16/28'] } });
const app = group('g2', ['10.0.2.20']);
const policy = handPolicy([desks, app], [rule('g1', 'g2', 6, { from: 443, to: 443 }), rule('g2', 'g1', 6, { from: 8080, to: 8080 })]);

describe('groupAddresses with several blocks', () => {
  it('names every block beside the members the blocks do not hold', () => {
    // 10.31.40.20 and .40 are inside 10.31.40.0/25, 10.32.40.30 inside 10.32.40.16/28: listed anyway, sorted canonical.
    expect(groupAddresses(policy, 'g1')).toEqual({ v4: ['10.31.40.0/25', '10.31.40.20', '10.31.40.40', '10.32.40.16/28', '10.32.40.30'], v6: [], unexpressed: null });
  });

  it('gcp: the blocks are the source ranges of the group\'s rules, and a note says new hosts there need the tag', () => {
    const output = gcpTarget(policy);
    const tf = output.files.find((file) => file.path === 'gcp/firewall.tf')!.content;
    expect(tf).toContain('"10.31.40.0/25"');
    expect(tf).toContain('"10.32.40.16/28"');
    expect(output.notes.some((note) => note.what.includes('hosts in 10.31.40.0/25, 10.32.40.16/28'))).toBe(true);
  });
});
