import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { PodEntry } from '../../../src/core/enrich/kubernetes';
import { exportPolicy } from '../../../src/core/export/export-policy';
import { k8sTarget } from '../../../src/core/export/k8s-target';
import { group, handPolicy, rule } from '../policy/fixtures';
import { HOSTILE } from './hostile-policy';

// The k8s target on a hand-made cluster: selectors from the pods' labels,
// both directions per rule, ipBlocks for what is not a pod, DNS always,
// what NetworkPolicies cannot say noted, and hostile text kept as data.

const pod = (ip: string, namespace: string, name: string, labels: Record<string, string>, extra: Partial<PodEntry> = {}): PodEntry => ({ ips: [ip], pod: name, namespace, labels: { 'pod-template-hash': 'abc12', ...labels }, owner: null, hostIp: '172.18.0.2', ...extra });
const pods: PodEntry[] = [
  pod('10.244.0.10', 'shop', 'web-1', { app: 'web', tier: 'front' }),
  pod('10.244.0.11', 'shop', 'web-2', { app: 'web', tier: 'front' }),
  pod('10.244.0.20', 'shop', 'cart-1', { app: 'cart' }),
  pod('10.244.0.21', 'shop', 'cart-redis-1', { app: 'cart-redis' }),
  pod('10.244.0.22', 'shop', 'orders-redis-1', { app: 'orders-redis' }),
  pod('10.244.0.30', 'kube-system', 'coredns-1', { 'k8s-app': 'kube-dns' }),
];
const policy = handPolicy(
  [
    group('g1', ['10.244.0.10', '10.244.0.11']),
    group('g2', ['10.244.0.20']),
    // Two redis caches that behave alike: one group, selected by app In (cart-redis, orders-redis).
    group('g3', ['10.244.0.21', '10.244.0.22']),
    group('g4', ['10.0.5.5']), // a VM outside the cluster
    group('g5', ['10.244.0.30']),
    group('ext:198.51.100.0/24', ['198.51.100.7', '198.51.100.9'], { kind: 'external' }),
  ],
  [
    rule('g1', 'g2', 6, { from: 8080, to: 8080 }),
    rule('g2', 'g3', 6, { from: 6379, to: 6379 }),
    rule('g2', 'g4', 6, { from: 5432, to: 5432 }),
    rule('ext:198.51.100.0/24', 'g1', 6, { from: 443, to: 443 }),
    rule('g2', 'g3', 6, { from: 7000, to: 7010 }, { window: { days: [1], fromHour: 8, toHour: 18, timezone: 'UTC' } }),
    rule('g4', 'g2', 6, { from: 22, to: 22 }, { jit: { requesters: [] } }),
    rule('g1', 'g2', 1, null),
    rule('g4', 'g4', 6, { from: 9000, to: 9000 }),
    rule('g1', 'g2', 6, { from: 9090, to: 9090 }, { identity: { label: { key: 'k8s:tier', value: 'front' } } }),
    rule('internal', 'g5', 17, { from: 53, to: 53 }),
  ],
);
const output = k8sTarget(policy, { pods });
const documents = parseAllDocuments(output.files[0]!.content).map((document) => document.toJS() as { metadata: { name: string; namespace: string; annotations: Record<string, string> }; spec: Record<string, unknown> & { podSelector: unknown; ingress: { from: unknown[]; ports: unknown[] }[]; egress: { to: unknown[]; ports: unknown[] }[] } });
const byName = new Map(documents.map((document) => [document.metadata.name, document]));

