import type { IdentityCondition, JustInTime, MembershipRule, Policy, TimeWindow } from '../policy/policy-model';
import { sha256Hex } from '../policy/canonical-json';
import { compareText } from '../util/compare';
import type { ExportReport } from './export-policy';
import type { AwsSgQuotas } from './aws-sg-quotas';
import { EXPORT_TARGETS, type ExportFile, type ExportTargetName } from './export-types';
import { isRelativePathBelow } from '../util/relative-path';
import { describeServices, stagedGroups } from './stage-plan';

/**
 * The manifest every export writes beside its files (export-version.json):
 * which version of the folder it is, the policy it came from, the manifest
 * of the version it replaced (by SHA-256, so versions form a chain a reader
 * can check), every file with its digest, and the rules each target opens.
 * The manifest holds no time of writing: the same exports into the same
 * folder give the same manifests and zips byte for byte, so a reviewer can
 * replay a folder's history and check it (the project's determinism rule);
 * when a version was written is the file system's and the deployment's to say.
 * The rules are kept here, not recovered from the rule files, so that the
 * difference between two versions is computed from what each one opens
 * (export-version-diff.ts), exactly and for every target alike.
 */

export const VERSION_FORMAT = 'flowfence-export-version' as const;
export const MANIFEST_NAME = 'export-version.json';
/** Earlier versions, one zip each, inside the export folder. */
export const HISTORY_FOLDER = '.flowfence-versions';

/** The zip that keeps version n: padded so that a file listing sorts by version. */
export function archiveName(version: number): string {
  return `${HISTORY_FOLDER}/${String(version).padStart(6, '0')}.zip`;
}

/** The ends of a rule as the policy places them: listed members and the membership rule for hosts not listed. */
export interface VersionGroup {
  readonly id: string;
  readonly members: readonly string[];
  readonly match: MembershipRule | null;
}

/** What a rule opens, apart from its ends: evidence is left out (it changes with every analysis, and opens nothing). */
export interface VersionRule {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly service: string;
  readonly window: TimeWindow | null;
  readonly identity: IdentityCondition | null;
  readonly jit: JustInTime | null;
}

export interface VersionRules {
  /** The groups the rules name, by id. */
  readonly groups: readonly VersionGroup[];
  /** Every rule of the policy that some target opens, by id. */
  readonly rules: readonly VersionRule[];
  /** Per target exported, the ids of the rules it opens. */
  readonly open: Readonly<Partial<Record<ExportTargetName, readonly string[]>>>;
  /**
   * The groups not fully enforced, by id: "observe", or "selective on" and
   * the services it enforces. A staged group opens what its rules do not
   * (logged, or left open), so a version's stages are part of what it opens.
   * Absent when every group is enforced: such a manifest reads as before stages.
   */
  readonly stages?: Readonly<Record<string, string>>;
}

export interface VersionFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface ExportVersionManifest {
  readonly format: typeof VERSION_FORMAT;
  /** 1, 2, 3… per export folder. */
  readonly version: number;
  readonly policySha256: string;
  /** SHA-256 of the manifest of the version this one replaced; null for a folder's first version. */
  readonly previousSha256: string | null;
  /** The version whose content this one writes again (flowfence export --rollback); null for an export of a policy. */
  readonly rollbackOf: number | null;
  readonly targets: readonly ExportTargetName[];
  /** The options that shape the files besides the policy. */
  readonly options: {
    readonly logDrops: boolean;
    /** SHA-256 of the pod lists given with --pods (as parsed); null when the policy's own pods were used. */
    readonly podsSha256: string | null;
    readonly awsQuotas: Partial<AwsSgQuotas>;
  };
  /** Every file of the version but this manifest, by path. */
  readonly files: readonly VersionFile[];
  readonly rules: VersionRules;
}

/**
 * The rules each target opens. A rule opens nothing in a target when the
 * analyst rejected it, when the target wrote no file at all, or when the
 * target noted the rule as left out or left closed (TargetNotes.skip and the
 * "nothing is opened" notes: every target says so per rule, export-types.ts).
 * A rule "left open" (not filtered by that kind of enforcement point, or
 * widened to all hours) opens traffic, so it counts as open.
 */
