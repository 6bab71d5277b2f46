import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';

const UNSW = join(fileURLToPath(new URL('../../fixtures/unsw-nb15', import.meta.url)), 'UNSW-NB15_1-excerpt.csv');
const DEMO = join(fileURLToPath(new URL('../../..', import.meta.url)), 'resources', 'demo');

describe('a capture whose own hosts have public addresses', () => {
  it('says so, and proposes the --internal ranges that carry its traffic (UNSW-NB15 excerpt)', async () => {
    const run = await cli(['analyze', UNSW, '--json']);
    const summary = JSON.parse(run.stdout);
    expect(summary.groups).toEqual([]);
    expect(summary.warnings).toEqual([
      "100% of the flows are between two addresses outside the internal ranges: this capture's own hosts seem to use public addresses, and groups and rules are made for internal hosts only. " +
        "If they are the capture's own networks, rerun with --internal 149.171.0.0/16 --internal 59.166.0.0/16 (the blocks that carry most of that traffic)",
    ]);
    // The human summary gives it too.
    expect((await cli(['analyze', UNSW])).stdout).toContain('warning: 100% of the flows are between two addresses outside the internal ranges');
  });

  it('with the proposed ranges, the hosts are grouped and the warning is gone', async () => {
    const summary = JSON.parse((await cli(['analyze', UNSW, '--internal', '149.171.0.0/16', '--internal', '59.166.0.0/16', '--json'])).stdout);
    expect(summary.warnings).toBeUndefined();
    expect(summary.groups.length).toBeGreaterThan(0);
    expect(summary.enrichment.internalHosts).toBeGreaterThan(0);
  });

  it('an estate with internal traffic gets no such warning', async () => {
    expect(JSON.parse((await cli(['analyze', DEMO, '--json'])).stdout).warnings).toBeUndefined();
  });
});
