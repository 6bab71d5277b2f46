import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { writeGeneratedFiles } from '../../src/core/node/write-generated';
import { demoDataset } from '../../src/core/synth/demo-dataset';
import { awsDataset } from '../../src/core/synth/aws-dataset';
import { HAS_SHARED_DATA, SAMPLES, sample } from '../helpers/samples';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'resources', 'demo');


const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-cli-'));

describe('flowfence analyze', () => {
  it('on the demo: one JSON object with inputs, hosts, edges, window, timings and groups; the four CSV files', async () => {
    const out = await tempDir();
    const { code, stdout } = await cli(['analyze', DEMO, '--json', '--out', out]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary)).toEqual([
      'inputs', 'hosts', 'edges', 'window', 'enrichment', 'timingsMs', 'groups', 'assignments', 'labelConflicts', 'clustering', 'graph', 'anomalies',
      'rules', 'simulation', 'exposure', 'policySha256',
    ]);
    expect(summary.inputs.map((input: { format: string }) => input.format).sort()).toEqual(['aws-vpc', 'inventory', 'windows-logons']);
    for (const input of summary.inputs) {
      expect(Object.keys(input).slice(0, 6)).toEqual(['path', 'format', 'read', 'accepted', 'rejected', 'rejectReasons']);
      expect(input.read).toBe(input.accepted + input.rejected);
    }
    // The demo's logons on files-1 name a computer its inventory leaves out: counted and named.
    const logonFile = summary.inputs.find((input: { format: string }) => input.format === 'windows-logons');
    expect(logonFile.warnings).toEqual([expect.stringMatching(/^267 of 385 logons are on computers no inventory row or pod name places at an address: files-1\.corp\.example\.com \(265\), /)]);
    expect(summary.hosts).toBeGreaterThan(100);
    expect(summary.edges).toBeGreaterThan(1000);
    expect(summary.window).toEqual({ from: '2026-01-05T00:00:00.000Z', to: '2026-01-05T23:59:59.000Z' });
    expect(typeof summary.timingsMs.ingest).toBe('number');
    expect(typeof summary.timingsMs.total).toBe('number');
    expect((await readdir(out)).sort()).toEqual(['anomalies.csv', 'edges.csv', 'groups.csv', 'hosts.csv', 'policy.json', 'rejects.csv', 'rules.csv']);
    // The demo's enterprise has planted incidents: each kind is flagged.
    expect([...new Set(summary.anomalies.map((anomaly: { kind: string }) => anomaly.kind))].sort()).toEqual(['cross-environment', 'exfiltration', 'lateral-movement', 'new-external', 'scan']);
    for (const anomaly of summary.anomalies) expect(Object.keys(anomaly)).toEqual(['kind', 'src', 'dst', 'ports', 'flows', 'reason']);
    const anomalyRows = (await readFile(join(out, 'anomalies.csv'), 'utf8')).trimEnd().split('\n');
    expect(anomalyRows[0]).toBe('kind,src,dst,ports,flows,reason');
    expect(anomalyRows).toHaveLength(summary.anomalies.length + 1);
    expect(summary.groups.length).toBeGreaterThan(0);
    for (const group of summary.groups) expect(Object.keys(group)).toEqual(['id', 'name', 'members', 'confidence', 'labels', 'rule', 'kind', 'tier', 'community']);
    expect(Object.keys(summary.assignments)).toHaveLength(summary.enrichment.internalHosts);
    const groupRows = (await readFile(join(out, 'groups.csv'), 'utf8')).trimEnd().split('\n');
    expect(groupRows[0]).toBe('ip,group_id,group_name,confidence,reason');
    expect(groupRows).toHaveLength(summary.enrichment.internalHosts + 1);
    const edges = (await readFile(join(out, 'edges.csv'), 'utf8')).split('\n');
    expect(edges[0]).toBe('client,server,proto,port,action,flows,packets,bytes,first_seen,last_seen,direction_reason');
    expect(edges).toHaveLength(summary.edges + 2);
    expect(await readFile(join(out, 'rejects.csv'), 'utf8')).toBe('file,line,reason\n');
    // A host serves what it answered: the billing web server's refused probes (ftp, telnet, rdp, mssql, mysql) are no service of it.
    const billingWeb = (await readFile(join(out, 'hosts.csv'), 'utf8')).split('\n').find((row) => row.startsWith('10.1.0.10,'))!;
    expect(billingWeb.split(',')[6]).toBe('tcp/22 ssh;tcp/443 https;tcp/9100 node-exporter');
    expect(edges.some((row) => row.startsWith('10.') && row.includes(',10.1.0.10,tcp,21,deny,'))).toBe(true);
  });

  it('exits 2 on unusable input and on bad arguments, with a message on stderr', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'notes.txt'), 'not a flow export\n');
    const unusable = await cli(['analyze', join(dir, 'notes.txt'), '--json']);
    expect(unusable.code).toBe(2);
    expect(JSON.parse(unusable.stdout).inputs[0].error).toMatch(/unknown format/);
    const missing = await cli(['analyze', join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/flowfence: ENOENT.*nope\.log/);
    const badMap = await cli(['analyze', dir, '--map', 'source=a']);
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toContain('--map: unknown field "source"');
    const badCidr = await cli(['analyze', dir, '--internal', '10.0.0.0/33']);
    expect(badCidr.code).toBe(2);
    expect(badCidr.stderr).toContain('--internal: "10.0.0.0/33" is not a CIDR');
    expect((await cli(['analyze', '--help'])).code).toBe(0);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('writes byte-identical files whatever the order of the inputs and of the rows in them', async () => {
    const first = await tempDir();
    const second = await tempDir();
    const inputs = await tempDir();
    await cp(DEMO, inputs, { recursive: true });
    const { readFile: read, writeFile } = await import('node:fs/promises');
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const flowDir = join(inputs, 'vpc-flow-logs');
    const [name] = await readdir(flowDir);
    const lines = gunzipSync(await read(join(flowDir, name!))).toString().trimEnd().split('\n');
    const reversed = [lines[0], ...lines.slice(1).reverse()].join('\n') + '\n';
    const shuffledDir = await tempDir();
    await cp(inputs, shuffledDir, { recursive: true });
    await writeFile(join(shuffledDir, 'vpc-flow-logs', name!), gzipSync(reversed));
    const a = await cli(['analyze', join(inputs, 'inventory.csv'), join(inputs, 'windows-logons.ndjson'), flowDir, '--out', first]);
    const b = await cli(['analyze', join(shuffledDir, 'vpc-flow-logs'), join(shuffledDir, 'windows-logons.ndjson'), join(shuffledDir, 'inventory.csv'), '--out', second]);
    expect([a.code, b.code]).toEqual([0, 0]);
    for (const file of ['edges.csv', 'hosts.csv']) expect(await read(join(second, file), 'utf8')).toBe(await read(join(first, file), 'utf8'));
  });

  it('the demo in resources/demo is exactly what the seeded generator makes', async () => {
    const regenerated = await tempDir();
    await writeGeneratedFiles(demoDataset().files, regenerated);
    for (const file of ['inventory.csv', 'windows-logons.ndjson', ...(await readdir(join(DEMO, 'vpc-flow-logs'))).map((n) => `vpc-flow-logs/${n}`)]) {
      expect(Buffer.compare(await readFile(join(regenerated, file)), await readFile(join(DEMO, file))), file).toBe(0);
    }
  });
});

