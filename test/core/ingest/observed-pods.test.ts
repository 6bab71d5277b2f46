import { describe, expect, it } from 'vitest';
import { MAX_OBSERVED_PODS, ObservedPods, type ObservedPod } from '../../../src/core/ingest/observed-pods';

// The distinct pods a file's records name: one entry per pod, the fullest, bounded.

describe('ObservedPods', () => {
  const pod = (labels: Record<string, string>, owner: ObservedPod['owner'] = null): ObservedPod => ({ ip: '10.0.0.1', namespace: 'a', pod: 'p', labels, owner });

  it('keeps one entry per pod, the fullest, whatever the order of the records', () => {
    const records = [pod({}), pod({ app: 'x' }), pod({ app: 'y' }), pod({ app: 'x' }, { kind: 'Deployment', name: 'x' })];
    const lists = [records, [...records].reverse()].map((order) => {
      const observed = new ObservedPods();
      for (const record of order) observed.add(record);
      return observed.list();
    });
    expect(lists[0]).toEqual([pod({ app: 'x' }, { kind: 'Deployment', name: 'x' })]);
    expect(lists[1]).toEqual(lists[0]);
  });

  it('stops keeping pods at its bound and counts the rest', () => {
    const observed = new ObservedPods();
    for (let n = 0; n < MAX_OBSERVED_PODS + 3; n++) observed.add({ ip: `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`, namespace: 'a', pod: `p${n}`, labels: {}, owner: null });
    expect(observed.list()).toHaveLength(MAX_OBSERVED_PODS);
    expect(observed.overflow).toBe(3);
  });
});
