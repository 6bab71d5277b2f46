import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cli } from '../helpers/cli';
import { HAS_SHARED_DATA, sample } from '../helpers/samples';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'resources', 'demo');
const POLICY_V1 = join(ROOT, 'test', 'fixtures', 'policy', 'demo-excerpt.v1.policy.json');
const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-export-cli-'));

/** Every file under `dir`, relative, sorted, with its content. */
async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
    const full = join(entry.parentPath, entry.name);
    files.set(full.slice(dir.length + 1), await readFile(full, 'utf8'));
  }
  return new Map([...files].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

describe('flowfence export', () => {
  let policyPath = '';

  beforeAll(async () => {
    const out = await tempDir();
    const analysed = await cli(['analyze', DEMO, '--out', out]);
    expect(analysed.code, analysed.stderr).toBe(0);
    policyPath = join(out, 'policy.json');
  }, 120_000);

  it('writes each target\'s files and a report whose digests match them, the same bytes every time', async () => {
    const first = await tempDir();
    const run = await cli(['export', '--policy', policyPath, '--target', 'nftables,csv', '--out', first]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/nftables: \d+ rules, \d+ left out, \d+ files/);
    const files = await tree(first);
    const report = JSON.parse(files.get('export-report.json')!) as { targets: { target: string; files: { path: string; sha256: string }[] }[]; notes: unknown[] };
    expect(report.targets.map((target) => target.target)).toEqual(['csv', 'nftables']);
    for (const target of report.targets) {
      for (const file of target.files) expect(createHash('sha256').update(files.get(file.path)!).digest('hex'), file.path).toBe(file.sha256);
    }
    expect(files.has('nftables/all.nft')).toBe(true);
    expect(files.get('export-notes.csv')!.split('\n')[0]).toBe('target,rule,what,action,instead');
    const second = await tempDir();
    expect((await cli(['export', '--policy', policyPath, '--target', 'csv,nftables', '--out', second])).code).toBe(0);
    expect(await tree(second)).toEqual(files);
  });

  it('exports a staged policy: each target says how it expresses the stages and names the groups it leaves open; a rollback restores the enforced version byte for byte', async () => {
    const dir = await tempDir();
    const staged = join(dir, 'policy.json');
    await writeFile(staged, await readFile(policyPath, 'utf8'));
    const policy = JSON.parse(await readFile(staged, 'utf8')) as { groups: { id: string; members: string[] }[]; services: { id: string }[] };
    const web = policy.groups.find((group) => group.members.includes('10.1.0.10'))!.id;
    const pods = join(dir, 'pods.json');
    await writeFile(pods, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: ['10.1.0.10', '10.1.0.11'].map((ip, index) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${index}`, namespace: 'shop', labels: { app: 'web' } }, status: { podIP: ip, hostIP: '10.0.0.1' } })) }));
    const out = join(dir, 'export');
    const targets = ['csv', 'gcp', 'iptables', 'k8s', 'nftables', 'windows'].join(',');
    const v1 = await cli(['export', '--policy', staged, '--target', targets, '--pods', pods, '--out', out]);
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.stdout).not.toContain('stages:');
    const enforced = await tree(out);

    expect((await cli(['stage', '--policy', staged, '--group', web, '--to', 'observe', '--by', 'ana', '--why', 'canary'])).code).toBe(0);
    const v2 = await cli(['export', '--policy', staged, '--target', targets, '--pods', pods, '--out', out]);
    expect(v2.code, v2.stderr).toBe(0);
    expect(v2.stdout).toContain(`k8s: `);
    // The version diff names the stage change: no rule opens, yet the group's unlisted traffic now passes.
    expect(v2.stdout).toContain(`stage of ${web}: enforce → observe (opens what its rules do not allow, logged or left open per target)`);
    expect((JSON.parse(await readFile(join(out, 'export-version.json'), 'utf8')) as { rules: { stages?: Record<string, string> } }).rules.stages).toEqual({ [web]: 'observe' });
    expect(v2.stdout).toMatch(new RegExp(`stages: \\d+ enforced, 0 observed \\(logged\\), 0 selective, 1 left open \\(not isolated by this target until enforced\\):\\n +${web} \\(observe\\)`));
    expect(v2.stdout).toMatch(/nftables: .*\n +stages: \d+ enforced, 1 observed \(logged\), 0 selective\n/);
    const files = await tree(out);
    const report = JSON.parse(files.get('export-report.json')!) as { targets: { target: string; stages?: { observed: { group: string }[]; leftOpen: { group: string; stage: string }[] } }[] };
    const byTarget = new Map(report.targets.map((target) => [target.target, target.stages]));
    for (const target of ['csv', 'gcp', 'iptables', 'nftables', 'windows']) expect(byTarget.get(target)?.observed.map((entry) => entry.group), target).toEqual([web]);
    expect(byTarget.get('k8s')?.leftOpen).toEqual([{ group: web, stage: 'observe', why: expect.stringContaining('no audit mode') }]);
    expect(files.get('export-notes.csv')).toContain(`k8s,,group ${web} in observe,left-open,`);
    expect(files.get('csv/stages.csv')).toContain(`${web},`);
    expect(files.get(`nftables/10.1.0.10.nft`)).toMatch(/counter limit rate 10\/second log prefix "ff-observe g[0-9a-f]{7}: " level info\n\s+accept comment /);

    const back = await cli(['export', '--rollback', '--out', out]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain(`stage of ${web}: observe → enforce (closes what its rules do not allow, on more services)`);
    const restored = await tree(out);
    for (const [path, content] of enforced) if (!path.startsWith('.flowfence-versions/') && path !== 'export-version.json') expect(restored.get(path), path).toBe(content);
  }, 120_000);

  it('refuses an unknown target or a missing option with exit 2, and writes nothing', async () => {
    const out = await tempDir();
    const unknown = await cli(['export', '--policy', policyPath, '--target', 'nftables,pf', '--out', out]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown target "pf"; targets: aws-sg, azure-nsg, cilium, csv, gcp, iptables, k8s, nftables, windows');
    const noPods = await cli(['export', '--policy', policyPath, '--target', 'k8s', '--out', out]);
    expect(noPods.code).toBe(2);
    expect(noPods.stderr).toContain('--target k8s needs pods: the analysis behind');
    expect(noPods.stderr).toContain('knew none, so give --pods FILE');
    const badPods = await cli(['export', '--policy', policyPath, '--target', 'k8s', '--pods', policyPath, '--out', out]);
    expect(badPods.code).toBe(2);
    expect(badPods.stderr).toContain('no "items" array: not a Kubernetes list');
    const quota = await cli(['export', '--policy', policyPath, '--target', 'aws-sg', '--aws-rules-per-group', '300', '--out', out]);
    expect(quota.code).toBe(2);
    expect(quota.stderr).toContain('300 rules per security group times 5 security groups per network interface is more than EC2\'s 1000');
    expect((await cli(['export', '--policy', policyPath, '--target', 'aws-sg', '--aws-rules-per-group', 'many', '--out', out])).stderr).toContain('--aws-rules-per-group: a whole number, not "many"');
    expect((await cli(['export', '--target', 'csv', '--out', out])).stderr).toContain('--policy P is required');
    expect((await cli(['export', '--policy', policyPath, '--out', out])).code).toBe(2);
    expect(await readdir(out)).toEqual([]);
  });

  it('keeps an earlier export when the policy cannot be read', async () => {
    const out = await tempDir();
    expect((await cli(['export', '--policy', policyPath, '--target', 'csv', '--out', out])).code).toBe(0);
    const before = await tree(out);
    const broken = join(out, '..', `broken-${Date.now()}.json`);
    await writeFile(broken, '{"format": "flowfence-policy"');
    const failed = await cli(['export', '--policy', broken, '--target', 'csv', '--out', out]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('not JSON');
    expect(await tree(out)).toEqual(before);
  });

  it('exports a policy written by an older version, saying it was migrated', async () => {
    const out = await tempDir();
    const run = await cli(['export', '--policy', POLICY_V1, '--target', 'csv', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('migrated to version');
    expect(JSON.parse(run.stdout)).toMatchObject({ format: 'flowfence-export-report' });
  });
});

// Hubble's records name the pods they connect (namespace, name, labels,
// workload): the analysis keeps them in policy.json, so the Kubernetes
// targets need no pod list, and a pod list given to export replaces them.
describe.skipIf(!HAS_SHARED_DATA)(`flowfence export of Kubernetes targets from the pods the analysis knew${HAS_SHARED_DATA ? '' : ' (skipped: ../shared/data is absent)'}`, () => {
  it('exports NetworkPolicies for the Bookinfo pods the Hubble flows named, without --pods', async () => {
    const analysis = await tempDir();
    // The flow files only: the folder also holds a derived JSON that is no format Flowfence reads (and says so, with exit 2).
    const flows = (await readdir(sample('cilium-hubble-otel'))).filter((name) => name.startsWith('basic-sample-')).map((name) => join(sample('cilium-hubble-otel'), name));
    const analysed = await cli(['analyze', ...flows, '--out', analysis]);
    expect(analysed.code, analysed.stderr).toBe(0);
    const policy = JSON.parse(await readFile(join(analysis, 'policy.json'), 'utf8')) as { pods?: { namespace: string; labels: Record<string, string>; source: string }[] };
    const bookinfo = (policy.pods ?? []).filter((pod) => pod.namespace === 'bookinfo');
    expect([...new Set(bookinfo.map((pod) => pod.labels.app))]).toEqual(expect.arrayContaining(['details', 'productpage', 'ratings', 'reviews']));
    expect(new Set(bookinfo.map((pod) => pod.source))).toEqual(new Set(['flows']));

    const out = await tempDir();
    const run = await cli(['export', '--policy', join(analysis, 'policy.json'), '--target', 'k8s,cilium', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const documents = parseAllDocuments(await readFile(join(out, 'k8s', 'networkpolicies.yaml'), 'utf8')).map((document) => document.toJS() as { kind: string; metadata: { namespace: string }; spec: { podSelector: { matchLabels?: Record<string, string> } } });
    const selected = documents.filter((document) => document.metadata.namespace === 'bookinfo').map((document) => document.spec.podSelector.matchLabels?.app);
    for (const app of ['details', 'productpage', 'ratings', 'reviews']) expect(selected, app).toContain(app);
    expect(await readFile(join(out, 'cilium', 'ciliumnetworkpolicies.yaml'), 'utf8')).toContain('app: ratings');
  }, 120_000);
});
