import { newFileReport, type FileReport } from '../ingest/file-report';
import { enrichmentContentProblem } from './enrichment-content';
import { readWholeText } from '../ingest/open-content';
import type { IngestHost, InputFile } from '../ingest/source';
import type { Cidr } from './address-scope';
import { RowTally } from '../ingest/row-tally';
import type { EnrichmentFormatId } from './enrichment-file';
import type { EnrichmentData } from './host-profiles';
import { parseInventory, type InventoryEntry } from './inventory';
import { parseKubernetesList, type OwnerLink, type PodEntry } from './kubernetes';
import { parseLogons, type LogonEntry } from './logons';

/** Enrichment files are read whole; beyond this they are refused with a message. */
const MAX_ENRICHMENT_BYTES = 512 * 2 ** 20;

export interface EnrichmentInput {
  readonly file: InputFile;
  readonly format: EnrichmentFormatId;
  /** Index in the analysis' file list (rejects.csv refers to it). */
  readonly fileIndex: number;
}

export interface LoadedEnrichment {
  readonly data: EnrichmentData;
  readonly reports: FileReport[];
}

export async function loadEnrichment(
  inputs: readonly EnrichmentInput[],
  host: IngestHost,
  internalCidrs: readonly Cidr[],
  onReject: (fileIndex: number, line: number, reason: string) => void,
  signal?: AbortSignal,
): Promise<LoadedEnrichment> {
  const inventory: InventoryEntry[] = [];
  const pods: PodEntry[] = [];
  const owners: OwnerLink[] = [];
  const logons: LogonEntry[] = [];
  const reports: FileReport[] = [];
  for (const input of inputs) {
    signal?.throwIfAborted();
    const report = newFileReport(input.file.path);
    report.format = input.format;
    const account = new RowTally(report, (line, reason) => onReject(input.fileIndex, line, reason));
    try {
      const text = await readWholeText(input.file, host, MAX_ENRICHMENT_BYTES, signal);
      // Appended one by one: spreading an export of a few hundred thousand rows into push() overflows the stack.
      const problem = enrichmentContentProblem(text, input.format);
      if (text.trim().length === 0) report.error = 'the file is empty';
      else if (problem !== null) report.error = problem;
      else if (input.format === 'inventory') append(inventory, parseInventory(text, account));
      else if (input.format === 'k8s-pods') {
        const objects = parseKubernetesList(text, account);
        append(pods, objects.pods);
        append(owners, objects.owners);
      } else append(logons, parseLogons(text, account));
      if (report.error === null && report.read === 0) report.warnings.push('no rows: the file holds only a header');
    } catch (error) {
      if (signal?.aborted === true) throw error;
      report.error = `could not read the ${input.format} file: ${error instanceof Error ? error.message : String(error)}`;
    }
    reports.push(report);
  }
  return { data: { inventory, pods, owners, logons, internalCidrs }, reports };
}

function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
