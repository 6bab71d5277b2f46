import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { endpointPod } from '../../../../src/core/ingest/formats/hubble-endpoint';
import { memoryInputFile } from '../../../../src/core/ingest/source';
import { runAnalyze } from '../../../helpers/engine';
import { fixture } from '../../../helpers/fixtures';
import { parsePath, parseText } from '../../../helpers/parse-file';

// Hubble's endpoints name their pods (namespace, pod name, labels,
// workload): Flowfence names and groups hosts by them as it would by a pod list.

const flowLine = (source: unknown, destination: unknown): string =>
  JSON.stringify({
    flow: { time: '2021-11-10T10:40:56Z', verdict: 'FORWARDED', IP: { source: '10.244.0.5', destination: '10.244.1.9' }, l4: { TCP: { source_port: 40000, destination_port: 9080 } }, source, destination, is_reply: false },
  });

describe('endpointPod', () => {
  it("keeps the pod's Kubernetes labels and leaves Cilium's and the namespace's out", () => {
    const pod = endpointPod(
      { namespace: 'bookinfo', pod_name: 'reviews-v2-7bf8c9648f-r7bs2', labels: ['k8s:app=reviews', 'k8s:version=v2', 'k8s:io.cilium.k8s.policy.cluster=default', 'k8s:io.kubernetes.pod.namespace=bookinfo', 'reserved:host', 'container:x=y'] },
      '10.244.0.110',
    );
    expect(pod).toEqual({ ip: '10.244.0.110', namespace: 'bookinfo', pod: 'reviews-v2-7bf8c9648f-r7bs2', labels: { app: 'reviews', version: 'v2' }, owner: { kind: 'Deployment', name: 'reviews-v2' } });
  });

  it('keeps a label keyed __proto__ as a label, without touching any prototype', () => {
    const pod = endpointPod({ namespace: 'a', pod_name: 'p', labels: ['k8s:__proto__=x', 'k8s:app=y'] }, '10.0.0.1')!;
    expect(Object.entries(pod.labels)).toEqual([['__proto__', 'x'], ['app', 'y']]);
    expect(({} as Record<string, unknown>)['app']).toBeUndefined();
  });

  it("prefers Hubble's workloads to the name, and reads no owner from names that are not a ReplicaSet's", () => {
    expect(endpointPod({ namespace: 'db', pod_name: 'pg-0', workloads: [{ kind: 'StatefulSet', name: 'pg' }] }, '10.0.0.1')?.owner).toEqual({ kind: 'StatefulSet', name: 'pg' });
    expect(endpointPod({ namespace: 'db', pod_name: 'pg-0' }, '10.0.0.1')?.owner).toBeNull();
    expect(endpointPod({ namespace: 'kube-system', pod_name: 'otelcol-hubble-collector-fwc6m' }, '10.0.0.1')?.owner).toBeNull();
  });

  it('is no pod without a namespace and a pod name (the proxy leg from the node, reserved identities)', () => {
    expect(endpointPod({ labels: ['k8s:app=productpage'], namespace: 'bookinfo' }, '10.0.0.1')).toBeNull();
    expect(endpointPod({ identity: 2, labels: ['reserved:world'] }, '10.0.0.1')).toBeNull();
    expect(endpointPod('nonsense', '10.0.0.1')).toBeNull();
  });
});

describe('pods named by the records', () => {
  it('reach the file report from the accepted rows only', async () => {
    const good = flowLine({ namespace: 'bookinfo', pod_name: 'productpage-v1-6b746f74dc-9rcxx', labels: ['k8s:app=productpage'] }, { namespace: 'bookinfo', pod_name: 'details-v1-79f774bdb9-m4j4k', labels: ['k8s:app=details'] });
    const bad = good.replace('10.244.0.5', 'not-an-address').replace('productpage-v1-6b746f74dc-9rcxx', 'ghost-6b746f74dc-9rcxx');
    const parsed = await parseText(`${good}\n${bad}\n`, {}, 'flows.json');
    expect(parsed.report.rejected).toBe(1);
    expect(parsed.report.observedPods?.map((entry) => `${entry.ip} ${entry.pod}`)).toEqual(['10.244.0.5 productpage-v1-6b746f74dc-9rcxx', '10.244.1.9 details-v1-79f774bdb9-m4j4k']);
  });

  it('name and separate the Bookinfo services of a real Hubble capture (fixture)', async () => {
    const path = fixture('hubble/bookinfo-tcp.json');
    expect((await parsePath(path)).report.observedPods?.length).toBeGreaterThanOrEqual(6);
    const { summary } = await runAnalyze({ inputs: [memoryInputFile('bookinfo-tcp.json', new Uint8Array(await readFile(path)))] });
    const groupOf = (ip: string): string => summary.assignments[ip]!;
    const productpage = '10.244.0.177';
    const reviews = ['10.244.1.109', '10.244.0.110', '10.244.1.18'];
    const ratings = '10.244.0.206';
    const details = '10.244.1.193';
    // Versions of one app label are one service; four app labels are four services (one group "tcp/9080" without them).
    expect(new Set(reviews.map(groupOf)).size).toBe(1);
    expect(new Set([productpage, reviews[0]!, ratings, details].map(groupOf)).size).toBe(4);
    const names = new Map(summary.groups.map((group) => [group.id, group.name]));
    expect(names.get(groupOf(reviews[0]!))).toMatch(/^reviews\b/);
    expect(names.get(groupOf(details))).toMatch(/^details\b/);
  });
});
