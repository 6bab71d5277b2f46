import { PARQUET_MAGIC, startsWith } from '../ingest/byte-stream';
import type { FlowFormat, ParseOptions, SniffSample } from '../ingest/format';
import { isEdgeContent } from '../ingest/formats/flowfence-edges-file';
import { openContent } from '../ingest/open-content';
import { binaryReason, detectFormat, sniffSample } from '../ingest/sniff';
import type { IngestHost, InputFile } from '../ingest/source';
import type { EnrichmentFormatId } from './enrichment-file';
import { sniffInventory } from './inventory';
import { sniffKubernetes } from './kubernetes';
import { sniffLogons } from './logons';

/** What a file given without a role turned out to be. */
export type InputRole =
  /** `edges`: hourly edges a warehouse computed (flowfence pushdown), added as they are rather than parsed as records. */
  | { kind: 'flows'; edges: boolean }
  | { kind: 'enrichment'; format: EnrichmentFormatId };

const FLOWS: InputRole = { kind: 'flows', edges: false };

const ENRICHMENT_SNIFFERS: readonly { format: EnrichmentFormatId; sniff: (sample: SniffSample) => number }[] = [
  { format: 'k8s-pods', sniff: sniffKubernetes },
  { format: 'windows-logons', sniff: sniffLogons },
  { format: 'inventory', sniff: sniffInventory },
];

/**
 * Files dropped or named without a role are flows unless their content says
 * they are an inventory, a pod list or logon events. Anything unreadable is
 * left to the flow reader, which reports why.
 */
export async function classifyInput(file: InputFile, host: IngestHost, formats: readonly FlowFormat[], options: ParseOptions = {}): Promise<InputRole> {
  let head: Uint8Array;
  try {
    const opened = await openContent(file, host);
    try {
      head = opened.head;
      // Told from the same opening: every flow file is opened once before it is parsed.
      if (await isEdgeContent(file, opened)) return { kind: 'flows', edges: true };
    } finally {
      await opened.close().catch(() => undefined);
    }
  } catch {
    return FLOWS;
  }
  if (head.byteLength === 0 || startsWith(head, PARQUET_MAGIC)) return FLOWS;
  const text = new TextDecoder('utf-8').decode(head, { stream: true });
  if (binaryReason(text) !== null) return FLOWS;
  const sample = sniffSample(text);
  if (detectFormat(formats, sample, options).format !== null) return FLOWS;
  return enrichmentRoleOf(sample) ?? FLOWS;
}

function enrichmentRoleOf(sample: SniffSample): InputRole | null {
  let best: EnrichmentFormatId | null = null;
  let bestScore = 0.5;
  for (const candidate of ENRICHMENT_SNIFFERS) {
    const score = candidate.sniff(sample);
    if (score > bestScore) {
      best = candidate.format;
      bestScore = score;
    }
  }
  return best === null ? null : { kind: 'enrichment', format: best };
}
