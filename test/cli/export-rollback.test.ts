import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentDigest } from '../../src/core/policy/build-policy';
import type { Policy } from '../../src/core/policy/policy-model';
import type { ExportVersionManifest } from '../../src/core/export/export-version';
import type { VersionDiff } from '../../src/core/export/export-version-diff';
import { group, handPolicy, rule } from '../core/policy/fixtures';
import { cli } from '../helpers/cli';

// Export versions and rollback through the CLI, on the demo analysed: v1
// from the policy as generated, v2 with a rule rejected and a host gone from
// its group, then back to v1, byte for byte, with the rules that open and
// close named.

const DEMO = fileURLToPath(new URL('../../resources/demo', import.meta.url));
// Every target that needs no pod list.
const TARGETS = 'aws-sg,azure-nsg,csv,gcp,iptables,nftables,windows';
const tempDir = () => mkdtemp(join(tmpdir(), 'flowfence-rollback-'));

/** Every file under `dir`, relative, with its bytes; the manifest and the history too unless `contentOnly`. */
async function tree(dir: string, contentOnly = false): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name).slice(dir.length + 1);
    if (contentOnly && (path === 'export-version.json' || path.startsWith('.flowfence-versions'))) continue;
    files.set(path, await readFile(join(dir, path)));
  }
  return new Map([...files].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

const manifestIn = async (dir: string): Promise<ExportVersionManifest> => JSON.parse(await readFile(join(dir, 'export-version.json'), 'utf8')) as ExportVersionManifest;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function writePolicy(policy: Policy, name: string): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, JSON.stringify({ ...policy, contentSha256: contentDigest(policy) }, null, 2));
  return path;
}