describe('k8s target', () => {
  it('writes one NetworkPolicy per pod group and namespace, denying both ways by default', () => {
    expect(output.files.map((file) => file.path)).toEqual(['k8s/networkpolicies.yaml']);
    expect([...byName.keys()]).toEqual(['flowfence-g5', 'flowfence-g1', 'flowfence-g2', 'flowfence-g3']);
    for (const document of documents) expect(document.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(byName.get('flowfence-g5')!.metadata.namespace).toBe('kube-system');
  });

  it('selects pods by the labels they share, else by one key\'s values, never by pod-template-hash', () => {
    expect(byName.get('flowfence-g1')!.spec.podSelector).toEqual({ matchLabels: { app: 'web', tier: 'front' } });
    expect(byName.get('flowfence-g3')!.spec.podSelector).toEqual({ matchExpressions: [{ key: 'app', operator: 'In', values: ['cart-redis', 'orders-redis'] }] });
  });

  it('opens each rule on both sides: ingress at the server\'s pods, egress at the client\'s, with numeric ports', () => {
    const cart = byName.get('flowfence-g2')!;
    expect(cart.spec.ingress[0]).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'web', tier: 'front' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    const web = byName.get('flowfence-g1')!;
    expect(web.spec.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'cart' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    // A port range is port and endPort.
    expect(cart.spec.egress).toContainEqual(expect.objectContaining({ ports: [{ protocol: 'TCP', port: 7000, endPort: 7010 }] }));
  });

  it('names hosts outside the pod lists and outside networks by merged ipBlocks', () => {
    const cart = byName.get('flowfence-g2')!;
    expect(cart.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.5.5/32' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    const web = byName.get('flowfence-g1')!;
    expect(web.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  it('always opens DNS to the cluster DNS on UDP and TCP 53', () => {
    for (const document of documents) expect(document.spec.egress[0]).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] });
    // "internal" clients: every pod of every namespace, and every internal range for the rest.
    const dns = byName.get('flowfence-g5')!;
    expect(dns.spec.ingress[0]!.from[0]).toEqual({ namespaceSelector: {} });
    expect(dns.spec.ingress[0]!.from).toContainEqual({ ipBlock: { cidr: '10.0.0.0/8' } });
  });

  it('expresses an identity condition on pod labels in the client\'s selector', () => {
    expect(byName.get('flowfence-g2')!.spec.ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'web', tier: 'front' } } }], ports: [{ protocol: 'TCP', port: 9090 }] });
  });

  it('notes what it cannot say: time windows open, just-in-time and ICMP closed, VM-to-VM not its business', () => {
    const byRule = new Map(output.notes.map((note) => [note.rule, note]));
    expect(byRule.get('g2>g3:tcp/7000-7010')).toMatchObject({ action: 'left-open', what: expect.stringContaining('time window') });
    expect(byRule.get('g4>g2:tcp/22')).toMatchObject({ action: 'left-closed', what: 'just-in-time access' });
    expect(byRule.get('g1>g2:icmp')).toMatchObject({ action: 'left-closed' });
    expect(byRule.get('g4>g4:tcp/9000')).toMatchObject({ action: 'skipped' });
    expect(output.files[0]!.content).toContain('# just-in-time, closed: g4>g2:tcp/22 would allow g4 to g2 on tcp/22');
    expect(output.files[0]!.content).not.toMatch(/port: 22\b/);
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
  });

  it('puts each rule\'s evidence in a comment above it', () => {
    expect(output.files[0]!.content).toMatch(/# g1>g2:tcp\/8080: \d+ flows, \d+ clients to \d+ servers\n\s+- from:/);
  });

  it('notes pods it cannot select, pods of no group, and labels that select beyond a group', () => {
    const extra = k8sTarget(handPolicy([group('g1', ['10.244.0.10']), group('g2', ['10.244.0.20', '10.244.0.40'])], [rule('g1', 'g2', 6, { from: 80, to: 80 })]), {
      pods: [...pods, pod('10.244.0.40', 'shop', 'bare', {}), pod('10.244.0.41', 'bad_ns!', 'x', { app: 'x' })],
    });
    const what = extra.notes.filter((note) => note.rule === null).map((note) => `${note.action}: ${note.what}`);
    expect(what).toContain('left-open: pods of g2 with no label to select them by (shop/bare)');
    expect(what).toContain('widened: the labels of g1\'s pods in shop also select shop/web-2');
    expect(what.some((line) => line.startsWith('left-open: pods in no group of the policy'))).toBe(true);
    expect(what).toContain('skipped: pods in namespaces Kubernetes would not accept (bad_ns!)');
  });

  it('needs a pod list, and says so', () => {
    expect(k8sTarget(policy, { pods: [] })).toMatchObject({ files: [], notes: [{ what: 'no pods known', action: 'skipped' }] });
  });

  it('keeps hostile group names and ids as data: the YAML reads back to the same strings', () => {
    const hostile = handPolicy([group(HOSTILE[0]!, ['10.244.0.10', '10.244.0.11'], { name: HOSTILE[3]! }), group('g2\n- evil', ['10.244.0.20'], { name: HOSTILE[1]! })], [rule(HOSTILE[0]!, 'g2\n- evil', 6, { from: 80, to: 80 })]);
    const text = k8sTarget(hostile, { pods }).files[0]!.content;
    const read = parseAllDocuments(text).map((document) => document.toJS() as { metadata: { name: string; annotations: Record<string, string> } });
    expect(read.map((document) => document.metadata.annotations['flowfence.io/group-name']).sort()).toEqual([HOSTILE[1], HOSTILE[3]].sort());
    expect(read.map((document) => document.metadata.annotations['flowfence.io/group']).sort()).toEqual([HOSTILE[0], 'g2\n- evil'].sort());
    for (const document of read) expect(document.metadata.name).toMatch(/^flowfence-[a-z0-9-]+$/);
    for (const line of text.split('\n')) if (line.trimStart().startsWith('#')) expect(line).toMatch(/^[\x20-\x7e]*$/);
    expect(parse(text.split('---\n')[0]!)).toBeTruthy();
  });

  it('is the same whatever order the policy and the pod list come in', () => {
    const shuffled = { ...policy, groups: [...policy.groups].reverse(), rules: [...policy.rules].reverse() };
    expect(exportPolicy(shuffled, { targets: ['k8s'], logDrops: false, pods: [...pods].reverse() }).files).toEqual(exportPolicy(policy, { targets: ['k8s'], logDrops: false, pods }).files);
  });
});

