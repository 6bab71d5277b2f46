import { describe, expect, it } from 'vitest';
import { describeMatch } from '../../../src/renderer/model/describe-match';

describe('the membership rule as the inspector says it', () => {
  it('says how a host not listed joins, for every kind of rule', () => {
    expect(describeMatch(null)).toBe('none (members listed by address)');
    expect(describeMatch({ label: { key: 'app', value: 'billing' } })).toBe('label app=billing');
    expect(describeMatch({ cidr: '10.1.2.0/24' })).toBe('addresses in 10.1.2.0/24');
    expect(describeMatch({ cidrs: ['10.31.40.0/25', '10.32.40.16/28'] })).toBe('new addresses in 10.31.40.0/25, 10.32.40.16/28 (blocks that hold only its members)');
    expect(describeMatch({ hostnamePrefix: 'web-' })).toBe('host names starting web-');
    expect(describeMatch({ scope: 'internal' })).toBe('every internal host');
  });
});
