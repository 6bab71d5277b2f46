import { describe, expect, it } from 'vitest';
import { parseKubernetesList, workloadOf } from '../../../src/core/enrich/kubernetes';
import { ownerFromGenerateName, ownerFromPodName } from '../../../src/core/enrich/pod-names';
import { newFileReport } from '../../../src/core/ingest/file-report';
import { RowTally } from '../../../src/core/ingest/row-tally';

// Pods whose list carries no owner references still name their controller:
// Deployments by `<name>-<hash>-<suffix>` in Kubernetes' safe alphabet,
// every controller by the generateName it asked for.

describe('owners read from pod names', () => {
  it("reads a Deployment from a ReplicaSet pod's name, and nothing from names a person would type", () => {
    expect(ownerFromPodName('reviews-v2-7bf8c9648f-r7bs2')).toEqual({ kind: 'Deployment', name: 'reviews-v2' });
    expect(ownerFromPodName('ts-order-service-5d9c7b6f4-x2k9q')).toEqual({ kind: 'Deployment', name: 'ts-order-service' });
    // A StatefulSet's ordinal, a bare pod, and words with vowels (not the safe alphabet) say nothing certain.
    expect(ownerFromPodName('mongodb-0')).toBeNull();
    expect(ownerFromPodName('debug')).toBeNull();
    expect(ownerFromPodName('web-frontend-server')).toBeNull();
    expect(ownerFromPodName('api-release-canary')).toBeNull();
  });

  it('reads the controller from generateName: the Deployment behind a ReplicaSet prefix, else the prefix itself', () => {
    expect(ownerFromGenerateName('reviews-v1-545db77b95-')).toEqual({ kind: 'Deployment', name: 'reviews-v1' });
    expect(ownerFromGenerateName('fluentd-')).toEqual({ kind: 'Controller', name: 'fluentd' });
    expect(ownerFromGenerateName('fluentd')).toBeNull();
    expect(ownerFromGenerateName('-')).toBeNull();
  });

  it('gives the pods of a trimmed pod list their workloads, and keeps listed owner references first', () => {
    const pod = (name: string, ip: string, metadata: Record<string, unknown> = {}) => ({ kind: 'Pod', metadata: { name, namespace: 'shop', ...metadata }, status: { podIP: ip } });
    const list = {
      apiVersion: 'v1',
      kind: 'PodList',
      items: [
        pod('cart-6d8f9b7c5d-kx2lp', '10.244.1.5'),
        pod('cart-6d8f9b7c5d-q9wzt', '10.244.2.7'),
        pod('fluentd-x7k2p', '10.244.1.9', { generateName: 'fluentd-' }),
        pod('mongodb-0', '10.244.3.2'),
        pod('orders-5f7d6c8b9-zz5vw', '10.244.3.8', { ownerReferences: [{ kind: 'ReplicaSet', name: 'orders-v2-5f7d6c8b9', controller: true }] }),
      ],
    };
    const report = newFileReport('pods.json');
    const objects = parseKubernetesList(JSON.stringify(list), new RowTally(report, () => undefined));
    expect(report).toMatchObject({ read: 5, accepted: 5, rejected: 0 });
    const workloads = objects.pods.map((entry) => workloadOf(entry, new Map()));
    expect(workloads).toEqual([
      { kind: 'Deployment', name: 'cart' },
      { kind: 'Deployment', name: 'cart' },
      { kind: 'Controller', name: 'fluentd' },
      { kind: 'Pod', name: 'mongodb-0' },
      { kind: 'ReplicaSet', name: 'orders-v2-5f7d6c8b9' },
    ]);
  });
});
