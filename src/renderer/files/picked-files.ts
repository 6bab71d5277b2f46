import type { EngineInputFile } from '../engine/protocol';

/** Files from an <input type=file> (folder-relative paths when a folder was picked). */
export function filesFromList(list: FileList | null): EngineInputFile[] {
  return sortByPath([...(list ?? [])].map((file) => ({ file, path: file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name })));
}

/** Files from the desktop shell's Open dialog, which sends names and bytes. */
export function filesFromBytes(files: readonly { readonly name: string; readonly bytes: Uint8Array }[]): EngineInputFile[] {
  return sortByPath(files.map(({ name, bytes }) => ({ file: new File([bytes as Uint8Array<ArrayBuffer>], name), path: name })));
}

/** Stable order whatever order the OS listed them in (the engine's output does not depend on it, the table does). */
export function sortByPath(files: EngineInputFile[]): EngineInputFile[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
