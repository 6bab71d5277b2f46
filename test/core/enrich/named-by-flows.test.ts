import { describe, expect, it } from 'vitest';
import { observedHostNames, withObservedPods } from '../../../src/core/enrich/named-by-flows';
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
});
