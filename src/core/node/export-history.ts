import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../policy/canonical-json';
import { HISTORY_FOLDER, MANIFEST_NAME, archiveName, isExportFilePath, parseManifest, type ExportVersionManifest } from '../export/export-version';
import { unzipVersion, zipVersion, type VersionContent } from '../export/export-version-archive';
import { writeOutputFolder } from './output-folder';

/**
 * The versions of an export folder on disk: the current one's manifest at
 * the top (export-version.json) and every version, the current one
 * included, as a zip in .flowfence-versions/ (export-version-archive.ts).
 */

export interface CurrentVersion {
  readonly manifest: ExportVersionManifest;
  readonly manifestBytes: Uint8Array;
}

/** The version the folder holds now; null when it holds none (a new folder, or one written before exports had versions). */
export async function readCurrentVersion(folder: string): Promise<CurrentVersion | null> {
  const bytes = await readOptional(join(folder, MANIFEST_NAME));
  if (bytes === null) return null;
  return { manifest: parseManifest(new TextDecoder().decode(bytes), join(folder, MANIFEST_NAME)), manifestBytes: bytes };
}

/** The highest version kept in the folder's history, 0 when none: a new version never takes the number of a kept one. */
export async function highestArchivedVersion(folder: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(join(folder, HISTORY_FOLDER));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  return names.reduce((highest, name) => {
    const match = /^(\d+)\.zip$/.exec(name);
    return match === null ? highest : Math.max(highest, Number(match[1]));
  }, 0);
}

/** Version n as kept, checked whole; null when the folder keeps no such version. */
export async function readArchivedVersion(folder: string, version: number): Promise<VersionContent | null> {
  const path = join(folder, archiveName(version));
  const bytes = await readOptional(path);
  if (bytes === null) return null;
  const content = unzipVersion(bytes, path);
  if (content.manifest.version !== version) throw new Error(`${path}: holds version ${content.manifest.version}, not ${version}`);
  return content;
}

/** Files of the current version that are missing or no longer hold the bytes the manifest lists (edited by hand since). */
export async function filesChangedSince(folder: string, manifest: ExportVersionManifest): Promise<string[]> {
  const changed: string[] = [];
  for (const file of manifest.files) {
    const bytes = await readOptional(join(folder, file.path));
    if (bytes === null || bytes.length !== file.bytes || sha256Hex(bytes) !== file.sha256) changed.push(file.path);
  }
  return changed;
}

/**
 * Writes a version into the folder, all or nothing as writeOutputFolder
 * does: its files, its zip in the history, and last its manifest, so the
 * manifest names a version only once every file of it is in place. Then
 * the files of the version it replaces that this one does not have are
 * removed (a host file of a host no longer in the policy must not stay to
 * be deployed); files the versions never listed are left alone.
 */
export async function writeVersion(folder: string, content: VersionContent, replaced: ExportVersionManifest | null): Promise<void> {
  const archive = zipVersion(content.manifestBytes, content.files);
  await writeOutputFolder(folder, [
    ...content.files.map((file) => [file.path, [file.bytes]] as const),
    [archiveName(content.manifest.version), [archive]],
    [MANIFEST_NAME, [content.manifestBytes]],
  ]);
  if (replaced === null) return;
  const kept = new Set(content.files.map((file) => file.path));
  for (const file of replaced.files) {
    if (kept.has(file.path)) continue;
    // parseManifest refused paths outside the folder; checked again where a file is removed.
    if (!isExportFilePath(file.path)) throw new Error(`${MANIFEST_NAME} lists ${JSON.stringify(file.path)}, which is no file of the export folder`);
    await rm(join(folder, file.path), { force: true });
    await removeEmptyFolders(folder, dirname(file.path));
  }
}

/** Removes `relative` and its parents below `folder` while they are empty. */
async function removeEmptyFolders(folder: string, relative: string): Promise<void> {
  for (let at = relative; at !== '.' && at !== ''; at = dirname(at)) {
    try {
      await rmdir(join(folder, at));
    } catch {
      return; // not empty (or already gone): its parents are not empty either
    }
  }
}

async function readOptional(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
