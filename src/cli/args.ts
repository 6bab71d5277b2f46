import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatList } from './format-list';
import { CSV_FIELDS, type ColumnMap, type CsvField } from '../core/ingest/format';
import type { ServerPortPin } from '../core/model/orient-conversations';
import { protocolNumber } from '../core/flow/protocols';
import { parseCidr } from '../core/enrich/address-scope';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What every command that reads flows takes: inputs, enrichment, parsing and output options. */
export interface FlowArgs {
  readonly inputs: string[];
  readonly inventories: string[];
  readonly pods: string[];
  readonly logons: string[];
  readonly csvMap: ColumnMap | undefined;
  readonly serverPorts: ServerPortPin[];
  readonly internalCidrs: string[];
  readonly out: string | undefined;
  readonly json: boolean;
}

/** parseArgs option declarations of FlowArgs. */
export const FLOW_OPTIONS = {
  inventory: { type: 'string', multiple: true },
  pods: { type: 'string', multiple: true },
  logons: { type: 'string', multiple: true },
  map: { type: 'string' },
  'server-port': { type: 'string', multiple: true },
  internal: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

interface FlowValues {
  inventory?: string[];
  pods?: string[];
  logons?: string[];
  map?: string;
  'server-port'?: string[];
  internal?: string[];
  out?: string;
  json?: boolean;
}

export function flowArgs(values: FlowValues, positionals: string[]): FlowArgs {
  if (positionals.length === 0) throw new UsageError('no input files or folders given');
  return {
    inputs: positionals,
    inventories: values.inventory ?? [],
    pods: values.pods ?? [],
    logons: values.logons ?? [],
    csvMap: values.map === undefined ? undefined : parseColumnMap(values.map),
    serverPorts: (values['server-port'] ?? []).flatMap(parseServerPort),
    internalCidrs: (values.internal ?? []).map(checkCidr),
    out: values.out,
    json: values.json === true,
  };
}

/** Runs node's parseArgs, turning its errors into usage errors. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true as const, strict: true as const, options });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export interface AnalyzeArgs extends FlowArgs {
  /** Move the dendrogram cut to this many clusters. */
  readonly clusters: number | undefined;
  /** A JSON file of groups an analyst approved earlier. */
  readonly approved: string | undefined;
  /** Learn the policy from flows before this time and replay the later ones. */
  readonly trainUntilMs: number | undefined;
}

export const ANALYZE_USAGE = `Usage: flowfence analyze <files or folders…> [options]

Reads flow exports (format detected from content, gzip and Parquet included),
decides client and server of every flow, aggregates client→server edges,
flags anomalies, discovers application groups, generates a least-privilege
policy with its evidence and replays the flows against it.

Options:
  --inventory F        inventory/CMDB CSV: address or CIDR, hostname, labels (repeatable)
  --pods F             kubectl get pods -o json (plus ReplicaSet/Deployment lists) (repeatable)
  --logons F           Windows 4624 logon events as XML or NDJSON (repeatable)
  --map src=…,dst=…    column mapping for generic CSV (fields: ${CSV_FIELDS.join(', ')})
  --server-port P[/proto]  pin a server port for flows with no explicit direction (repeatable)
  --internal CIDR      treat this range as internal, besides private ranges (repeatable)
  --clusters N         move the dendrogram cut to N clusters (default: the best silhouette)
  --approved F         JSON of approved groups ({id, name, members}); kept as they are
  --train-until TIME   learn groups and rules from the flows before TIME and replay the later ones
                       (ISO 8601, UTC unless a zone is given, e.g. 2026-01-21T00:00:00Z; whole hours:
                       the hour containing TIME is replayed). The JSON gains "holdout".
  --out DIR            write edges.csv, rejects.csv, hosts.csv, groups.csv, anomalies.csv,
                       policy.json and rules.csv into DIR
  --json               print one JSON object on stdout
  -h, --help           show this help

Flow formats (detected from content; gzip and Parquet too):
${formatList('  ')}

Files in folders are classified by content: inventories, pod lists and logon
exports found there are used as such; documents (README, .md, .txt…) that no
format reads are listed as skipped.

Exit codes: 0 success; 2 unusable input (a file could not be read, no flow
was accepted, or bad arguments); 1 unexpected failure.`;

export function parseAnalyzeArgs(argv: readonly string[]): AnalyzeArgs | 'help' {
  const { values, positionals } = parseCommandLine(argv, {
    ...FLOW_OPTIONS,
    clusters: { type: 'string' },
    approved: { type: 'string' },
    'train-until': { type: 'string' },
  });
  if (values.help === true) return 'help';
  return {
    ...flowArgs(values, positionals),
    clusters: values.clusters === undefined ? undefined : parseClusters(values.clusters),
    approved: values.approved,
    trainUntilMs: values['train-until'] === undefined ? undefined : parseTime(values['train-until'], '--train-until'),
  };
}

/** An ISO 8601 time with a date ("2026-01-21", "2026-01-21T06:00", "2026-01-21 06:00+01:00"); without a zone it is UTC. */
export function parseTime(text: string, option: string): number {
  const trimmed = text.trim();
  const iso = trimmed.length > 10 && trimmed[10] === ' ' ? `${trimmed.slice(0, 10)}T${trimmed.slice(11)}` : trimmed;
  const withTime = iso.length === 10 ? `${iso}T00:00:00` : iso;
  const withZone = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(withTime) ? withTime : `${withTime}Z`;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(withZone) ? Date.parse(withZone) : Number.NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`${option}: "${text}" is not a time (use ISO 8601, e.g. 2026-01-21T00:00:00Z)`);
  return ms;
}

function parseClusters(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new UsageError(`--clusters: "${text}" is not a whole number of clusters (1 or more)`);
  return value;
}

/** "src=SrcIP,dst=DstIP,dport=Port" → column map. */
export function parseColumnMap(text: string): ColumnMap {
  const map: ColumnMap = {};
  for (const part of text.split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) throw new UsageError(`--map: "${part}" is not field=column`);
    const field = part.slice(0, equals).trim() as CsvField;
    const column = part.slice(equals + 1).trim();
    if (!CSV_FIELDS.includes(field)) throw new UsageError(`--map: unknown field "${field}" (fields: ${CSV_FIELDS.join(', ')})`);
    if (column === '') throw new UsageError(`--map: no column given for ${field}`);
    map[field] = column;
  }
  if (map.src === undefined || map.dst === undefined) throw new UsageError('--map needs at least src=… and dst=…');
  return map;
}

function checkCidr(text: string): string {
  if (parseCidr(text) === null) throw new UsageError(`--internal: "${text}" is not a CIDR (e.g. 203.0.113.0/24)`);
  return text;
}

/** "8080/tcp", "53/udp", or "8080" for both TCP and UDP. */
export function parseServerPort(text: string): ServerPortPin[] {
  const [portText, protoText] = text.split('/');
  const port = Number(portText);
  if (!/^\d+$/.test(portText ?? '') || port > 65535) throw new UsageError(`--server-port: "${text}" is not a port (0-65535)`);
  if (protoText === undefined) return [{ proto: 6, port }, { proto: 17, port }];
  const proto = protocolNumber(protoText);
  if (proto < 0) throw new UsageError(`--server-port: unknown protocol "${protoText}"`);
  return [{ proto, port }];
}
