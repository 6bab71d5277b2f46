import { sha256Hex } from '../core/policy/canonical-json';
import type { ExportFile } from '../core/export/export-types';
import { manifestText, versionManifest, type ManifestFields } from '../core/export/export-version';
import type { VersionContent } from '../core/export/export-version-archive';
import { diffVersions, type VersionDiff } from '../core/export/export-version-diff';
import { filesChangedSince, highestArchivedVersion, readArchivedVersion, readCurrentVersion, writeVersion, type CurrentVersion } from '../core/node/export-history';
import type { CommandIo } from './analyze-command';
import { UsageError } from './args';
import { terminalText } from './terminal-text';

/**
 * The two ways a version reaches an export folder: a policy exported
 * (writeExportVersion) or an earlier version written again (rollBack).
 * Both number the new version after every kept one, chain it to the
 * manifest it replaces, compute the rule-level difference and write all or
 * nothing.
 */

export interface WrittenVersion {
  readonly version: number;
  readonly previousVersion: number | null;
  readonly previousSha256: string | null;
  readonly rollbackOf: number | null;
  /** Null when the folder held no version before. */
  readonly changes: VersionDiff | null;
}

type VersionFields = Omit<ManifestFields, 'version' | 'previousSha256' | 'rollbackOf'>;

/** Writes an export of a policy as the folder's next version. */
export async function writeExportVersion(out: string, fields: VersionFields, files: readonly ExportFile[], io: CommandIo): Promise<WrittenVersion> {
  const encoder = new TextEncoder();
  return writeNext(out, fields, files.map((file) => ({ path: file.path, bytes: encoder.encode(file.content) })), null, io);
}

/**
 * Writes version `to` (default: the one before the current) again as the
 * next version, byte for byte; refuses (usage error, exit 2) when there is
 * nothing to go back to, or the version asked for is not kept or damaged.
 */
export async function rollBack(out: string, to: number | undefined, io: CommandIo): Promise<WrittenVersion> {
  const current = await currentVersion(out);
  if (current === null) throw new UsageError(`--rollback: ${out} holds no versioned export, so there is nothing to go back to`);
  const version = to ?? current.manifest.version - 1;
  if (version < 1) throw new UsageError(`--rollback: ${out} holds version 1 only, so there is nothing to go back to`);
  if (version === current.manifest.version) throw new UsageError(`--rollback --to ${version}: ${out} holds version ${version} already`);
  const earlier = await archived(out, version);
  if (earlier === null) throw new UsageError(`--rollback --to ${version}: ${out} keeps no version ${version} (${current.manifest.version} is the current one)`);
  // The kept version must be the one its successor replaced: a zip swapped for another is refused.
  const successor = version + 1 === current.manifest.version ? { manifest: current.manifest } : await archived(out, version + 1);
  if (successor !== null && successor.manifest.previousSha256 !== sha256Hex(earlier.manifestBytes)) {
    throw new UsageError(`--rollback --to ${version}: the version ${version} kept in ${out} is not the one version ${version + 1} replaced (its manifest's SHA-256 differs)`);
  }
  const { manifest } = earlier;
  return writeNext(out, { policySha256: manifest.policySha256, targets: manifest.targets, options: manifest.options, rules: manifest.rules }, earlier.files, version, io, current);
}

async function writeNext(
  out: string,
  fields: VersionFields,
  files: VersionContent['files'],
  rollbackOf: number | null,
  io: CommandIo,
  known?: CurrentVersion | null,
): Promise<WrittenVersion> {
  const current = known === undefined ? await currentVersion(out) : known;
  const version = Math.max(current?.manifest.version ?? 0, await highestArchivedVersion(out)) + 1;
  const previousSha256 = current === null ? null : sha256Hex(current.manifestBytes);
  const manifest = versionManifest({ ...fields, version, previousSha256, rollbackOf }, files);
  if (current !== null) {
    const edited = await filesChangedSince(out, current.manifest);
    if (edited.length > 0) {
      io.stderr.write(`flowfence: warning: ${terminalText(`${edited.length} file${edited.length === 1 ? '' : 's'} of version ${current.manifest.version} changed by hand since it was written (${edited.slice(0, 5).join(', ')}${edited.length > 5 ? ', …' : ''}): the difference below is from version ${current.manifest.version} as it was written, and these files are replaced`)}\n`);
    }
  }
  await writeVersion(out, { manifest, manifestBytes: new TextEncoder().encode(manifestText(manifest)), files }, current?.manifest ?? null);
  return {
    version,
    previousVersion: current?.manifest.version ?? null,
    previousSha256,
    rollbackOf,
    changes: current === null ? null : diffVersions(current.manifest, manifest),
  };
}

/** A manifest that cannot be read is refused rather than overwritten: the folder's history would silently restart. */
async function currentVersion(out: string): Promise<CurrentVersion | null> {
  try {
    return await readCurrentVersion(out);
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}; move it away to start a new history in ${out}`);
  }
}

async function archived(out: string, version: number): Promise<VersionContent | null> {
  try {
    return await readArchivedVersion(out, version);
  } catch (error) {
    throw new UsageError(`--rollback: ${error instanceof Error ? error.message : String(error)}`);
  }
}
