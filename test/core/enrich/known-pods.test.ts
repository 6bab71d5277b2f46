import { describe, expect, it } from 'vitest';
import { knownPods } from '../../../src/core/enrich/known-pods';
import type { PodEntry } from '../../../src/core/enrich/kubernetes';
import { newFileReport } from '../../../src/core/ingest/file-report';

// The pods a policy records: what the pod lists said, then what only the
// flow records named, in one canonical order whatever the order of inputs.

const listed: PodEntry[] = [
  { ips: ['10.0.0.9', '10.0.0.1'], pod: 'web-1', namespace: 'shop', labels: { version: 'v1', app: 'web' }, owner: { kind: 'ReplicaSet', name: 'web-5d9' }, hostIp: '192.168.0.4', hostNetwork: false },
  { ips: ['192.168.0.4'], pod: 'node-exporter-x', namespace: 'monitoring', labels: { app: 'node-exporter' }, owner: null, hostIp: '192.168.0.4', hostNetwork: true },
  { ips: ['10.0.0.2'], pod: 'db-0', namespace: 'shop', labels: { app: 'db' }, owner: null },
];

function flowReport() {
  const report = newFileReport('hubble.json');
  report.observedPods = [
    // Named by a pod list too: the list's entry is kept, this one dropped.
    { ip: '10.0.0.1', namespace: 'shop', pod: 'web-1', labels: { app: 'web' }, owner: null },
    { ip: '10.0.0.3', namespace: 'shop', pod: 'cart-7', labels: { app: 'cart' }, owner: { kind: 'Deployment', name: 'cart' } },
  ];
  return report;
}

describe('knownPods', () => {
  it('keeps the lists\' pods with everything they say and adds those only the flows named, each saying where it came from', () => {
    const pods = knownPods(listed, [flowReport()]);
    expect(pods.map((pod) => `${pod.namespace}/${pod.pod}:${pod.source}`)).toEqual(['monitoring/node-exporter-x:pod-list', 'shop/cart-7:flows', 'shop/db-0:pod-list', 'shop/web-1:pod-list']);
    const web = pods.find((pod) => pod.pod === 'web-1')!;
    expect(web).toEqual({ namespace: 'shop', pod: 'web-1', ips: ['10.0.0.1', '10.0.0.9'], labels: { app: 'web', version: 'v1' }, owner: { kind: 'ReplicaSet', name: 'web-5d9' }, hostIp: '192.168.0.4', hostNetwork: false, source: 'pod-list' });
    expect(Object.keys(web.labels)).toEqual(['app', 'version']);
    expect(pods.find((pod) => pod.pod === 'node-exporter-x')).toMatchObject({ hostNetwork: true });
    expect(pods.find((pod) => pod.pod === 'db-0')).toMatchObject({ hostIp: null, hostNetwork: false });
  });

  it('gives the same list, in the same order, whatever the order of the pod lists; an exact repeat counts once', () => {
    const expected = JSON.stringify(knownPods(listed, [flowReport()]));
    expect(JSON.stringify(knownPods([...listed].reverse(), [flowReport()]))).toBe(expected);
    expect(JSON.stringify(knownPods([listed[2]!, ...listed], [flowReport()]))).toBe(expected);
  });

  it('is empty when nothing named a pod', () => {
    expect(knownPods([], [newFileReport('flows.csv')])).toEqual([]);
  });
});
