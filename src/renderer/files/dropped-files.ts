import type { EngineInputFile } from '../engine/protocol';
import { sortByPath } from './picked-files';

/**
 * Files dropped on the page, with dropped folders walked recursively. Hidden
 * entries (.DS_Store, .git) are skipped, as the CLI does: they are never exports.
 */
export async function filesFromDrop(transfer: DataTransfer): Promise<EngineInputFile[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) {
    // No entry API (or nothing but plain files): take the files as they are.
    return sortByPath([...transfer.files].map((file) => ({ file, path: file.name })));
  }
  const out: EngineInputFile[] = [];
  for (const entry of entries) await collect(entry, out);
  return sortByPath(out);
}

async function collect(entry: FileSystemEntry, out: EngineInputFile[]): Promise<void> {
  if (entry.name.startsWith('.')) return;
  if (isFile(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
  } else if (isDirectory(entry)) {
    for (const child of await readAllEntries(entry)) await collect(child, out);
  }
}

/** readEntries returns folders in batches; it is called until it returns none. */
async function readAllEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;
const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;
