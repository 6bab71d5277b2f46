import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import { ruleSetBundle, WORKBENCH_TARGETS } from '../../../src/core/workbench/rule-set-bundle';
import { group, handPolicy, rule } from '../policy/fixtures';

// The workbench's rule sets: the export's files in one zip, the same bytes
// for the same policy, and the Kubernetes targets refused with the way out.

const policy = handPolicy([group('g1', ['10.0.1.1']), group('g2', ['10.0.2.1'])], [rule('g1', 'g2', 6, { from: 443, to: 443 })]);

describe('ruleSetBundle', () => {
  it('zips exactly the export\'s files, report and notes included, the same bytes every time', () => {
    const bundle = ruleSetBundle(policy, ['nftables', 'gcp'], false);
    const files = unzipSync(bundle.bytes);
    const expected = exportPolicy(policy, { targets: ['nftables', 'gcp'], logDrops: false });
    expect(Object.keys(files).sort()).toEqual(expected.files.map((file) => file.path).sort());
    for (const file of expected.files) expect(strFromU8(files[file.path]!)).toBe(file.content);
    expect(bundle.report).toEqual(expected.report);
    expect(ruleSetBundle(policy, ['gcp', 'nftables'], false).bytes).toEqual(bundle.bytes);
  });

  it('offers every target but those that need the pod lists, and says so when asked for them', () => {
    expect(WORKBENCH_TARGETS).not.toContain('k8s');
    expect(WORKBENCH_TARGETS).not.toContain('cilium');
    expect(WORKBENCH_TARGETS).toContain('aws-sg');
    expect(() => ruleSetBundle(policy, ['k8s'], false)).toThrow('the workbench does not export k8s: Kubernetes targets need the pod lists, use flowfence export --pods');
    expect(() => ruleSetBundle(policy, [], false)).toThrow('choose at least one target');
  });
});
