import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { AddressScopes, parseCidr } from '../../../src/core/enrich/address-scope';
import { RowTally } from '../../../src/core/ingest/row-tally';
import { profileHosts, summariseLogons } from '../../../src/core/enrich/host-profiles';
import { parseInventory } from '../../../src/core/enrich/inventory';
import { parseKubernetesList, workloadOf } from '../../../src/core/enrich/kubernetes';
import { parseLogons } from '../../../src/core/enrich/logons';
import { newFileReport } from '../../../src/core/ingest/file-report';
import { HAS_SHARED_DATA, sample } from '../../helpers/samples';

function account(path = 'file') {
  const rejects: { line: number; reason: string }[] = [];
  const report = newFileReport(path);
  return { account: new RowTally(report, (line, reason) => rejects.push({ line, reason })), report, rejects };
}

const emptyData = { inventory: [], pods: [], owners: [], logons: [], internalCidrs: [] };

describe('inventory CSV', () => {
  it('reads addresses and CIDRs, names and any other column as labels; rejects bad rows by field', () => {
    const { account: acc, report, rejects } = account();
    const text = '\uFEFFIP Address;Host Name;env;app;owner\n10.1.0.10;db-1;prod;billing;dba@example.com\n10.1.0.0/16;;prod;;\n10.1.0.999;bad;;;\n\n';
    const entries = parseInventory(text, acc);
    expect(report).toMatchObject({ read: 3, accepted: 2, rejected: 1 });
    expect(rejects).toEqual([{ line: 4, reason: 'IP Address: not an IPv4 or IPv6 address (got "10.1.0.999")' }]);
    expect(entries[0]).toMatchObject({ ip: '10.1.0.10', hostname: 'db-1', labels: { env: 'prod', app: 'billing', owner: 'dba@example.com' } });
    expect(entries[1]!.cidr?.text).toBe('10.1.0.0/16');
  });

  it("reads an EC2 export by its PrivateIpAddress column (AWS's own name for it), label keys in lower case", () => {
    const { account: acc, report } = account();
    const entries = parseInventory('PrivateIpAddress,InstanceId,Name,Environment\n10.20.33.7,i-0abc,prod-web,prod\n', acc);
    expect(report).toMatchObject({ read: 1, accepted: 1, rejected: 0 });
    // "Environment" is the environment key label-keys.ts knows as "environment", as an AWS tag export spells it.
    expect(entries[0]).toMatchObject({ ip: '10.20.33.7', hostname: 'prod-web', labels: { instanceid: 'i-0abc', environment: 'prod' } });
  });

  it("reads an interface address with its prefix length (NetBox's 10.100.1.22/28) as that host, and NetBox's '—' as no value", () => {
    const { account: acc, report } = account();
    const text = 'Name,Status,Rack,Role,IP Address,Environment\r\nS1-SRV01,Active,—,Store Server,10.100.1.20/28,Production\r\nS1-RTR01,Active,—,WAN Router,10.99.0.1/32,Production\r\nS1-POS,Active,-,POS VLAN,10.100.1.32/28,Production\r\nv6,Active,–,Server,2001:db8::5/64,Production\r\n';
    const entries = parseInventory(text, acc);
    expect(report).toMatchObject({ read: 4, accepted: 4, rejected: 0 });
    expect(entries.map((entry) => [entry.ip, entry.cidr?.text ?? null])).toEqual([
      ['10.100.1.20', null],
      ['10.99.0.1', null],
      // Host bits all zero and a prefix shorter than a host's: a network row, as before.
      [null, '10.100.1.32/28'],
      ['2001:db8::5', null],
    ]);
    expect(entries[0]!.labels).toEqual({ status: 'Active', role: 'Store Server', environment: 'Production' });
    expect(entries.every((entry) => !('rack' in entry.labels))).toBe(true);
  });

  it('exact rows override network rows; longer prefixes override shorter; listed public space is internal', () => {
    const { account: acc } = account();
    const inventory = parseInventory(
      'cidr,hostname,zone,env\n203.0.113.0/24,,dmz,prod\n203.0.113.0/28,,dmz-core,\n203.0.113.5,web-5,,staging\n',
      acc,
    );
    const [web, other, outside] = profileHosts(['203.0.113.5', '203.0.113.100', '198.51.100.1'], { ...emptyData, inventory });
    expect(web).toMatchObject({ scope: 'internal', name: 'web-5', nameSource: 'inventory' });
    expect(Object.fromEntries(web!.labels.map((label) => [label.key, label.value]))).toEqual({ zone: 'dmz-core', env: 'staging' });
    expect(Object.fromEntries(other!.labels.map((label) => [label.key, label.value]))).toEqual({ zone: 'dmz', env: 'prod' });
    expect(outside).toMatchObject({ scope: 'external', name: null });
  });

  it('adds where the flow records placed a host as flow-log labels: values joined in text order, a long list cut with a count', () => {
    const nsgs = Array.from({ length: 10 }, (_, i) => ({ ip: '10.0.0.5', key: 'azure:nsg', value: `NSG-${i}` }));
    const observedLabels = [
      { ip: '10.0.0.4', key: 'azure:nsg', value: 'SUBNET-NSG' },
      { ip: '10.0.0.4', key: 'azure:nsg', value: 'NIC-NSG' },
      { ip: '10.0.0.4', key: 'zone', value: 'from-the-records' },
      ...nsgs.reverse(),
    ];
    const inventory = parseInventory('ip,zone\n10.0.0.4,dmz\n', account().account);
    const [first, second] = profileHosts(['10.0.0.4', '10.0.0.5'], { ...emptyData, inventory, observedLabels });
    expect(first!.labels).toEqual([
      { key: 'azure:nsg', value: 'NIC-NSG, SUBNET-NSG', source: 'flow-log' },
      // The inventory's own label is never overridden.
      { key: 'zone', value: 'dmz', source: 'inventory' },
    ]);
    expect(second!.labels).toEqual([{ key: 'azure:nsg', value: 'NSG-0, NSG-1, NSG-2, NSG-3, NSG-4, NSG-5, NSG-6, NSG-7 and 2 more', source: 'flow-log' }]);
  });
});

