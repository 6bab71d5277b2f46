import { compareText } from '../util/compare';
import type { InputFile } from './source';

export type Digest = (file: InputFile) => Promise<{ sha256: string; bytes: number }>;

/**
 * Files given twice under different names (a copy in another folder, an
 * export downloaded again): the same bytes, which would count every flow
 * twice. Only files of equal size are hashed, so a run without copies
 * reads nothing extra. Returns each copy's index and the index of the file
 * it copies: the one whose path sorts first, so that which one is read does
 * not depend on the order the files were given in.
 */
export async function duplicateFiles(files: readonly InputFile[], digest: Digest, signal?: AbortSignal): Promise<Map<number, number>> {
  const bySize = new Map<number, number[]>();
  files.forEach((file, index) => {
    if (file.size <= 0) return;
    const list = bySize.get(file.size);
    if (list === undefined) bySize.set(file.size, [index]);
    else list.push(index);
  });
  const copies = new Map<number, number>();
  for (const indexes of bySize.values()) {
    if (indexes.length < 2) continue;
    const byHash = new Map<string, number[]>();
    for (const index of indexes) {
      signal?.throwIfAborted();
      const { sha256 } = await digest(files[index]!);
      const list = byHash.get(sha256);
      if (list === undefined) byHash.set(sha256, [index]);
      else list.push(index);
    }
    for (const same of byHash.values()) {
      if (same.length < 2) continue;
      const [original, ...rest] = [...same].sort((a, b) => compareText(files[a]!.path, files[b]!.path) || a - b);
      for (const copy of rest) copies.set(copy, original!);
    }
  }
  return copies;
}
