import { displayPath, expandInputs, fileInput } from '../core/node/fs-input';
import type { InputFile } from '../core/ingest/source';
import { UsageError } from './args';

/** Files and folders as named on the command line, expanded (each file saying whether a folder held it); a missing path is a usage error. */
export async function inputFiles(paths: readonly string[]): Promise<InputFile[]> {
  const expanded = await expandInputs(paths).catch((error: unknown) => {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  });
  return Promise.all(expanded.map(async ({ path, foundInFolder }) => ({ ...(await fileInput(path)), path: displayPath(path), foundInFolder })));
}
