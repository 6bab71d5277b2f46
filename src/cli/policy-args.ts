import { parseArgs } from 'node:util';
import { CSV_FIELDS, type ColumnMap } from '../core/ingest/format';
import type { ServerPortPin } from '../core/model/orient-conversations';
import { parseCidr } from '../core/enrich/address-scope';
import { UsageError, parseColumnMap, parseServerPort } from './args';

/** Arguments of the commands that replay flows against an existing policy (simulate, drift). */
export interface PolicyCommandArgs {
  readonly policy: string;
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

const ENRICHMENT_OPTIONS = `  --inventory F        inventory/CMDB CSV, so hosts new since the policy are placed by their labels (repeatable)
  --pods F             kubectl get pods -o json (repeatable)
  --logons F           Windows 4624 logon events as XML or NDJSON (repeatable)
  --map src=…,dst=…    column mapping for generic CSV (fields: ${CSV_FIELDS.join(', ')})
  --server-port P[/proto]  pin a server port for flows with no explicit direction (repeatable)
  --internal CIDR      treat this range as internal, besides private ranges (repeatable)`;

export const SIMULATE_USAGE = `Usage: flowfence simulate --policy P <files or folders…> [options]

Replays flow exports against a policy. Each client→server edge is permitted,
escaped (flows today, the policy would block it) or rejected (refused today).

Options:
  --policy P           policy.json written by "flowfence analyze --out" (required)
${ENRICHMENT_OPTIONS}
  --out DIR            write escaped.csv into DIR
  --json               print one JSON object on stdout
  -h, --help           show this help

Exit codes: 0 no observed flow would be blocked; 3 some would (a CI gate);
2 unusable input (unreadable files, no flow accepted, a bad policy file or
bad arguments); 1 unexpected failure.`;

export const DRIFT_USAGE = `Usage: flowfence drift --policy P <files or folders…> [options]

Compares newer flow exports with a policy: edges it would block (new or
changed behaviour), rules no traffic used (removal candidates), and hosts new
since the policy, placed in their nearest group with a confidence or left
unassigned.

Options:
  --policy P           policy.json written by "flowfence analyze --out" (required)
${ENRICHMENT_OPTIONS}
  --out DIR            write drift-blocked.csv into DIR
  --json               print one JSON object on stdout
  -h, --help           show this help

Exit codes: 0 no drift; 3 drift found (blocked edges, unused rules or new
hosts); 2 unusable input; 1 unexpected failure.`;

export function parsePolicyCommandArgs(argv: readonly string[]): PolicyCommandArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        policy: { type: 'string' },
        inventory: { type: 'string', multiple: true },
        pods: { type: 'string', multiple: true },
        logons: { type: 'string', multiple: true },
        map: { type: 'string' },
        'server-port': { type: 'string', multiple: true },
        internal: { type: 'string', multiple: true },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return 'help';
  if (values.policy === undefined) throw new UsageError('--policy P is required');
  if (positionals.length === 0) throw new UsageError('no input files or folders given');
  return {
    policy: values.policy,
    inputs: positionals,
    inventories: values.inventory ?? [],
    pods: values.pods ?? [],
    logons: values.logons ?? [],
    csvMap: values.map === undefined ? undefined : parseColumnMap(values.map),
    serverPorts: (values['server-port'] ?? []).flatMap(parseServerPort),
    internalCidrs: (values.internal ?? []).map((text) => {
      if (parseCidr(text) === null) throw new UsageError(`--internal: "${text}" is not a CIDR (e.g. 203.0.113.0/24)`);
      return text;
    }),
    out: values.out,
    json: values.json === true,
  };
}
