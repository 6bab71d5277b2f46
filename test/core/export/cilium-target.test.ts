import { describe, expect, it } from 'vitest';
import type { PodEntry } from '../../../src/core/enrich/kubernetes';
import { CILIUM_MAX_PORTS, type CiliumNetworkPolicy, type CiliumRule } from '../../../src/core/export/cilium-model';
import { ciliumTarget } from '../../../src/core/export/cilium-target';
import { validateCiliumNetworkPolicy } from '../../../src/core/export/cilium-validate';
import { CiliumEvaluator, type CiliumPod } from '../../helpers/cilium/evaluator';
import { parseCiliumPolicies } from '../../helpers/cilium/manifests';
import { group, handPolicy, prng, rule, shuffle } from '../policy/fixtures';
import { HOSTILE, hostilePolicy } from './hostile-policy';

// The cilium target on a hand-made cluster: selectors from the labels Cilium
// keeps in a pod's identity, namespaces in every peer selector, default deny
// both ways (a rule selecting no peer where nothing may connect), DNS
// always, CIDR sets merged, entities for every internal host, ports split
// at 40 per toPorts entry, what a CiliumNetworkPolicy cannot say noted,
// hostile text kept as data, and every object valid for the CRD and agent.

const pod = (ip: string, namespace: string, name: string, labels: Record<string, string>, extra: Partial<PodEntry> = {}): PodEntry => ({ ips: [ip], pod: name, namespace, labels: { 'pod-template-hash': 'abc12', ...labels }, owner: null, hostIp: '172.18.0.2', ...extra });
const pods: PodEntry[] = [
  pod('10.244.0.10', 'shop', 'web-1', { 'app.kubernetes.io/name': 'web', tier: 'front' }),
  pod('10.244.0.11', 'shop', 'web-2', { 'app.kubernetes.io/name': 'web', tier: 'front' }),
  pod('10.244.0.20', 'shop', 'cart-1', { app: 'cart', 'kubernetes.io/role': 'x' }),
  pod('10.244.0.21', 'shop', 'cart-redis-1', { app: 'cart-redis' }),
  pod('10.244.0.22', 'shop', 'orders-redis-1', { app: 'orders-redis' }),
  pod('10.244.1.40', 'batch', 'report-1', { app: 'report' }),
  // Its only label is outside the Cilium identity: it cannot be selected.
  pod('10.244.1.41', 'batch', 'odd-1', { 'kubernetes.io/hostname': 'n1' }),
  pod('10.244.0.30', 'kube-system', 'coredns-1', { 'k8s-app': 'kube-dns' }),
];
const policy = handPolicy(
  [
    group('g1', ['10.244.0.10', '10.244.0.11']),
    group('g2', ['10.244.0.20']),
    group('g3', ['10.244.0.21', '10.244.0.22']),
    group('g4', ['10.0.5.4', '10.0.5.5', '10.0.5.6', '10.0.5.7', '172.18.0.2']), // VMs outside the cluster, and a node
    group('g5', ['10.244.0.30']),
    group('g6', ['10.244.1.40']),
    group('g7', ['10.244.1.41']),
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
    rule('g4', 'g1', 6, { from: 9000, to: 9000 }),
    rule('g1', 'g2', 6, { from: 9090, to: 9090 }, { identity: { label: { key: 'k8s:tier', value: 'front' } } }),
    rule('g2', 'g6', 6, { from: 9091, to: 9091 }, { identity: { label: { key: 'dept', value: 'ops' } } }),
    rule('internal', 'g5', 17, { from: 53, to: 53 }),
    rule('g1', 'g3', 6, null),
    rule('g6', 'g2', 6, { from: 1, to: 1 }, { state: 'rejected' }),
  ],
);
const output = ciliumTarget(policy, { pods });
const text = output.files[0]!.content;
interface Spec {
  endpointSelector: unknown;
  enableDefaultDeny: unknown;
  ingress: Record<string, unknown>[];
  egress: Record<string, unknown>[];
}
const documents = parseCiliumPolicies(text) as { metadata: { name: string; namespace: string; annotations: Record<string, string> }; spec: Spec }[];
const byName = new Map(documents.map((document) => [document.metadata.name, document]));
const cilium = new CiliumEvaluator(documents);
const podOf = (ip: string): { pod: CiliumPod } => {
  const entry = pods.find((candidate) => candidate.ips.includes(ip))!;
  return { pod: { namespace: entry.namespace, name: entry.pod, labels: entry.labels } };
};
const peerOf = (ip: string) => (pods.some((candidate) => candidate.ips.includes(ip)) ? podOf(ip) : { ip });
const allows = (client: string, server: string, protocol: 'TCP' | 'UDP' | 'SCTP', port: number): boolean => cilium.allows(peerOf(client), peerOf(server), protocol, port);

