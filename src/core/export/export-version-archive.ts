import { strFromU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { sha256Hex } from '../policy/canonical-json';
import { compareText } from '../util/compare';
import { MANIFEST_NAME, parseManifest, type ExportVersionManifest } from './export-version';

/**
 * One version of an export folder as a zip: its files and its manifest.
 * A zip rather than a copy of the files in a subfolder, because a folder
 * of rule sets is what deployment tools glob (every *.nft, every *.ps1
 * below it): an earlier version kept as plain files would be deployed with
 * the current one. Entries are sorted and carry a fixed date, so the same
 * version gives the same bytes.
 */

const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1));

export interface VersionContent {
  readonly manifest: ExportVersionManifest;
  /** The manifest's bytes as written: its SHA-256 is what the next version names as the one it replaced. */
  readonly manifestBytes: Uint8Array;
  /** Every file of the version but the manifest, in the manifest's order. */
  readonly files: readonly { readonly path: string; readonly bytes: Uint8Array }[];
}

export function zipVersion(manifestBytes: Uint8Array, files: readonly { readonly path: string; readonly bytes: Uint8Array }[]): Uint8Array {
  const zippable: Zippable = {};
  for (const file of [...files].sort((a, b) => compareText(a.path, b.path))) zippable[file.path] = [file.bytes, { mtime: FIXED_MTIME, level: 6 }];
  zippable[MANIFEST_NAME] = [manifestBytes, { mtime: FIXED_MTIME, level: 6 }];
  return zipSync(zippable);
}

/**
 * Reads a version back and checks it whole: the manifest parses, every file
 * it lists is there with its digest and size, nothing else is, and the zip
 * is byte for byte the one those files make (zipVersion is deterministic),
 * so damage to what the reader skips (a local header's date or checksum)
 * is refused too. Throws naming what does not hold, so a damaged archive
 * is never written out.
 */
export function unzipVersion(bytes: Uint8Array, where: string): VersionContent {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new Error(`${where}: not a readable zip (${error instanceof Error ? error.message : String(error)})`);
  }
  const manifestBytes = entries[MANIFEST_NAME];
  if (manifestBytes === undefined) throw new Error(`${where}: holds no ${MANIFEST_NAME}`);
  const manifest = parseManifest(strFromU8(manifestBytes), `${where}: ${MANIFEST_NAME}`);
  const files = manifest.files.map((file) => {
    const content = entries[file.path];
    if (content === undefined) throw new Error(`${where}: ${file.path} is missing`);
    if (content.length !== file.bytes || sha256Hex(content) !== file.sha256) throw new Error(`${where}: ${file.path} does not match its SHA-256 in the manifest`);
    return { path: file.path, bytes: content };
  });
  const listed = new Set([MANIFEST_NAME, ...manifest.files.map((file) => file.path)]);
  const extra = Object.keys(entries).filter((name) => !listed.has(name) && !name.endsWith('/'));
  if (extra.length > 0) throw new Error(`${where}: holds files its manifest does not list (${extra.slice(0, 3).join(', ')})`);
  if (!sameBytes(zipVersion(manifestBytes, files), bytes)) throw new Error(`${where}: is not the zip its own files make (damaged, or written by another version of Flowfence)`);
  return { manifest, manifestBytes, files };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
