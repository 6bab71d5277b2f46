import { CSV_FIELDS } from '../core/ingest/format';
import { FLOW_OPTIONS, UsageError, flowArgs, parseCommandLine, type FlowArgs } from './args';

/** Arguments of the commands that replay flows against an existing policy (simulate, drift). */
export interface PolicyCommandArgs extends FlowArgs {
  readonly policy: string;
}

const ENRICHMENT_OPTIONS = `  --inventory F        inventory/CMDB CSV, so hosts new since the policy are placed by their labels (repeatable)
  --pods F             kubectl get pods -o json (repeatable)
  --logons F           Windows 4624 logon events as XML or NDJSON, as for analyze (hosts.csv's users;
                       they place no host) (repeatable)
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
changed behaviour), rules no traffic used (removal candidates), hosts new
since the policy, placed in their nearest group with a confidence or left
unassigned, and owners' certifications that have lapsed (attest --import).

Options:
  --policy P           policy.json written by "flowfence analyze --out" (required)
${ENRICHMENT_OPTIONS}
  --out DIR            write drift-blocked.csv, drift-unused-rules.csv and drift-new-hosts.csv into DIR
  --json               print one JSON object on stdout
  -h, --help           show this help

Exit codes: 0 no drift; 3 drift found (blocked edges, unused rules, new hosts
or lapsed certifications); 2 unusable input; 1 unexpected failure.`;

export function parsePolicyCommandArgs(argv: readonly string[]): PolicyCommandArgs | 'help' {
  const { values, positionals } = parseCommandLine(argv, { ...FLOW_OPTIONS, policy: { type: 'string' } });
  if (values.help === true) return 'help';
  if (values.policy === undefined) throw new UsageError('--policy P is required');
  return { ...flowArgs(values, positionals), policy: values.policy };
}