describe('address scope', () => {
  it('private, CGNAT, link-local, ULA and user ranges are internal; multicast and broadcast apart', () => {
    const scopes = new AddressScopes([parseCidr('198.51.100.0/24')!]);
    expect(['10.1.2.3', '172.20.0.1', '192.168.1.1', '100.64.1.1', '169.254.1.1', 'fd00::1', 'fe80::1', '198.51.100.7'].map((ip) => scopes.scope(ip))).toEqual(
      Array(8).fill('internal'),
    );
    expect(scopes.scope('8.8.8.8')).toBe('external');
    expect(scopes.scope('2a02:cf40::')).toBe('external');
    expect(scopes.scope('224.0.0.251')).toBe('multicast');
    expect(scopes.scope('ff02::fb')).toBe('multicast');
    expect(scopes.scope('255.255.255.255')).toBe('broadcast');
  });
});

describe.skipIf(!HAS_SHARED_DATA)('Kubernetes pod lists (needs ../shared/data)', () => {
  it('names workloads by walking owners, inferring Deployments from ReplicaSet names when the list is missing', async () => {
    const { account: acc, report } = account();
    const pods = parseKubernetesList(await readFile(sample('k8s-podlists-troubleshoot/default.json'), 'utf8'), acc);
    expect(report).toMatchObject({ read: 1, accepted: 1 });
    const [pod] = pods.pods;
    expect(pod).toMatchObject({ ips: ['10.244.0.5'], pod: 'random-pod-75b66db9b9-nqhp8', namespace: 'default' });
    expect(workloadOf(pod!, new Map())).toEqual({ kind: 'Deployment', name: 'random-pod' });
  });

  it('follows ReplicaSet → Deployment from the lists, keeps Job owners and rejects pods without an address', async () => {
    const lists = await Promise.all(
      ['replicasets-default.json', 'deployments-default.json', 'message-oomkill-pod.json', 'message-image-pull-fail.json', 'message-container-creating-failed-mount.json'].map((file) =>
        readFile(sample(`k8s-podlists-troubleshoot/${file}`), 'utf8'),
      ),
    );
    const { account: acc, report, rejects } = account();
    const objects = lists.map((text) => parseKubernetesList(text, acc));
    const owners = new Map(objects.flatMap((o) => o.owners).map((link) => [link.key, link.owner]));
    expect(owners.get('default/ReplicaSet/kotsadm-f98ff7d75')).toEqual({ kind: 'Deployment', name: 'kotsadm' });
    const job = objects.flatMap((o) => o.pods).find((pod) => pod.owner?.kind === 'Job')!;
    expect(workloadOf(job, owners)).toEqual({ kind: 'Job', name: 'oom-kill-job3' });
    expect(report.read).toBe(report.accepted + report.rejected);
    // The failed-mount pod is Pending without an address; the other Pending pod already has one.
    expect(report).toMatchObject({ read: 9, accepted: 8, rejected: 1 });
    expect(rejects).toHaveLength(1);
    for (const reject of rejects) expect(reject.reason).toMatch(/status\.podIP: pod has no address \(got "phase \w+"\)/);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('Windows logon events (needs ../shared/data)', () => {
  it('reads 4624 events from python-evtx XML, with local logons carrying no source', async () => {
    const { account: acc, report } = account();
    const logons = parseLogons(await readFile(sample('windows-evtx-attack-samples/security-4624.xml'), 'utf8'), acc);
    expect(report).toMatchObject({ read: 87, accepted: 87, rejected: 0 });
    expect(logons[0]).toMatchObject({ user: 'user01', targetHost: 'PC01.example.corp', logonType: 11, timeMs: Date.UTC(2019, 1, 13, 18, 2, 4) + 426.662 });
    expect(logons.some((logon) => logon.sourceIp !== null)).toBe(true);
    const machineAccounts = logons.filter((logon) => logon.user.endsWith('$'));
    expect(machineAccounts).toHaveLength(25);
    expect(machineAccounts.every((logon) => logon.serviceAccount)).toBe(true);
  });

  it('reads NDJSON exports, rejecting other event ids with a reason, and matches targets to addresses by name', async () => {
    const { account: acc, report } = account();
    const logons = parseLogons(await readFile(sample('windows-evtx-attack-samples/security-auth-4624-4625-4634-4648-4672-4768-4769-4776.ndjson'), 'utf8'), acc);
    expect(report.accepted).toBe(87);
    expect(report.read).toBe(report.accepted + report.rejected);
    expect(Object.keys(report.rejectReasons)).toEqual(['EventID: not a successful logon (4624)']);
    const { account: inv } = account();
    const inventory = parseInventory('ip,hostname\n10.9.0.1,PC01.example.corp\n', inv);
    const profiles = profileHosts(['10.9.0.1'], { ...emptyData, inventory });
    const summary = summariseLogons(logons, profiles, inventory);
    expect(summary.find((entry) => entry.targetHost === 'PC01.example.corp')?.targetIp).toBe('10.9.0.1');
    const counted = summary.reduce((sum, entry) => sum + entry.count, 0);
    expect(counted).toBe(87);
  });
});