describe('k8s YAML', () => {
  it('writes no anchors or aliases, even for a rule whose two sides are the same group', () => {
    const self = handPolicy([group('g1', ['10.244.0.10', '10.244.0.11'])], [rule('g1', 'g1', 6, { from: 8080, to: 8080 })]);
    const text = k8sTarget(self, { pods }).files[0]!.content;
    expect(text).not.toMatch(/[&*]a\d/);
  });
});

describe('k8s peers that must not widen', () => {
  it('leaves loopback and link-local out of "every internal host", and says so', () => {
    const dns = byName.get('flowfence-g5')!;
    const cidrs = dns.spec.ingress[0]!.from.map((peer) => (peer as { ipBlock?: { cidr: string } }).ipBlock?.cidr).filter((cidr) => cidr !== undefined);
    expect(cidrs).toContain('10.0.0.0/8');
    expect(cidrs).not.toContain('169.254.0.0/16');
    expect(cidrs).not.toContain('127.0.0.0/8');
    expect(output.notes).toContainEqual(expect.objectContaining({ rule: 'internal>g5:udp/53', action: 'narrowed', what: 'every internal host as addresses' }));
  });

  it('never lets an identity condition replace the label that selects the client group', () => {
    const contradicting = handPolicy([group('g1', ['10.244.0.10', '10.244.0.11']), group('g2', ['10.244.0.20'])], [rule('g1', 'g2', 6, { from: 80, to: 80 }, { identity: { label: { key: 'k8s:app', value: 'admin' } } })]);
    const result = k8sTarget(contradicting, { pods });
    expect(result.notes).toContainEqual(expect.objectContaining({ rule: 'g1>g2:tcp/80', action: 'left-closed' }));
    expect(result.files[0]?.content ?? '').not.toContain('admin');
  });

  it('says where DNS is opened when the pod lists show no cluster DNS', () => {
    expect(output.notes.some((note) => note.what.startsWith('the cluster DNS'))).toBe(false);
    const noDns = k8sTarget(policy, { pods: pods.filter((entry) => entry.namespace !== 'kube-system') });
    expect(noDns.notes).toContainEqual(expect.objectContaining({ rule: null, action: 'narrowed', what: 'the cluster DNS: no kube-system pod labelled k8s-app=kube-dns in the pod lists' }));
  });
});
