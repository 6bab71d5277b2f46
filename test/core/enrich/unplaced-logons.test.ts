import { describe, expect, it } from 'vitest';
import type { LogonSummary } from '../../../src/core/enrich/host-profiles';
import { unplacedLogonsWarning } from '../../../src/core/enrich/unplaced-logons';

const logon = (targetHost: string, targetIp: string | null, count: number): LogonSummary => ({
  user: 'u',
  domain: 'CORP',
  targetHost,
  targetIp,
  sourceIp: '10.0.0.5',
  logonType: 3,
  serviceAccount: false,
  count,
  firstMs: 0,
  lastMs: 0,
});

describe('unplacedLogonsWarning', () => {
  it('is null when every logon is placed at an address', () => {
    expect(unplacedLogonsWarning([logon('dc-1', '10.0.0.10', 4)])).toBeNull();
    expect(unplacedLogonsWarning([])).toBeNull();
  });

  it('counts the logons on unplaced computers and names the busiest, case folded', () => {
    const warning = unplacedLogonsWarning([logon('dc-1', '10.0.0.10', 100), logon('FILES-1.corp', null, 200), logon('files-1.corp', null, 65), logon('web-9', null, 1)]);
    expect(warning).toBe(
      '266 of 366 logons are on computers no inventory row or pod name places at an address: files-1.corp (265), web-9 (1); ' +
        'their users are not shown on any host: add those computers to the inventory (name and address)',
    );
  });

  it('names five computers and says how many more', () => {
    const warning = unplacedLogonsWarning(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((host, i) => logon(host, null, 10 - i)))!;
    expect(warning).toContain(': a (10), b (9), c (8), d (7), e (6) and 2 more;');
  });
});