describe('cilium target', () => {
  it('writes one CiliumNetworkPolicy per pod group and namespace, default deny both ways', () => {
    expect(output.files.map((file) => file.path)).toEqual(['cilium/ciliumnetworkpolicies.yaml']);
    expect([...byName.keys()]).toEqual(['flowfence-g6', 'flowfence-g5', 'flowfence-g1', 'flowfence-g2', 'flowfence-g3']);
    for (const document of documents) {
      expect(document.spec.enableDefaultDeny).toEqual({ ingress: true, egress: true });
      expect(JSON.stringify(document.spec.endpointSelector)).not.toContain('io.kubernetes.pod.namespace');
    }
    expect(output.rulesExported + output.rulesSkipped).toBe(policy.rules.length);
  });

  it('selects pods by the labels Cilium keeps in their identity, with the k8s source', () => {
    expect(byName.get('flowfence-g1')!.spec.endpointSelector).toEqual({ matchLabels: { 'k8s:app.kubernetes.io/name': 'web', 'k8s:tier': 'front' } });
    // kubernetes.io/role is left out of the identity by Cilium's label filter.
    expect(byName.get('flowfence-g2')!.spec.endpointSelector).toEqual({ matchLabels: { 'k8s:app': 'cart' } });
    expect(byName.get('flowfence-g3')!.spec.endpointSelector).toEqual({ matchExpressions: [{ key: 'k8s:app', operator: 'In', values: ['cart-redis', 'orders-redis'] }] });
    expect(output.notes.find((note) => note.what.startsWith('pods of g7'))).toMatchObject({ rule: null, action: 'left-open' });
  });

  it('names the namespace in every peer selector, so pods of another namespace never match', () => {
    const g2 = byName.get('flowfence-g2')!.spec;
    const fromWeb = g2.ingress.find((entry) => JSON.stringify(entry).includes('"web"'))!;
    expect(fromWeb.fromEndpoints).toEqual([{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop', 'k8s:app.kubernetes.io/name': 'web', 'k8s:tier': 'front' } }]);
    expect(allows('10.244.0.10', '10.244.0.20', 'TCP', 8080)).toBe(true);
    const lookalike = new CiliumEvaluator(documents).allows({ pod: { namespace: 'batch', name: 'web-x', labels: { 'app.kubernetes.io/name': 'web', tier: 'front' } } }, podOf('10.244.0.20'), 'TCP', 8080);
    expect(lookalike).toBe(false);
  });

  it('always opens DNS to the cluster DNS first, on UDP and TCP 53', () => {
    for (const document of documents) {
      expect(document.spec.egress[0]).toEqual({
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
        toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
      });
    }
    expect(text).toContain('# cluster DNS on UDP and TCP 53');
  });

  it('keeps ingress in default deny with a rule selecting no peer where nothing may connect', () => {
    const lonely = parseCiliumPolicies(ciliumTarget(handPolicy([group('g1', ['10.244.0.10', '10.244.0.11']), group('g2', ['10.244.0.20'])], [rule('g1', 'g2', 6, { from: 80, to: 80 })]), { pods }).files[0]!.content) as { metadata: { name: string }; spec: Spec }[];
    const web = lonely.find((document) => document.metadata.name === 'flowfence-g1')!.spec;
    expect(web.ingress).toEqual([{ fromEntities: ['none'] }]);
    const evaluator = new CiliumEvaluator(lonely);
    expect(evaluator.allows(podOf('10.244.0.20'), podOf('10.244.0.10'), 'TCP', 80)).toBe(false);
    expect(evaluator.allows({ ip: '10.0.5.5' }, podOf('10.244.0.10'), 'TCP', 80)).toBe(false);
    expect(evaluator.allows(podOf('10.244.0.10'), podOf('10.244.0.20'), 'TCP', 80)).toBe(true);
    // The same policy with an empty rule instead would let everything in: the evaluator knows `{}` selects every peer.
    const wide = lonely.map((document) => (document.metadata.name === 'flowfence-g1' ? { ...document, spec: { ...document.spec, ingress: [{}] } } : document));
    expect(new CiliumEvaluator(wide).allows({ ip: '10.0.5.5' }, podOf('10.244.0.10'), 'TCP', 80)).toBe(true);
  });

  it('merges addresses into CIDR sets, leaves nodes out, and gives every internal host as the cluster entity plus the internal ranges', () => {
    const g1 = byName.get('flowfence-g1')!.spec;
    expect(g1.ingress.map((entry) => entry.fromCIDRSet ?? entry.fromEndpoints)).toEqual([[{ cidr: '198.51.100.0/24' }], [{ cidr: '10.0.5.4/30' }]]);
    expect(allows('198.51.100.200', '10.244.0.10', 'TCP', 443)).toBe(true);
    expect(allows('10.0.5.6', '10.244.0.10', 'TCP', 9000)).toBe(true);
    expect(allows('10.0.5.9', '10.244.0.10', 'TCP', 9000)).toBe(false);
    expect(output.notes.filter((note) => note.action === 'narrowed').map((note) => note.rule)).toEqual(['g2>g4:tcp/5432', 'g4>g1:tcp/9000', 'internal>g5:udp/53']);
    // Every internal host never includes link-local: the cloud metadata service stays closed.
    expect(allows('169.254.169.254', '10.244.0.30', 'UDP', 53)).toBe(false);
    const dns = byName.get('flowfence-g5')!.spec;
    expect(dns.ingress.map((entry) => Object.keys(entry)[0])).toEqual(['fromEntities', 'fromCIDRSet']);
    expect(dns.ingress[0]!.fromEntities).toEqual(['cluster']);
    expect(allows('10.244.1.40', '10.244.0.30', 'UDP', 53)).toBe(true);
    expect(allows('192.168.7.7', '10.244.0.30', 'UDP', 53)).toBe(true);
    expect(allows('203.0.113.7', '10.244.0.30', 'UDP', 53)).toBe(false);
  });

  it('writes every address of both families as the world entity', () => {
    const open = ciliumTarget(handPolicy([group('web', ['10.244.0.10']), group('ext:0.0.0.0/0', [], { kind: 'external' }), group('ext:::/0', [], { kind: 'external' })], [rule('ext:0.0.0.0/0', 'web', 6, { from: 443, to: 443 }), rule('ext:::/0', 'web', 6, { from: 443, to: 443 })]), { pods });
    const spec = (parseCiliumPolicies(open.files[0]!.content)[0] as { spec: Spec }).spec;
    expect(spec.ingress.map((entry) => entry.fromCIDRSet ?? entry.fromEntities)).toEqual([[{ cidr: '0.0.0.0/0' }], [{ cidr: '::/0' }]]);
    const both = ciliumTarget(handPolicy([group('web', ['10.244.0.10']), group('ext:0.0.0.0/0', ['0.0.0.0/0', '::/0'], { kind: 'external' })], [rule('ext:0.0.0.0/0', 'web', 6, { from: 443, to: 443 })]), { pods });
    expect((parseCiliumPolicies(both.files[0]!.content)[0] as { spec: Spec }).spec.ingress).toEqual([{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }]);
  });

  it('writes ports as strings, ranges with endPort, any port as 1–65535', () => {
    const g3 = byName.get('flowfence-g3')!.spec;
    const ports = g3.ingress.flatMap((entry) => (entry.toPorts as { ports: unknown[] }[]).flatMap((toPorts) => toPorts.ports));
    expect(ports).toEqual([{ port: '1', endPort: 65535, protocol: 'TCP' }, { port: '6379', protocol: 'TCP' }, { port: '7000', endPort: 7010, protocol: 'TCP' }]);
    expect(allows('10.244.0.20', '10.244.0.21', 'TCP', 7005)).toBe(true);
    expect(allows('10.244.0.20', '10.244.0.21', 'TCP', 7011)).toBe(false);
    expect(allows('10.244.0.10', '10.244.0.22', 'TCP', 12345)).toBe(true);
    expect(allows('10.244.0.10', '10.244.0.22', 'UDP', 12345)).toBe(false);
  });

  it(`merges rules with the same peers and splits their ports at ${CILIUM_MAX_PORTS} per toPorts entry`, () => {
    const rules = Array.from({ length: 45 }, (_, index) => rule('g1', 'g2', 6, { from: 10_000 + index * 2, to: 10_000 + index * 2 }));
    const split = ciliumTarget(handPolicy([group('g1', ['10.244.0.10', '10.244.0.11']), group('g2', ['10.244.0.20'])], rules), { pods });
    const split2 = parseCiliumPolicies(split.files[0]!.content) as { metadata: { name: string }; spec: Spec }[];
    const g2 = split2.find((document) => document.metadata.name === 'flowfence-g2')!.spec;
    expect(g2.ingress).toHaveLength(1);
    expect((g2.ingress[0]!.toPorts as { ports: unknown[] }[]).map((entry) => entry.ports.length)).toEqual([40, 5]);
    expect(split.files[0]!.content.match(/# g1>g2:tcp\/1\d{4}/g)).toHaveLength(2 * 45);
    const evaluator = new CiliumEvaluator(split2);
    for (let index = 0; index < 45; index++) expect(evaluator.allows(podOf('10.244.0.10'), podOf('10.244.0.20'), 'TCP', 10_000 + index * 2)).toBe(true);
    expect(evaluator.allows(podOf('10.244.0.10'), podOf('10.244.0.20'), 'TCP', 10_001)).toBe(false);
  });

  it('leaves just-in-time rules closed, with a comment of what opening them allows', () => {
    expect(output.notes.find((note) => note.rule === 'g4>g2:tcp/22')).toMatchObject({ action: 'left-closed' });
    expect(text).toContain('# just-in-time, closed: g4>g2:tcp/22 would allow g4 to g2 on tcp/22');
    expect(allows('10.0.5.5', '10.244.0.20', 'TCP', 22)).toBe(false);
  });

  it('notes time windows and non-pod identities left open, and selects pod identities', () => {
    const notes = (id: string) => output.notes.filter((note) => note.rule === id).map((note) => `${note.action}: ${note.what}`);
    expect(notes('g2>g3:tcp/7000-7010')).toEqual(['left-open: time window Mon 08:00–18:00 UTC']);
    expect(notes('g2>g6:tcp/9091')).toEqual(['left-open: identity condition dept=ops']);
    expect(notes('g1>g2:tcp/9090')).toEqual([]);
    expect(notes('g1>g2:icmp')).toEqual(['left-closed: protocol icmp']);
    expect(notes('g6>g2:tcp/1')).toEqual(['skipped: a rule the analyst rejected']);
    expect(text).toContain('k8s:tier: front');
    expect(allows('10.244.0.10', '10.244.0.20', 'TCP', 9090)).toBe(true);
    const untiered = new CiliumEvaluator(documents).allows({ pod: { namespace: 'shop', name: 'web-3', labels: { 'app.kubernetes.io/name': 'web' } } }, podOf('10.244.0.20'), 'TCP', 9090);
    expect(untiered).toBe(false);
    for (const note of output.notes) expect(note.target).toBe('cilium');
  });

  it('refuses an identity label no pod could carry, instead of writing an invalid selector', () => {
    const odd = ciliumTarget(handPolicy([group('g1', ['10.244.0.10']), group('g2', ['10.244.0.20'])], [rule('g1', 'g2', 6, { from: 80, to: 80 }, { identity: { label: { key: 'k8s:pod-template-hash', value: 'x' } } }), rule('g1', 'g2', 6, { from: 81, to: 81 }, { identity: { label: { key: `k8s:${HOSTILE[2]!}`, value: HOSTILE[0]! } } })]), { pods });
    expect(odd.notes.filter((note) => note.rule !== null).map((note) => note.action)).toEqual(['left-closed', 'left-closed']);
    expect(odd.rulesSkipped).toBe(2);
  });

  it('keeps hostile group names and ids as data, and only printable ASCII in comments', () => {
    const hostile = handPolicy([group(HOSTILE[0]!, ['10.244.0.10', '10.244.0.11'], { name: HOSTILE[3]! }), group('g2\n- evil', ['10.244.0.20'], { name: HOSTILE[1]! })], [rule(HOSTILE[0]!, 'g2\n- evil', 6, { from: 80, to: 80 })]);
    const content = ciliumTarget(hostile, { pods }).files[0]!.content;
    const read = parseCiliumPolicies(content) as { metadata: { name: string; annotations: Record<string, string> } }[];
    expect(read.map((document) => document.metadata.annotations['flowfence.io/group-name']).sort()).toEqual([HOSTILE[1], HOSTILE[3]].sort());
    expect(read.map((document) => document.metadata.annotations['flowfence.io/group']).sort()).toEqual([HOSTILE[0], 'g2\n- evil'].sort());
    for (const document of read) expect(document.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    for (const line of content.split('\n')) if (line.trimStart().startsWith('#')) expect(line).toMatch(/^[\x20-\x7e]*$/);
  });

  it('exports the hostile policy into valid YAML that holds its text only as data', () => {
    const hostilePods = [
      pod('10.0.1.10', 'shop', 'a-1', { app: 'a', [HOSTILE[2]!.trim() || 'x']: HOSTILE[6]! }),
      pod('10.0.2.20', 'shop', 'b-1', { app: 'b', evil: HOSTILE[0]! }),
      pod('10.0.3.30', 'shop', 'c-1', { app: 'c' }),
      pod('10.0.4.40', 'shop', 'd-1', { app: 'd' }),
    ];
    const hostileOutput = ciliumTarget(hostilePolicy(), { pods: hostilePods });
    const content = hostileOutput.files[0]!.content;
    const read = parseCiliumPolicies(content) as { metadata: { annotations: Record<string, string> } }[];
    expect(read.length).toBe(4);
    expect(read.map((document) => document.metadata.annotations['flowfence.io/group-name']).sort()).toEqual([HOSTILE[0], HOSTILE[3], HOSTILE[5], 'group g4"\nflush ruleset\n#'].sort());
    // Labels that are no valid Kubernetes labels never reach a selector.
    expect(content).not.toContain('evil');
    // A newline in an id is kept inside its YAML scalar (a block literal), never a key or a document of its own.
    expect(read.map((document) => document.metadata.annotations['flowfence.io/group'])).toContain('g4"\nflush ruleset\n#');
    for (const line of content.split('\n')) if (line.trimStart().startsWith('#')) expect(line).toMatch(/^[\x20-\x7e]*$/);
    expect(new CiliumEvaluator(read).allows({ pod: { namespace: 'shop', name: 'd-1', labels: { app: 'd' } } }, { pod: { namespace: 'shop', name: 'a-1', labels: { app: 'a' } } }, 'TCP', 443)).toBe(true);
  });

  it('is byte-identical whatever the order of groups, rules and pods', () => {
    const random = prng(11);
    for (let round = 0; round < 3; round++) {
      const shuffled = { ...policy, groups: shuffle(random, policy.groups), rules: shuffle(random, policy.rules) };
      expect(ciliumTarget(shuffled, { pods: shuffle(random, pods) })).toEqual(output);
    }
  });

  it('exports nothing without a pod list, and says so', () => {
    const none = ciliumTarget(policy, { pods: [] });
    expect(none.files).toEqual([]);
    expect(none.rulesSkipped).toBe(policy.rules.length);
    expect(none.notes[0]!.what).toBe('no pods known');
  });
});

describe('cilium validation', () => {
  const rules = (ingress: CiliumRule[], egress: CiliumRule[] = []): CiliumNetworkPolicy => ({ name: 'flowfence-g1', namespace: 'shop', labels: {}, annotations: {}, endpointSelector: { matchLabels: { 'k8s:app': 'web' } }, enableDefaultDeny: { ingress: true, egress: true }, ingress, egress, remarks: [] });
  const peers = { kind: 'endpoints', selectors: [{ matchLabels: { 'k8s:app': 'x' } }] } as const;
  const port = (value: string, extra: object = {}) => ({ port: value, protocol: 'TCP' as const, ...extra });

  it('accepts what the target writes, and refuses what Cilium would', () => {
    expect(validateCiliumNetworkPolicy(rules([{ comments: [], peers, toPorts: [{ ports: [port('80')] }] }]))).toEqual([]);
    const problems = (policy: CiliumNetworkPolicy): string => validateCiliumNetworkPolicy(policy).join('\n');
    expect(problems(rules([{ comments: [], peers, toPorts: [{ ports: Array.from({ length: 41 }, (_, index) => port(`${index + 1}`)) }] }]))).toContain('too many ports, the max is 40');
    expect(problems(rules([], [{ comments: [], peers: { kind: 'services', services: [{ k8sService: { serviceName: 'db', namespace: 'shop' } }] }, toPorts: [{ ports: [port('80')] }] }]))).toContain('Combining ToServices and ToPorts');
    expect(problems(rules([{ comments: [], peers, toPorts: [{ ports: [port('90', { endPort: 80 })] }] }]))).toContain('endPort');
    expect(problems(rules([{ comments: [], peers, toPorts: [{ ports: [port('0')] }] }]))).toContain('1–65535');
    expect(problems(rules([{ comments: [], peers, toPorts: [{ ports: [port('080')] }] }]))).toContain('1–65535');
    expect(problems(rules([{ comments: [], peers: { kind: 'cidrs', cidrs: [{ cidr: '10.0.0.1/8' }] }, toPorts: [] }]))).toContain('canonical');
    expect(problems(rules([{ comments: [], peers: { kind: 'cidrs', cidrs: [{ cidr: '10.0.0.5' }] }, toPorts: [] }]))).toContain('canonical');
    expect(problems(rules([{ comments: [], peers: { kind: 'cidrs', cidrs: [{ cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] }] }, toPorts: [] }]))).toContain('does not contain');
    expect(problems(rules([{ comments: [], peers: { kind: 'entities', entities: ['everything' as never] }, toPorts: [] }]))).toContain('unsupported entity');
    expect(problems(rules([{ comments: [], peers: { kind: 'endpoints', selectors: [] }, toPorts: [] }]))).toContain('selects nothing');
    expect(problems(rules([]))).toContain('at least one');
    expect(problems({ ...rules([{ comments: [], peers, toPorts: [] }]), endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop' } } })).toContain('may not select the namespace');
    expect(problems({ ...rules([{ comments: [], peers, toPorts: [] }]), name: 'Flowfence_G1' })).toContain('metadata.name');
    expect(problems(rules([{ comments: [], peers: { kind: 'endpoints', selectors: [{ matchLabels: { 'evil:app': 'x' } }] }, toPorts: [] }]))).toContain('unknown label source');
    expect(problems(rules([{ comments: [], peers, toPorts: [{ ports: [{ port: '80', protocol: 'ICMP' as never }] }] }]))).toContain('Unsupported value');
  });

  it('writes no toServices and at most 40 ports per toPorts entry in the whole export', () => {
    expect(text).not.toContain('toServices');
    for (const document of documents) {
      for (const entry of [...document.spec.ingress, ...document.spec.egress]) {
        for (const toPorts of (entry.toPorts ?? []) as { ports: unknown[] }[]) expect(toPorts.ports.length).toBeLessThanOrEqual(CILIUM_MAX_PORTS);
        expect(Object.keys(entry).filter((key) => key !== 'toPorts')).toHaveLength(1);
      }
    }
  });
});