describe('offline by construction', () => {
  const launcher = join(ROOT, 'src', 'cli', 'flowfence.mjs');
  const canIsolate = spawnSync('unshare', ['--net', 'true']).status === 0;

  /** Runs node with the network trap preloaded; `attempts` is what the trap logged ('' when no log was written). */
  function runTrapped(nodeArgs: string[]): { status: number | null; stdout: string; attempts: string } {
    const log = join(tmpdir(), `flowfence-network-${process.pid}-${Date.now()}.log`);
    const command = [process.execPath, '--require', join(ROOT, 'test', 'helpers', 'deny-network.cjs'), ...nodeArgs];
    // Inside an empty network namespace when the machine allows it, so even code that bypassed the traps could reach nothing.
    const result = canIsolate
      ? spawnSync('unshare', ['--net', ...command], { encoding: 'utf8', env: { ...process.env, FLOWFENCE_NETWORK_LOG: log }, cwd: ROOT, maxBuffer: 64 * 2 ** 20 })
      : spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', env: { ...process.env, FLOWFENCE_NETWORK_LOG: log }, cwd: ROOT, maxBuffer: 64 * 2 ** 20 });
    let attempts = '';
    try {
      attempts = readFileSync(log, 'utf8');
    } catch {
      attempts = '';
    }
    return { status: result.status, stdout: result.stdout, attempts };
  }

  const runOffline = (args: string[]): ReturnType<typeof runTrapped> => runTrapped([launcher, ...args]);

  it('the trap logs every attempt, so an empty log below means none was made', () => {
    const script = [
      "const attempts = [() => fetch('https://example.com/'), () => require('node:https').get('https://example.com/'), () => require('node:net').connect(443, 'example.com')];",
      "for (const attempt of attempts) { try { attempt(); } catch { /* refused */ } }",
      "process.stdout.write('done');",
    ].join('\n');
    const run = runTrapped(['-e', script]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('done');
    expect(run.attempts).toBe('fetch\nhttps.get\nnet.connect\n');
  });

  it(`analyzes the demo with every network request refused${canIsolate ? ', in an empty network namespace' : ''}`, () => {
    const out = join(tmpdir(), `flowfence-offline-${process.pid}`);
    const run = runOffline(['analyze', 'resources/demo', '--json', '--out', out]);
    expect(run.attempts).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).edges).toBeGreaterThan(1000);
  });

  it('parses on worker threads offline too (an input above the 16 MB threshold)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'flowfence-offline-large-'));
    const dataset = awsDataset({ seed: 8, startMs: Date.UTC(2026, 0, 5), days: 2, apps: 4, workstationScale: 0.5, intensity: 0.6 });
    let bytes = 0;
    for (const day of dataset.days()) {
      const text = [...day.chunks()].flat().join('\n') + '\n';
      bytes += text.length;
      await writeFile(join(directory, `${day.name}`), text);
    }
    expect(bytes).toBeGreaterThan(16 * 2 ** 20);
    const run = runOffline(['analyze', directory, '--json']);
    expect(run.attempts).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).edges).toBeGreaterThan(1000);
  });

  it.skipIf(!HAS_SHARED_DATA)('reads every real sample offline, each format and enrichment source recognised (needs ../shared/data)', () => {
    const run = runOffline(['analyze', SAMPLES, '--json']);
    expect(run.attempts).toBe('');
    expect(run.status).toBe(2);
    const summary = JSON.parse(run.stdout);
    const formats = new Set(summary.inputs.map((input: { format: string | null }) => input.format));
    for (const id of ['aws-vpc', 'aws-tgw', 'azure-nsg', 'azure-vnet', 'gcp-vpc', 'nfdump', 'zeek-conn', 'suricata-eve', 'hubble', 'pmacct', 'argus', 'csv', 'k8s-pods', 'windows-logons']) {
      expect(formats, id).toContain(id);
    }
    expect(summary.inputs.find((input: { path: string }) => input.path === sample('zeek/conn.zeek-cut-logs.tsv.log'))?.accepted).toBeGreaterThan(0);
  });
});
