import { type OutputFile, outputFolderProblem, writeOutputFolder } from '../core/node/output-folder';
import type { CommandIo } from './analyze-command';
import { UsageError } from './args';
import { terminalText } from './terminal-text';

/** Refuses an --out that can never take the outputs, before any work is done. */
export async function checkOutFolder(out: string | undefined): Promise<void> {
  if (out === undefined) return;
  const problem = await outputFolderProblem(out);
  if (problem !== null) throw new UsageError(`--out: ${problem}`);
}

/**
 * Writes a command's outputs into --out, all or nothing (output-folder.ts).
 * A run that accepted no flow record writes nothing: its empty results
 * would replace a good earlier policy with a deny-all one. (A run where
 * some files were unreadable still writes what the others gave, and exits
 * 2 naming them.) Returns the paths written.
 */
export async function writeOutputs(out: string | undefined, files: readonly OutputFile[], flowsAccepted: boolean, io: CommandIo): Promise<string[]> {
  if (out === undefined) return [];
  if (!flowsAccepted) {
    io.stderr.write(`flowfence: nothing written to ${terminalText(out)}: no flow record was accepted, so what was there is kept\n`);
    return [];
  }
  return writeOutputFolder(out, files);
}
