import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import type { ExportTargetName } from '../../../src/core/export/export-types';
import { manifestText, parseManifest, versionManifest, versionRules, type ExportVersionManifest } from '../../../src/core/export/export-version';
import { unzipVersion, zipVersion } from '../../../src/core/export/export-version-archive';
import { diffVersions, sameRules } from '../../../src/core/export/export-version-diff';
import type { Policy, PolicyGroup, PolicyRule } from '../../../src/core/policy/policy-model';
import { group, handPolicy, rule } from '../policy/fixtures';

// The pure parts of export versions: which rules each target opens, the
// rule-level difference between two versions, and the zip a version is kept in.

const web = group('g1', ['10.0.1.10', '10.0.1.11']);
const app = group('g2', ['10.0.2.20']);
const db = group('g3', ['10.0.3.30']);
const outside = group('ext:198.51.100.0/24', ['198.51.100.7'], { kind: 'external' });
const webToApp = rule('g1', 'g2', 6, { from: 8443, to: 8443 });
const appToDb = rule('g2', 'g3', 6, { from: 5432, to: 5432 });
const jitSsh = rule('g3', 'g2', 6, { from: 22, to: 22 }, { jit: { requesters: [{ user: 'alice', logons: 3 }] } });
const rejected = rule('g1', 'g3', 6, { from: 5432, to: 5432 }, { state: 'rejected' });
const toOutside = rule('g2', 'ext:198.51.100.0/24', 6, { from: 443, to: 443 });

function manifestOf(policy: Policy, targets: readonly ExportTargetName[], version = 1): ExportVersionManifest {
  const result = exportPolicy(policy, { targets, logDrops: false });
  return versionManifest(
    { version, policySha256: '1'.repeat(64), previousSha256: null, rollbackOf: null, targets, options: { logDrops: false, podsSha256: null, awsQuotas: {} }, rules: versionRules(policy, result.report) },
    result.files,
  );
}

const policyOf = (groups: readonly PolicyGroup[], rules: readonly PolicyRule[]): Policy => handPolicy(groups, rules);
const v1 = policyOf([web, app, db, outside], [webToApp, appToDb, jitSsh, rejected, toOutside]);

describe('the rules a version opens', () => {
  it('counts a rule open unless it was rejected or the target left it out or closed, per target', () => {
    const { open, rules, groups } = manifestOf(v1, ['csv', 'nftables']).rules;
    // nftables: the just-in-time rule is written closed ("left-closed"); the rule to an outside network is
    // not filtered by an input chain ("left-open"), so its traffic passes: it counts as open.
    expect(open.nftables).toEqual([webToApp.id, appToDb.id, toOutside.id].sort());
    // csv lists every rule with its conditions as columns; a rejected rule opens nothing in any target.
    expect(open.csv).toEqual([webToApp.id, appToDb.id, jitSsh.id, toOutside.id].sort());
    expect(rules.map((r) => r.id)).not.toContain(rejected.id);
    expect(groups.map((g) => g.id)).toEqual(['ext:198.51.100.0/24', 'g1', 'g2', 'g3']);
    expect(groups.find((g) => g.id === 'g1')!.members).toEqual(['10.0.1.10', '10.0.1.11']);
  });

  it('opens nothing in a target that wrote no file', () => {
    // No pod is known: the k8s target writes nothing, so none of the rules is open there.
    expect(manifestOf(v1, ['k8s']).rules.open.k8s).toEqual([]);
  });
});

describe('the difference between two versions', () => {
  it('names exactly the rules that open, close and change, per target', () => {
    const before = manifestOf(v1, ['nftables']);
    // Version 2: web-to-app rejected, a host joins the app group, the jit rule loses its jit (so it opens).
    const v2 = policyOf([web, group('g2', ['10.0.2.20', '10.0.2.21']), db, outside], [{ ...webToApp, state: 'rejected' }, appToDb, { ...jitSsh, jit: null }, rejected, toOutside]);
    const after = manifestOf(v2, ['nftables'], 2);
    const diff = diffVersions(before, after);
    expect(diff.targets).toHaveLength(1);
    const [nft] = diff.targets;
    expect(nft!.presence).toBe('both');
    expect(nft!.opens).toEqual([{ id: jitSsh.id, from: 'g3', to: 'g2', service: 'tcp/22' }]);
    expect(nft!.closes).toEqual([{ id: webToApp.id, from: 'g1', to: 'g2', service: 'tcp/8443' }]);
    expect(nft!.changes).toEqual([
      { id: toOutside.id, from: 'g2', to: 'ext:198.51.100.0/24', service: 'tcp/443', clientsOpened: ['10.0.2.21'], clientsClosed: [], serversOpened: [], serversClosed: [], conditions: [] },
      { id: appToDb.id, from: 'g2', to: 'g3', service: 'tcp/5432', clientsOpened: ['10.0.2.21'], clientsClosed: [], serversOpened: [], serversClosed: [], conditions: [] },
    ]);
    expect(diff.files.added).toEqual(['nftables/10.0.2.21.nft']);
    expect(diff.files.removed).toEqual([]);
    // The way back is the mirror image.
    const back = diffVersions(after, before).targets[0]!;
    expect(back.opens.map((r) => r.id)).toEqual([webToApp.id]);
    expect(back.closes.map((r) => r.id)).toEqual([jitSsh.id]);
    expect(back.changes.map((r) => r.clientsClosed)).toEqual([['10.0.2.21'], ['10.0.2.21']]);
    expect(diffVersions(after, before).files.removed).toEqual(['nftables/10.0.2.21.nft']);
  });

  it('names a condition that changes, and reports nothing for evidence alone', () => {
    const window = { days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, timezone: 'UTC' as const };
    const before = manifestOf(v1, ['csv']);
    const evidenceOnly = manifestOf(policyOf([web, app, db, outside], [{ ...webToApp, evidence: { ...webToApp.evidence, flows: 99 } }, appToDb, jitSsh, rejected, toOutside]), ['csv'], 2);
    expect(sameRules(diffVersions(before, evidenceOnly))).toBe(true);
    const windowed = manifestOf(policyOf([web, app, db, outside], [{ ...webToApp, window }, appToDb, jitSsh, rejected, toOutside]), ['csv'], 2);
    const [csv] = diffVersions(before, windowed).targets;
    expect(csv!.changes).toEqual([{ id: webToApp.id, from: 'g1', to: 'g2', service: 'tcp/8443', clientsOpened: [], clientsClosed: [], serversOpened: [], serversClosed: [], conditions: [{ what: 'window', before: 'null', after: JSON.stringify(window) }] }]);
  });

  it('opens every rule of a target exported only now, and closes every rule of one no longer exported', () => {
    const csvOnly = manifestOf(v1, ['csv']);
    const both = manifestOf(v1, ['csv', 'nftables'], 2);
    const added = diffVersions(csvOnly, both).targets;
    expect(added.map((t) => [t.target, t.presence])).toEqual([['csv', 'both'], ['nftables', 'added']]);
    expect(added[1]!.opens.map((r) => r.id)).toEqual(both.rules.open.nftables);
    const removed = diffVersions(both, csvOnly).targets[1]!;
    expect([removed.presence, removed.closes.map((r) => r.id)]).toEqual(['removed', both.rules.open.nftables]);
  });
});

