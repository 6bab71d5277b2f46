import type { EnrichmentFormatId } from '../enrich/enrichment-file';
import type { FormatId } from './format';
import type { ObservedLabel } from './observed-labels';
import type { ObservedName } from './observed-names';
import type { ObservedPod } from './observed-pods';
import type { ObservedService } from './observed-services';

/** What happened to one input file. read = accepted + rejected, always. */
export interface FileReport {
  readonly path: string;
  /** A flow format, an enrichment format, or null when not recognised. */
  format: FormatId | EnrichmentFormatId | null;
  compression: 'gzip' | null;
  container: 'parquet' | null;
  read: number;
  accepted: number;
  rejected: number;
  /** Rejected rows by reason ("dstport: not a port (0-65535)" → 3). */
  rejectReasons: Record<string, number>;
  /** Set when the file could not be read to its end (unknown format, corrupt gzip, I/O). */
  error: string | null;
  /** Things worth knowing that lose no data ("a header but no rows"). */
  warnings: string[];
  /** Set when a document found in a folder (a README, a licence) was left out: not flow data, and no error. */
  skipped: string | null;
  /** Pods the records named by themselves (Hubble's endpoints), for enrichment; absent for other formats. */
  observedPods?: ObservedPod[];
  /** Host names the records carried (GCP's VM names), for enrichment; absent for other formats. */
  observedNames?: ObservedName[];
  /** Protocols the sensor identified on server ports (Zeek's service), for naming; absent for other formats. */
  observedServices?: ObservedService[];
  /** Where the records placed hosts (Azure NSGs and rules, GCP VPCs and subnets), to explain them; absent for other formats. */
  observedLabels?: ObservedLabel[];
  /** flowfence-edges files: the query that built the rows (its SHA-256) and what it read, the same in every row. */
  pushdown?: { readonly querySha256: string; readonly source: string };
}

export function newFileReport(path: string): FileReport {
  return {
    path,
    format: null,
    compression: null,
    container: null,
    read: 0,
    accepted: 0,
    rejected: 0,
    rejectReasons: {},
    error: null,
    warnings: [],
    skipped: null,
  };
}
