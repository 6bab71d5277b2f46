import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import type { PolicyPod } from '../../../src/core/policy/policy-model';
import { ruleSetBundle, workbenchTargets } from '../../../src/core/workbench/rule-set-bundle';
import { group, handPolicy, rule } from '../policy/fixtures';

// The workbench's rule sets: the export's files in one zip, the same bytes
// for the same policy, and the Kubernetes targets offered only when the
// analysis knew pods (refused with the way out otherwise).

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

  it('offers the pod targets only when the analysis knew pods, and says what to do when asked for them without', () => {
    expect(workbenchTargets(0)).not.toContain('k8s');
    expect(workbenchTargets(0)).not.toContain('cilium');
    expect(workbenchTargets(0)).toContain('aws-sg');
    expect(workbenchTargets(2)).toEqual(expect.arrayContaining(['k8s', 'cilium', 'aws-sg']));
    expect(() => ruleSetBundle(policy, ['k8s'], false)).toThrow('the workbench cannot export k8s: the analysis knew no pods: add the pod lists (kubectl get pods -A -o json) to the files analysed');
    expect(() => ruleSetBundle(policy, [], false)).toThrow('choose at least one target');
  });

  it('exports NetworkPolicies and CiliumNetworkPolicies for the pods the policy recorded', () => {
    const pod = (name: string, ip: string, app: string): PolicyPod => ({ namespace: 'shop', pod: name, ips: [ip], labels: { app }, owner: null, hostIp: null, hostNetwork: false, source: 'pod-list' });
    const withPods = { ...policy, pods: [pod('web-1', '10.0.1.1', 'web'), pod('db-1', '10.0.2.1', 'db')] };
    const bundle = ruleSetBundle(withPods, ['k8s', 'cilium'], false);
    const files = unzipSync(bundle.bytes);
    const yaml = strFromU8(files['k8s/networkpolicies.yaml']!);
    // The server group's pods are selected by their label, and the client's admitted by theirs.
    expect(yaml).toMatch(/podSelector:\s+matchLabels:\s+app: db/);
    expect(yaml).toMatch(/matchLabels:\s+app: web/);
    expect(strFromU8(files['cilium/ciliumnetworkpolicies.yaml']!)).toContain('CiliumNetworkPolicy');
    expect(bundle.report.targets.map((target) => [target.target, target.rulesExported])).toEqual([['cilium', 1], ['k8s', 1]]);
  });
});