describe('a version kept as a zip', () => {
  const manifest = manifestOf(v1, ['nftables', 'csv']);
  const manifestBytes = strToU8(manifestText(manifest));
  const files = exportPolicy(v1, { targets: ['nftables', 'csv'], logDrops: false }).files.map((file) => ({ path: file.path, bytes: strToU8(file.content) }));

  it('gives the same bytes every time and reads back to the same files', () => {
    const zip = zipVersion(manifestBytes, files);
    expect(zipVersion(manifestBytes, [...files].reverse())).toEqual(zip);
    const content = unzipVersion(zip, 'v1.zip');
    expect(content.manifest).toEqual(manifest);
    expect(content.manifestBytes).toEqual(manifestBytes);
    expect(new Map(content.files.map((file) => [file.path, file.bytes]))).toEqual(new Map(files.map((file) => [file.path, file.bytes])));
  });

  it('refuses a zip whose file no longer matches its digest, lacks a file, or holds one the manifest does not list', () => {
    const entries = unzipSync(zipVersion(manifestBytes, files));
    const path = files[0]!.path;
    expect(() => unzipVersion(zipSync({ ...entries, [path]: strToU8('tampered') }), 'v1.zip')).toThrow(`v1.zip: ${path} does not match its SHA-256 in the manifest`);
    const { [path]: _gone, ...without } = entries;
    expect(() => unzipVersion(zipSync(without), 'v1.zip')).toThrow(`v1.zip: ${path} is missing`);
    expect(() => unzipVersion(zipSync({ ...entries, 'nftables/extra.nft': strToU8('x') }), 'v1.zip')).toThrow('holds files its manifest does not list (nftables/extra.nft)');
    expect(() => unzipVersion(strToU8('not a zip'), 'v1.zip')).toThrow('v1.zip: not a readable zip');
  });

  it('refuses a zip damaged where the reader does not look: a local header date', () => {
    const zip = zipVersion(manifestBytes, files);
    // The first entry's local header: signature (4), version (2), flags (2), method (2), then its DOS time (2).
    expect([zip[0], zip[1], zip[2], zip[3]]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const damaged = Uint8Array.from(zip);
    damaged[10] = damaged[10]! ^ 0xff;
    expect(unzipSync(damaged)).toEqual(unzipSync(zip));
    expect(() => unzipVersion(damaged, 'v1.zip')).toThrow('v1.zip: is not the zip its own files make (damaged, or written by another version of Flowfence)');
  });

  it('refuses a manifest that is not one', () => {
    expect(() => parseManifest('{', 'm.json')).toThrow('m.json: not JSON');
    expect(() => parseManifest(JSON.stringify({ ...manifest, format: 'other' }), 'm.json')).toThrow('format is not "flowfence-export-version"');
    expect(() => parseManifest(JSON.stringify({ ...manifest, previousSha256: 'abc' }), 'm.json')).toThrow('previousSha256 is neither null nor a SHA-256');
    expect(() => parseManifest(JSON.stringify({ ...manifest, version: 0 }), 'm.json')).toThrow('version is not a whole number from 1');
    expect(parseManifest(manifestText(manifest), 'm.json')).toEqual(manifest);
  });

  it('refuses a manifest listing a file outside the folder, or the manifest and history themselves (export removes what it lists)', () => {
    const file = manifest.files[0]!;
    for (const path of ['../victim.txt', '/etc/passwd', 'nftables/../../x', 'a//b', 'a\\b', './x', 'export-version.json', '.flowfence-versions/000001.zip']) {
      expect(() => parseManifest(JSON.stringify({ ...manifest, files: [{ ...file, path }] }), 'm.json'), path).toThrow('files are not a list of path, sha256 and bytes');
    }
  });
});
