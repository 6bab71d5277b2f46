import { describe, expect, it } from 'vitest';
import { namesFromNsgs, observedHostLabels, observedHostNames, withObservedPods } from '../../../src/core/enrich/named-by-flows';
import { newFileReport } from '../../../src/core/ingest/file-report';

describe('hosts named by the flow records', () => {
  it('pods fill in only the addresses no pod list names', () => {
    const report = newFileReport('flows.json');
    report.observedPods = [
      { ip: '10.0.0.1', namespace: 'a', pod: 'hubble-name', labels: { app: 'x' }, owner: null },
      { ip: '10.0.0.2', namespace: 'a', pod: 'other', labels: {}, owner: null },
    ];
    const listed = [{ ips: ['10.0.0.1'], pod: 'listed-name', namespace: 'a', labels: { app: 'y' }, owner: null }];
    expect(withObservedPods(listed, [report]).map((entry) => entry.pod)).toEqual(['listed-name', 'other']);
  });

  it('keep one host name per address over all files, the same in any file order', () => {
    const a = newFileReport('a.json');
    a.observedNames = [{ ip: '10.0.0.1', name: 'web-1' }, { ip: '10.0.0.2', name: 'db' }];
    const b = newFileReport('b.json');
    b.observedNames = [{ ip: '10.0.0.1', name: 'web-0' }];
    const expected = [{ ip: '10.0.0.1', name: 'web-0' }, { ip: '10.0.0.2', name: 'db' }];
    expect(observedHostNames([a, b])).toEqual(expected);
    expect(observedHostNames([b, a])).toEqual(expected);
  });

  it('a per-VM NSG guarding one address names it after the VM; a shared one names no one', () => {
    const report = newFileReport('nsg.json');
    report.observedLabels = [
      { ip: '10.0.0.4', key: 'azure:nsg', value: 'FABRIKAMVM1-NSG' },
      { ip: '10.0.0.5', key: 'azure:nsg', value: 'SUBNET-NSG' },
      { ip: '10.0.0.6', key: 'azure:nsg', value: 'SHARED-NSG' },
      { ip: '10.0.0.7', key: 'azure:nsg', value: 'SHARED-NSG' },
      { ip: '10.0.0.8', key: 'azure:allowed-by', value: 'UserRule_X-nsg' },
    ];
    expect(namesFromNsgs(report.observedLabels)).toEqual([
      { ip: '10.0.0.4', name: 'fabrikamvm1' },
      { ip: '10.0.0.5', name: 'subnet' },
    ]);
    // The VM name a GCP record gave wins over the NSG's.
    const gcp = newFileReport('gcp.json');
    gcp.observedNames = [{ ip: '10.0.0.5', name: 'db-0' }];
    expect(observedHostNames([report, gcp])).toEqual([
      { ip: '10.0.0.4', name: 'fabrikamvm1' },
      { ip: '10.0.0.5', name: 'db-0' },
    ]);
  });

  it('an NSG seen guarding a second address in another file no longer names the first; labels merge in any file order', () => {
    const a = newFileReport('a.json');
    a.observedLabels = [{ ip: '10.0.0.4', key: 'azure:nsg', value: 'VM1-NSG' }];
    const b = newFileReport('b.json');
    b.observedLabels = [
      { ip: '10.0.0.4', key: 'azure:nsg', value: 'VM1-NSG' },
      { ip: '10.0.0.9', key: 'azure:nsg', value: 'VM1-NSG' },
    ];
    expect(observedHostNames([a])).toEqual([{ ip: '10.0.0.4', name: 'vm1' }]);
    expect(observedHostNames([a, b])).toEqual([]);
    expect(observedHostLabels([a, b])).toEqual(observedHostLabels([b, a]));
    expect(observedHostLabels([a, b])).toHaveLength(2);
  });

  it("a VM name given to several internal addresses (a node and its pods' alias addresses) names none of them", () => {
    const report = newFileReport('vpc_flows.json');
    report.observedNames = [
      { ip: '10.128.0.10', name: 'worker-1' },
      { ip: '10.52.4.3', name: 'worker-1' },
      { ip: '10.52.4.7', name: 'worker-1' },
      { ip: '10.128.0.11', name: 'db-vm' },
      { ip: '203.0.113.9', name: 'db-vm' },
    ];
    // A VM and its public address stay named.
    expect(observedHostNames([report])).toEqual([
      { ip: '10.128.0.11', name: 'db-vm' },
      { ip: '203.0.113.9', name: 'db-vm' },
    ]);
    // What counts as internal is the analysis' own scope (--internal): a public pod range too.
    const publicPods = newFileReport('vpc_flows.json');
    publicPods.observedNames = [{ ip: '10.128.0.12', name: 'worker-2' }, { ip: '198.51.100.4', name: 'worker-2' }];
    expect(observedHostNames([publicPods])).toHaveLength(2);
    expect(observedHostNames([publicPods], [], () => true)).toEqual([]);
  });
});
