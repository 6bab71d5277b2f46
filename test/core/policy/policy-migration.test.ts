import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_ROLE_DEFAULTS } from '../../../src/core/policy/admin-role';
import { contentDigest, policyJson } from '../../../src/core/policy/build-policy';
import { canonicalJson, sha256Hex } from '../../../src/core/policy/canonical-json';
import { POLICY_VERSION } from '../../../src/core/policy/policy-model';
import { parsePolicy, PolicyFileError, readPolicyFile } from '../../../src/core/policy/policy-schema';
import { edge, policyOf } from './fixtures';

// Written by Flowfence before policy version 2 (test/fixtures/policy/SOURCE.txt says how).
const V1_PATH = fileURLToPath(new URL('../../fixtures/policy/demo-excerpt.v1.policy.json', import.meta.url));
const V1_TEXT = readFileSync(V1_PATH, 'utf8');
type Json = Record<string, unknown> & { settings: Record<string, unknown>; rules: Record<string, unknown>[] };
const v1 = (): Json => JSON.parse(V1_TEXT) as Json;
const NEW_SETTINGS = ['liftMinHostShare', 'roleDependentAdminServices', 'directoryServices', 'roleMinShare', 'roleMinGroups', 'roleMinClientsPerServer', 'adminStationMinHosts', 'publicMinNetworks'];

/** A v1 file changed by `edit`, its digest recomputed so only the edit differs. */
function v1With(edit: (policy: Json) => void): string {
  const value = v1();
  edit(value);
  const { contentSha256: _old, ...content } = value;
  return JSON.stringify({ ...content, contentSha256: sha256Hex(canonicalJson(content)) });
}

