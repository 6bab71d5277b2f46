import { describe, expect, it } from 'vitest';
import { withObservedPods } from '../../../src/core/enrich/observed-pod-entries';
import { newFileReport } from '../../../src/core/ingest/file-report';

describe('withObservedPods', () => {
  it('fill in only the addresses no pod list names', () => {
    const report = newFileReport('flows.json');
    report.observedPods = [
      { ip: '10.0.0.1', namespace: 'a', pod: 'hubble-name', labels: { app: 'x' }, owner: null },
      { ip: '10.0.0.2', namespace: 'a', pod: 'other', labels: {}, owner: null },
    ];
    const listed = [{ ips: ['10.0.0.1'], pod: 'listed-name', namespace: 'a', labels: { app: 'y' }, owner: null }];
    expect(withObservedPods(listed, [report]).map((entry) => entry.pod)).toEqual(['listed-name', 'other']);
  });
});