export function versionRules(policy: Policy, report: ExportReport): VersionRules {
  const open: Partial<Record<ExportTargetName, string[]>> = {};
  const used = new Set<string>();
  for (const target of report.targets) {
    const closed = new Set(report.notes.filter((note) => note.target === target.target && note.rule !== null && (note.action === 'skipped' || note.action === 'left-closed')).map((note) => note.rule!));
    const ids = target.files.length === 0 ? [] : policy.rules.filter((rule) => rule.state !== 'rejected' && !closed.has(rule.id)).map((rule) => rule.id);
    open[target.target] = [...new Set(ids)].sort(compareText);
    for (const id of ids) used.add(id);
  }
  const rules = policy.rules
    .filter((rule) => used.has(rule.id))
    .map((rule): VersionRule => ({ id: rule.id, from: rule.from, to: rule.to, service: rule.service, window: rule.window, identity: rule.identity, jit: rule.jit }))
    .sort((a, b) => compareText(a.id, b.id));
  const groupIds = new Set(rules.flatMap((rule) => [rule.from, rule.to]));
  const groups = policy.groups
    .filter((group) => groupIds.has(group.id))
    .map((group): VersionGroup => ({ id: group.id, members: [...group.members].sort(compareText), match: group.match }))
    .sort((a, b) => compareText(a.id, b.id));
  const staged = stagedGroups(policy);
  const stages = Object.fromEntries(staged.map((group) => [group.group.id, group.stage === 'selective' ? `selective on ${describeServices(group.services)}` : group.stage]));
  return staged.length === 0 ? { groups, rules, open } : { groups, rules, open, stages };
}

export interface ManifestFields {
  readonly version: number;
  readonly policySha256: string;
  readonly previousSha256: string | null;
  readonly rollbackOf: number | null;
  readonly targets: readonly ExportTargetName[];
  readonly options: ExportVersionManifest['options'];
  readonly rules: VersionRules;
}

/** The manifest of a version made of `files` (the manifest itself not among them). */
export function versionManifest(fields: ManifestFields, files: readonly ExportFile[] | readonly { readonly path: string; readonly bytes: Uint8Array }[]): ExportVersionManifest {
  const encoder = new TextEncoder();
  const listed = files.map((file): VersionFile => {
    const bytes = 'content' in file ? encoder.encode(file.content) : file.bytes;
    return { path: file.path, sha256: sha256Hex(bytes), bytes: bytes.length };
  });
  return {
    format: VERSION_FORMAT,
    version: fields.version,
    policySha256: fields.policySha256,
    previousSha256: fields.previousSha256,
    rollbackOf: fields.rollbackOf,
    targets: EXPORT_TARGETS.filter((target) => fields.targets.includes(target)),
    options: fields.options,
    files: listed.sort((a, b) => compareText(a.path, b.path)),
    rules: fields.rules,
  };
}

/** The manifest as written: fixed key order (the producer's), two-space indentation, a final newline. */
export function manifestText(manifest: ExportVersionManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Reads a manifest back, checking the parts rollback and the difference
 * rely on; throws saying what is wrong (a hand-edited or foreign file must
 * not be taken for a version).
 */
export function parseManifest(text: string, where: string): ExportVersionManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const fail = (what: string): never => {
    throw new Error(`${where}: not an export version manifest (${what})`);
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const manifest = value as Record<string, unknown>;
  if (manifest.format !== VERSION_FORMAT) fail(`format is not "${VERSION_FORMAT}"`);
  if (!Number.isSafeInteger(manifest.version) || (manifest.version as number) < 1) fail('version is not a whole number from 1');
  if (!isDigest(manifest.policySha256)) fail('policySha256 is not a SHA-256');
  if (manifest.previousSha256 !== null && !isDigest(manifest.previousSha256)) fail('previousSha256 is neither null nor a SHA-256');
  if (manifest.rollbackOf !== null && !Number.isSafeInteger(manifest.rollbackOf)) fail('rollbackOf is neither null nor a version');
  if (!Array.isArray(manifest.targets) || !manifest.targets.every((target) => (EXPORT_TARGETS as readonly unknown[]).includes(target))) fail('targets are not export targets');
  const files = manifest.files;
  if (!Array.isArray(files) || !files.every((file: unknown) => isVersionFile(file))) fail('files are not a list of path, sha256 and bytes');
  const rules = manifest.rules as Record<string, unknown> | null | undefined;
  if (typeof rules !== 'object' || rules === null || !Array.isArray(rules.groups) || !Array.isArray(rules.rules) || typeof rules.open !== 'object' || rules.open === null) fail('rules are missing');
  for (const ids of Object.values(rules!.open as Record<string, unknown>)) if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) fail('open rule ids are not text');
  if (rules!.stages !== undefined && (typeof rules!.stages !== 'object' || rules!.stages === null || !Object.values(rules!.stages as Record<string, unknown>).every((stage) => typeof stage === 'string'))) fail('stages are not text by group');
  return value as ExportVersionManifest;
}

function isDigest(value: unknown): boolean {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

function isVersionFile(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Record<string, unknown>;
  return typeof file.path === 'string' && isExportFilePath(file.path) && isDigest(file.sha256) && Number.isSafeInteger(file.bytes);
}

/**
 * A path an export may list: below its folder (a manifest read back may
 * have been altered, and export removes what the replaced version listed),
 * and neither the manifest nor the history it keeps beside the files.
 */
export function isExportFilePath(path: string): boolean {
  return isRelativePathBelow(path) && path !== MANIFEST_NAME && path !== HISTORY_FOLDER && !path.startsWith(`${HISTORY_FOLDER}/`);
}