function errorOf(text: string): string {
  try {
    readPolicyFile(text, 'v1.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyFileError);
    return (error as Error).message;
  }
  throw new Error('readPolicyFile accepted a broken policy');
}

describe('version-1 policy files', () => {
  it('the fixture is what version 1 wrote: version 1, none of the new settings, no analysis, its own digest', () => {
    const raw = v1();
    expect(raw.version).toBe(1);
    expect(POLICY_VERSION).toBe(2);
    for (const key of NEW_SETTINGS) expect(raw.settings).not.toHaveProperty(key);
    expect(raw).not.toHaveProperty('analysis');
    const { contentSha256, ...content } = raw;
    expect(contentSha256).toBe(sha256Hex(canonicalJson(content)));
    // What version 1 did that version 2 does not by default: SMB just-in-time from a group that is not an admin group.
    expect(raw.rules.some((rule) => rule.id === 'g30>g6:tcp/445' && rule.jit !== null)).toBe(true);
  });

  it('are migrated to version 2 on reading: the new settings filled in, analysis null, the rest as written, and say so', () => {
    const file = readPolicyFile(V1_TEXT, 'v1.json');
    expect(file.migratedFrom).toBe(1);
    expect(file.edited).toBe(false);
    expect(file.migration).toEqual([
      'settings.roleDependentAdminServices set to [] (version 1 made every admin service just-in-time from groups that are not admin groups)',
      'settings.directoryServices, settings.roleMinShare, settings.roleMinGroups, settings.roleMinClientsPerServer set to their defaults (without role-dependent services, used only to find remote-administration hubs)',
      'settings.liftMinHostShare set to 0 (version 1 lifted on the share of groups alone)',
      'analysis set to null (version 1 did not record the discovery and anomaly thresholds)',
      'settings.adminStationMinHosts set to its default (3): the file was written before it was recorded',
      'settings.publicMinNetworks set to its default (16): the file was written before it was recorded',
    ]);
    const { policy } = file;
    expect(policy.version).toBe(2);
    expect(policy.analysis).toBeNull();
    // Version 1 treated no admin service as a server's role: the migrated settings say the same.
    expect(policy.settings.roleDependentAdminServices).toEqual([]);
    expect(policy.settings.directoryServices).toEqual(ADMIN_ROLE_DEFAULTS.directoryServices);
    expect(policy.settings).toMatchObject({ roleMinShare: 0.5, roleMinGroups: 3, roleMinClientsPerServer: 4, liftMinHostShare: 0 });
    // Nothing else changes; the digest still names the file as written.
    const { version: _v, analysis: _a, settings, ...rest } = policy;
    const { version: _rv, settings: rawSettings, ...rawRest } = v1();
    expect(rest).toEqual(rawRest);
    expect(Object.fromEntries(Object.entries(settings).filter(([key]) => !NEW_SETTINGS.includes(key)))).toEqual(rawSettings);
    expect(policy.contentSha256).toBe(v1().contentSha256);
    expect(parsePolicy(V1_TEXT, 'v1.json')).toEqual(policy);
  });

  it('migrated and written again, read as a current file with nothing to migrate', () => {
    const { policy } = readPolicyFile(V1_TEXT, 'v1.json');
    const rewritten = { ...policy, contentSha256: contentDigest(policy) };
    const again = readPolicyFile(policyJson(rewritten), 'v2.json');
    expect([again.migratedFrom, again.migration, again.edited]).toEqual([null, [], false]);
    expect(again.policy).toEqual(rewritten);
  });

  it('keep the new settings a file already holds (a step only fills what is missing)', () => {
    const file = readPolicyFile(v1With((p) => (p.settings.roleMinShare = 0.7)), 'v1.json');
    expect(file.policy.settings.roleMinShare).toBe(0.7);
    expect(file.migration[1]).toBe('settings.directoryServices, settings.roleMinGroups, settings.roleMinClientsPerServer set to their defaults (without role-dependent services, used only to find remote-administration hubs)');
  });

  it('are still validated, errors naming the path and the version the file was written in', () => {
    expect(errorOf(v1With((p) => delete p.rules[0]!.evidence))).toBe(
      "v1.json: does not match the policy schema (version 1, read as version 2): /rules/0 must have required property 'evidence'",
    );
    expect(errorOf(v1With((p) => (p.settings.liftMinShare = 2)))).toBe('v1.json: does not match the policy schema (version 1, read as version 2): /settings/liftMinShare must be <= 1');
    expect(errorOf(v1With((p) => (p.rules[0]!.to = 'g999')))).toMatch(/^v1\.json: rule .+: to names group "g999", which the policy does not define$/);
    expect(errorOf(v1With((p) => (p.analysis = null)))).toBe('v1.json: /analysis is not part of a version-1 policy (version 2 added it)');
  });

  it('edited after they were written: the digest is checked against the file as written, before migration', () => {
    const edited = v1();
    edited.rules = edited.rules.slice(1);
    const file = readPolicyFile(JSON.stringify(edited), 'v1.json');
    expect([file.migratedFrom, file.edited]).toEqual([1, true]);
  });
});

describe('current policy files', () => {
  it('are read as they are: no migration, digest checked', () => {
    const policy = policyOf({ edges: [edge('10.0.1.1', '10.0.2.1', 5432)], groups: [{ id: 'g1', name: 'a', members: ['10.0.1.1'] }, { id: 'g2', name: 'b', members: ['10.0.2.1'] }] });
    const file = readPolicyFile(policyJson(policy), 'p.json');
    expect([file.migratedFrom, file.migration, file.edited]).toEqual([null, [], false]);
    expect(file.policy).toEqual(policy);
    expect(readPolicyFile(policyJson({ ...policy, rules: [] }), 'p.json').edited).toBe(true);
  });

  it('written before a setting of this version was recorded: it takes its default, says so, and the digest still names the file', () => {
    const policy = policyOf({ edges: [edge('10.0.1.1', '10.0.2.1', 5432)], groups: [{ id: 'g1', name: 'a', members: ['10.0.1.1'] }, { id: 'g2', name: 'b', members: ['10.0.2.1'] }] });
    const { adminStationMinHosts: _, ...older } = policy.settings;
    const written = { ...policy, settings: older };
    const text = policyJson({ ...written, contentSha256: contentDigest(written as unknown as typeof policy) } as unknown as typeof policy);
    const file = readPolicyFile(text, 'p.json');
    expect([file.migratedFrom, file.migration, file.edited]).toEqual([null, ['settings.adminStationMinHosts set to its default (3): the file was written before it was recorded'], false]);
    expect(file.policy.settings.adminStationMinHosts).toBe(3);
  });
});
