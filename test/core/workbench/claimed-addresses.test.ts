// The addresses membership rules already hold (claimed-addresses.ts): what a later rule keeps.
import { describe, expect, it } from 'vitest';
import { ClaimedAddresses } from '../../../src/core/workbench/claimed-addresses';

describe('ClaimedAddresses', () => {
  it('keeps a block whole when nothing holds any of it', () => {
    const claimed = new ClaimedAddresses();
    claimed.claim(['10.0.1.0/24']);
    expect(claimed.unclaimed(['10.0.0.0/24', '10.0.2.0/25'])).toEqual(['10.0.0.0/24', '10.0.2.0/25']);
  });

  it('cuts out what earlier claims hold, in the middle and at either end, as the fewest blocks', () => {
    const claimed = new ClaimedAddresses();
    claimed.claim(['10.0.0.0/27', '10.0.0.32/29']);
    claimed.claim(['10.0.0.128/26']);
    // .0–.39 and .128–.191 are held: .40–.127 and .192–.255 are left.
    expect(claimed.unclaimed(['10.0.0.0/24'])).toEqual(['10.0.0.40/29', '10.0.0.48/28', '10.0.0.64/26', '10.0.0.192/26']);
    expect(claimed.unclaimed(['10.0.0.0/26'])).toEqual(['10.0.0.40/29', '10.0.0.48/28']);
    expect(claimed.unclaimed(['10.0.0.128/25'])).toEqual(['10.0.0.192/26']);
  });

  it('leaves nothing of a block wholly held, and joins adjacent claims', () => {
    const claimed = new ClaimedAddresses();
    claimed.claim(['10.0.0.0/25']);
    claimed.claim(['10.0.0.128/25']);
    expect(claimed.unclaimed(['10.0.0.64/26', '10.0.0.100/32', '10.0.0.0/24'])).toEqual([]);
  });

  it('passes on what is not an IPv4 block, and claims nothing with it', () => {
    const claimed = new ClaimedAddresses();
    claimed.claim(['fd00::/64', 'not a block', '10.0.0.0/33']);
    expect(claimed.unclaimed(['fd00::/64', '10.0.0.0/30'])).toEqual(['fd00::/64', '10.0.0.0/30']);
  });
});