describe('flowfence export versions and --rollback', () => {
  let v1Path = '';
  let v2Path = '';
  let rejectedId = '';
  let shrunk = { group: '', member: '' };

  beforeAll(async () => {
    const analysis = await tempDir();
    const analysed = await cli(['analyze', DEMO, '--out', analysis]);
    expect(analysed.code, analysed.stderr).toBe(0);
    v1Path = join(analysis, 'policy.json');
    const v1 = JSON.parse(await readFile(v1Path, 'utf8')) as Policy;
    // v2: the analyst rejects an internal rule, and a host leaves a group (so its host files go too).
    const rejected = v1.rules.find((r) => r.state !== 'rejected' && r.from.startsWith('g') && r.to.startsWith('g'))!;
    const target = v1.groups.find((g) => g.kind === 'application' && g.members.length > 2 && v1.rules.some((r) => r.to === g.id && r.id !== rejected.id))!;
    rejectedId = rejected.id;
    shrunk = { group: target.id, member: target.members[target.members.length - 1]! };
    const { contentSha256: _digest, ...content } = {
      ...v1,
      rules: v1.rules.map((r) => (r.id === rejectedId ? { ...r, state: 'rejected' as const } : r)),
      groups: v1.groups.map((g) => (g.id === shrunk.group ? { ...g, members: g.members.filter((member) => member !== shrunk.member) } : g)),
    };
    v2Path = await writePolicy({ ...content, contentSha256: '' }, 'policy-v2.json');
  }, 120_000);

  it('writes v1, v2 and a rollback to v1 whose files are byte-identical to v1, naming the rules that open and close', async () => {
    const out = await tempDir();
    const first = await cli(['export', '--policy', v1Path, '--target', TARGETS, '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`exported to ${out} as version 1:`);
    const v1Files = await tree(out, true);
    const m1 = await manifestIn(out);
    expect([m1.version, m1.previousSha256, m1.rollbackOf]).toEqual([1, null, null]);
    expect(m1.policySha256).toBe((JSON.parse(await readFile(v1Path, 'utf8')) as Policy).contentSha256);
    // The manifest lists every file of the version with its digest, and nothing else.
    expect(m1.files.map((file) => file.path)).toEqual([...v1Files.keys()]);
    for (const file of m1.files) expect(sha256(v1Files.get(file.path)!), file.path).toBe(file.sha256);

    const second = await cli(['export', '--policy', v2Path, '--target', TARGETS, '--out', out, '--json']);
    expect(second.code, second.stderr).toBe(0);
    const m2 = await manifestIn(out);
    expect([m2.version, m2.previousSha256, m2.rollbackOf]).toEqual([2, sha256(await fileOfArchive(out, 1, 'export-version.json')), null]);
    const forward = (JSON.parse(second.stdout) as { changes: VersionDiff }).changes;
    // Exactly the rejected rule closes, in every target that opened it, and nothing opens.
    for (const target of forward.targets) {
      expect(target.opens, target.target).toEqual([]);
      expect(target.closes.map((r) => r.id), target.target).toEqual(m1.rules.open[target.target]!.includes(rejectedId) ? [rejectedId] : []);
      // The rules open in both that touch the shrunk group close to its departed host, and no other rule changes.
      const touching = m1.rules.rules.filter((r) => (r.from === shrunk.group || r.to === shrunk.group) && r.id !== rejectedId && m1.rules.open[target.target]!.includes(r.id)).map((r) => r.id);
      expect(target.changes.map((r) => r.id), target.target).toEqual(touching);
      for (const change of target.changes) {
        expect([...change.clientsClosed, ...change.serversClosed], change.id).toEqual(change.from === shrunk.group && change.to === shrunk.group ? [shrunk.member, shrunk.member] : [shrunk.member]);
        expect([...change.clientsOpened, ...change.serversOpened, ...change.conditions]).toEqual([]);
      }
    }
    const v2Files = await tree(out, true);
    expect(v2Files.has(`nftables/${shrunk.member}.nft`)).toBe(false);

    const back = await cli(['export', '--rollback', '--out', out]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain(`Version 1 written again to ${out} as version 3 (it replaces version 2):`);
    expect(back.stdout).toMatch(new RegExp(`nftables: 1 rule opens, 0 rules close, \\d+ rules? changes?\\n\\s+opens   ${escapeRegExp(rejectedId)} `));
    expect(back.stdout).toContain(`opens to clients ${shrunk.member}`);
    expect(back.stdout).toMatch(new RegExp(`files: \\d+ added \\([^)]*nftables/${escapeRegExp(shrunk.member)}\\.nft`));
    // Every file of every target, the report and the notes: the bytes of v1, and no file of v2 left behind.
    expect(await tree(out, true)).toEqual(v1Files);
    const m3 = await manifestIn(out);
    expect([m3.version, m3.rollbackOf, m3.previousSha256, m3.policySha256]).toEqual([3, 1, sha256(await fileOfArchive(out, 2, 'export-version.json')), m1.policySha256]);
    expect(m3.files).toEqual(m1.files);
    expect(m3.rules).toEqual(m1.rules);

    // --to N: version 2 again, as version 4.
    const again = await cli(['export', '--rollback', '--to', '2', '--out', out, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout) as { exportVersion: { version: number; rollbackOf: number; previousVersion: number }; changes: VersionDiff };
    expect(json.exportVersion).toMatchObject({ version: 4, rollbackOf: 2, previousVersion: 3 });
    expect(json.changes.targets.every((target) => target.opens.length === 0 && target.closes.map((r) => r.id).join() === (m1.rules.open[target.target]!.includes(rejectedId) ? rejectedId : ''))).toBe(true);
    expect(await tree(out, true)).toEqual(v2Files);
  }, 120_000);

  it('exports the same policy again as a new version with the same files and no rule changed', async () => {
    const out = await tempDir();
    expect((await cli(['export', '--policy', v1Path, '--target', 'csv,nftables', '--out', out])).code).toBe(0);
    const files = await tree(out, true);
    const again = await cli(['export', '--policy', v1Path, '--target', 'nftables,csv', '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('as version 2 (it replaces version 1):\n');
    expect(again.stdout).toContain('Changes from version 1:\n  no rule opens, closes or changes in any target');
    expect(again.stdout).not.toContain('files:');
    expect(await tree(out, true)).toEqual(files);
    // The manifests hold no time: the same exports into another folder give every byte alike, history included.
    const elsewhere = await tempDir();
    expect((await cli(['export', '--policy', v1Path, '--target', 'csv,nftables', '--out', elsewhere])).code).toBe(0);
    expect((await cli(['export', '--policy', v1Path, '--target', 'nftables,csv', '--out', elsewhere])).code).toBe(0);
    expect(await tree(elsewhere)).toEqual(await tree(out));
  }, 60_000);

  it('refuses a rollback with nothing to go back to, or to a version not kept, with exit 2 and nothing written', async () => {
    const empty = await tempDir();
    const none = await cli(['export', '--rollback', '--out', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`--rollback: ${empty} holds no versioned export, so there is nothing to go back to`);
    expect(await readdir(empty)).toEqual([]);
    const out = await tempDir();
    expect((await cli(['export', '--policy', v1Path, '--target', 'csv', '--out', out])).code).toBe(0);
    const before = await tree(out);
    const only = await cli(['export', '--rollback', '--out', out]);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('holds version 1 only, so there is nothing to go back to');
    expect((await cli(['export', '--rollback', '--to', '7', '--out', out])).stderr).toContain(`--rollback --to 7: ${out} keeps no version 7 (1 is the current one)`);
    expect((await cli(['export', '--rollback', '--to', '1', '--out', out])).stderr).toContain('holds version 1 already');
    expect((await cli(['export', '--rollback', '--policy', v1Path, '--out', out])).stderr).toContain('--rollback writes a kept version as it was: it takes no --policy');
    expect((await cli(['export', '--policy', v1Path, '--target', 'csv', '--to', '1', '--out', out])).stderr).toContain('--to N goes with --rollback');
    expect(await tree(out)).toEqual(before);
  }, 60_000);

  it('leaves the folder as it was when the version to write again is damaged or not the one that was replaced', async () => {
    const out = await tempDir();
    expect((await cli(['export', '--policy', v1Path, '--target', 'csv,nftables', '--out', out])).code).toBe(0);
    expect((await cli(['export', '--policy', v2Path, '--target', 'csv,nftables', '--out', out])).code).toBe(0);
    const v1Zip = join(out, '.flowfence-versions', '000001.zip');
    const kept = await readFile(v1Zip);
    const damaged = Buffer.from(kept);
    const at = Math.floor(damaged.length / 3);
    damaged[at] = damaged[at]! ^ 0xff;
    await writeFile(v1Zip, damaged);
    const before = await tree(out);
    const broken = await cli(['export', '--rollback', '--out', out]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('000001.zip');
    expect(await tree(out)).toEqual(before);
    // A zip of another version put in its place is refused too.
    await copyFile(join(out, '.flowfence-versions', '000002.zip'), v1Zip);
    const swapped = await cli(['export', '--rollback', '--out', out]);
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toContain('holds version 2, not 1');
    await writeFile(v1Zip, kept);
    expect((await cli(['export', '--rollback', '--out', out])).code).toBe(0);
  }, 60_000);

  it('escapes hostile rule ids and group names in the difference it prints', async () => {
    const hostile = 'g\u001b]0;owned\u0007\n  opens   fake';
    const a = group(hostile, ['10.0.1.10']);
    const b = group('g2', ['10.0.2.20']);
    const open = rule(hostile, 'g2', 6, { from: 443, to: 443 });
    const v1 = await writePolicy(handPolicy([a, b], [open]), 'hostile-v1.json');
    const v2 = await writePolicy(handPolicy([a, b], [{ ...open, state: 'rejected' }]), 'hostile-v2.json');
    const out = await tempDir();
    expect((await cli(['export', '--policy', v1, '--target', 'csv', '--out', out])).code).toBe(0);
    const second = await cli(['export', '--policy', v2, '--target', 'csv', '--out', out]);
    expect(second.code, second.stderr).toBe(0);
    const back = await cli(['export', '--rollback', '--out', out]);
    expect(back.code, back.stderr).toBe(0);
    for (const run of [second, back]) {
      // No control character but the newlines that end lines.
      expect([...run.stdout].filter((character) => character !== '\n' && (character < ' ' || character === '\u007f'))).toEqual([]);
      expect(run.stdout).toContain('g\\x1b]0;owned\\x07\\n  opens   fake');
      expect(run.stdout.split('\n').filter((line) => line.trimStart().startsWith('opens') || line.trimStart().startsWith('closes'))).toHaveLength(1);
    }
  }, 60_000);
});

async function fileOfArchive(out: string, version: number, name: string): Promise<Buffer> {
  const { unzipSync } = await import('fflate');
  const entries = unzipSync(new Uint8Array(await readFile(join(out, '.flowfence-versions', `${String(version).padStart(6, '0')}.zip`))));
  return Buffer.from(entries[name]!);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
