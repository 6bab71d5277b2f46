import { describe, expect, it } from 'vitest';
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { templateLabels } from '../../../src/core/discover/template-labels';
import { podHost, tcp } from './pod-host';

// A pod outvoted by its workload's pods is profiled on their template's
// labels (template-labels.ts), on hand-made pod lists.

const host = podHost;
const SHIPPING = 'shop/Deployment/shipping';
const shippingLabels = { 'k8s:app.kubernetes.io/name': 'shipping', 'k8s:app.kubernetes.io/component': 'app' };
const cartLabels = { 'k8s:app.kubernetes.io/name': 'redis-cart', 'k8s:app.kubernetes.io/component': 'data' };

describe('templateLabels', () => {
  const pods = [
    host('10.0.0.9', shippingLabels, SHIPPING),
    host('10.0.0.2', { ...shippingLabels, 'k8s:pod-template-hash': 'abc' }, SHIPPING),
    host('10.0.0.3', cartLabels, SHIPPING),
    host('10.0.0.4', cartLabels, 'shop/StatefulSet/redis-cart'),
    host('10.0.0.5', cartLabels, 'shop/StatefulSet/redis-cart'),
    host('10.0.0.6', {}, SHIPPING),
    // An inventory row has no template to vote: its labels stay whatever they say.
    host('10.0.1.1', cartLabels),
  ];

  it("gives an outvoted pod the labels of its workload's first pod, in address order, that carries the agreed value", () => {
    const replaced = templateLabels(pods);
    expect([...replaced.keys()]).toEqual(['10.0.0.3']);
    expect(replaced.get('10.0.0.3')).toEqual(pods[1]!.labels);
  });

  it('does not depend on the order of the hosts', () => {
    const twoOutvoted = [...pods, host('10.0.0.7', cartLabels, SHIPPING), host('10.0.0.8', shippingLabels, SHIPPING)];
    expect([...templateLabels(twoOutvoted).keys()]).toEqual(['10.0.0.3', '10.0.0.7']);
    expect([...templateLabels([...twoOutvoted].reverse())]).toEqual([...templateLabels(twoOutvoted)]);
  });

  it("judges a pod on the key set its workload votes on, not on a more specific one only its copied template carries", () => {
    // A chart's labels (name and instance) on one shipping pod, whose own template sets the name alone.
    const chart = { 'k8s:app.kubernetes.io/name': 'redis-cart', 'k8s:app.kubernetes.io/instance': 'redis-cart' };
    const helm = [
      host('10.0.0.1', shippingLabels, SHIPPING),
      host('10.0.0.2', shippingLabels, SHIPPING),
      host('10.0.0.3', chart, SHIPPING),
      host('10.0.0.4', chart, 'shop/StatefulSet/redis-cart'),
    ];
    expect([...templateLabels(helm)]).toEqual([['10.0.0.3', helm[0]!.labels]]);
    expect([...templateLabels(helm.slice(0, 3))]).toEqual([['10.0.0.3', helm[0]!.labels]]);
  });

  it("keeps the rows an inventory gives the address, which no template set", () => {
    const listed = [
      host('10.0.0.1', shippingLabels, SHIPPING),
      host('10.0.0.2', shippingLabels, SHIPPING),
      host('10.0.0.3', { ...cartLabels, env: 'prod' }, SHIPPING),
      host('10.0.1.1', { 'k8s:app': 'ratings', env: 'prod' }, 'shop/Deployment/productpage-v1'),
      host('10.0.1.2', { 'k8s:app': 'ratings' }, 'shop/Deployment/ratings-v1'),
    ];
    const replaced = templateLabels(listed);
    expect(replaced.get('10.0.0.3')).toEqual([...listed[0]!.labels, { key: 'env', value: 'prod' }]);
    expect(replaced.get('10.0.1.1')).toEqual([{ key: 'env', value: 'prod' }]);
  });

  it("drops the labels of a pod that carries another workload's value, copied from its template", () => {
    const copied = [
      host('10.0.0.1', { 'k8s:app': 'ratings' }, 'shop/Deployment/ratings-v1'),
      host('10.0.0.2', { 'k8s:app': 'ratings' }, 'shop/Deployment/ratings-v1'),
      host('10.0.0.3', { 'k8s:app': 'ratings' }, 'shop/Deployment/productpage-v1'),
    ];
    expect([...templateLabels(copied)]).toEqual([['10.0.0.3', []]]);
  });

  it('leaves pods alone whose workload agrees, or that carry none of the application keys', () => {
    const agreeing = [
      host('10.0.0.1', { 'k8s:app': 'cart' }, 'shop/Deployment/cart'),
      host('10.0.0.2', { 'k8s:app': 'cart' }, 'shop/Deployment/cart'),
      host('10.0.0.3', { 'k8s:tier': 'web' }, 'shop/Deployment/cart'),
    ];
    expect(templateLabels(agreeing).size).toBe(0);
  });
});

describe('discovery profiles of an outvoted pod', () => {
  it('are those of its replicas when they behave alike, so a wrong label cannot pull it towards the service it names', () => {
    const hosts = [
      host('10.0.0.1', shippingLabels, SHIPPING),
      host('10.0.0.2', shippingLabels, SHIPPING),
      host('10.0.0.3', cartLabels, SHIPPING),
      host('10.0.0.4', cartLabels, 'shop/StatefulSet/redis-cart'),
      host('10.0.9.1'),
    ];
    const edges = [...['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((pod) => tcp('10.0.9.1', pod, 50051)), tcp('10.0.9.1', '10.0.0.4', 6379)];
    const features = discoveryFeatures({ hosts, edges });
    const profileOf = (ip: string): number => features.profileOfHost[features.hosts.findIndex((h) => h.ip === ip)]!;
    expect(profileOf('10.0.0.3')).toBe(profileOf('10.0.0.1'));
    expect(profileOf('10.0.0.2')).toBe(profileOf('10.0.0.1'));
    // The host keeps its own labels everywhere else (what hosts.csv shows of it).
    expect(features.hosts.find((h) => h.ip === '10.0.0.3')!.labels).toEqual(hosts[2]!.labels);
  });
});
