import { writeFileAtomic } from '../core/node/atomic-write';
import { pushdownQuery, SOURCE_FORMATS } from '../core/pushdown/pushdown-query';
import { PUSHDOWN_DIALECTS, PUSHDOWN_SOURCE_FORMATS, type PushdownDialect, type PushdownSourceFormat } from '../core/pushdown/source-record';
import type { CommandIo } from './analyze-command';
import { UsageError, parseCommandLine, parseServerPort, parseTime } from './args';
import { EXIT } from './exit-codes';
import { VERSION_TEXT } from './version';

const FORMATS = PUSHDOWN_SOURCE_FORMATS.map((id) => `  ${id.padEnd(12)} ${SOURCE_FORMATS[id].description}; dialects: ${SOURCE_FORMATS[id].dialects.join(', ')}`).join('\n');

export const PUSHDOWN_USAGE = `Usage: flowfence pushdown --dialect D --source-format F [--table NAME] [--from T] [--to T]
                          [--server-port P[/proto]]… [--out FILE]

Writes the query that turns raw flow records into Flowfence's hourly
client→server edges where the records already are (a warehouse, a log
analytics workspace, a ClickHouse cluster): the same folding of duplicate
observers, the same client/server decision (flags, listening-port evidence,
port ranks, pins) and the same aggregation as "flowfence analyze". Run it
there, export the result as CSV with its header or as Parquet, and give that
file to analyze, simulate or drift like any flow export (format
flowfence-edges). Flowfence itself connects to nothing.

The query starts with a comment holding its SHA-256 (of the text without
that line, the digest elsewhere written as 64 zeros); every result row
carries the same digest and the source it read.

Dialects: ${PUSHDOWN_DIALECTS.join(', ')}
Source formats:
${FORMATS}

Options:
  --dialect D          the engine that runs the query (required)
  --source-format F    the layout of the raw records (required); README lists each
                       one's table with its DDL
  --table NAME         the source table (default: the layout's usual name); dotted
                       parts of letters, digits, _ (and - in BigQuery project ids)
  --from T, --to T     only records starting in [T, T2) (ISO 8601, UTC without a zone)
  --server-port P[/proto]
                       decide these ports as servers, as analyze --server-port does
  --out FILE           write the query to FILE (atomically) instead of stdout
  -h, --help           show this help

Exit codes: 0 written; 2 bad arguments.`;

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) throw new UsageError(`${option} is required (${allowed.join(', ')})`);
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

/** flowfence pushdown: the edge aggregation as a query in a warehouse's dialect. */
export async function pushdownCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    dialect: { type: 'string' },
    'source-format': { type: 'string' },
    table: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'server-port': { type: 'string', multiple: true },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    io.stdout.write(`${PUSHDOWN_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`pushdown reads no files (got ${positionals[0]})`);
  const dialect: PushdownDialect = oneOf('--dialect', values.dialect, PUSHDOWN_DIALECTS);
  const sourceFormat: PushdownSourceFormat = oneOf('--source-format', values['source-format'], PUSHDOWN_SOURCE_FORMATS);
  let query;
  try {
    query = pushdownQuery({
      dialect,
      sourceFormat,
      ...(values.table === undefined ? {} : { table: values.table }),
      ...(values.from === undefined ? {} : { fromMs: parseTime(values.from, '--from') }),
      ...(values.to === undefined ? {} : { toMs: parseTime(values.to, '--to') }),
      pins: (values['server-port'] ?? []).flatMap(parseServerPort),
      version: VERSION_TEXT,
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Table names, windows and dialect/layout pairs the query cannot be written for are the caller's to fix.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.out === undefined) io.stdout.write(query.text);
  else {
    await writeFileAtomic(values.out, [query.text]);
    io.stderr.write(`flowfence: wrote ${values.out} (query_sha256 ${query.sha256})\n`);
  }
  return EXIT.ok;
}
