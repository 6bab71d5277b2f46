import type { FunctionName } from '../sql-ast';
import { backslashText, expandedIpv6, paddedIpv4, quoteWith, standardText, unsupported, type SqlDialect } from './sql-dialect';

/**
 * The five SQL dialects' small parts. Each difference is named where it is
 * handled; the list per dialect is also in pushdown/README-dialects.md.
 */

const familyKey = (x: string, isV6: string, v4: string, v6: string): string => `(CASE WHEN ${isV6} THEN concat('6', ${v6}) ELSE concat('4', ${v4}) END)`;

/** How a dialect spells a function, over already printed arguments. */
type Spelling = (args: readonly string[]) => string;
type Spellings = Partial<Record<FunctionName, Spelling>>;

/** The spellings most dialects share; each dialect lists only what it spells otherwise. */
const COMMON: Spellings = {
  coalesce: (args) => `coalesce(${args.join(', ')})`,
  concat: (args) => `concat(${args.join(', ')})`,
  greatest: ([a, b]) => `greatest(${a}, ${b})`,
  nullIfDash: ([a]) => `nullif(${a}, '-')`,
  toInt: ([a]) => `CAST(${a} AS BIGINT)`,
  bitAnd: ([a, b]) => `(${a} & ${b})`,
};

/** split_part, as DuckDB and Spark spell it. */
const splitPart = (s: string, sep: string, i: number): string => `split_part(${s}, ${sep}, ${i})`;

/** A dialect's `call`: its spelling of each function, or the refusal naming what it cannot spell. */
function spelled(dialect: string, spellings: Spellings): SqlDialect['call'] {
  return (name, args) => {
    const spelling = spellings[name];
    return spelling === undefined ? unsupported(dialect, name) : spelling(args);
  };
}

/**
 * DuckDB (native, over Parquet): `//` is integer division (`/` is always
 * floating point), `&` is bitwise AND, no address type without the inet
 * extension (never loaded: Flowfence relies on no extension), so address
 * order comes from string functions.
 */
export const duckdbDialect: SqlDialect = {
  id: 'duckdb',
  quote: quoteWith('"'),
  text: standardText,
  inlineStages: false,
  letsAsWith: false,
  groupByNames: false,
  join: (kind) => (kind === 'left' ? 'LEFT JOIN' : 'JOIN'),
  call: spelled('duckdb', {
    ...COMMON,
    intDiv: ([a, b]) => `(${a} // ${b})`,
    ipSortKey: ([a]) =>
      familyKey(
        a!,
        `strpos(${a}, ':') > 0`,
        paddedIpv4(a!, splitPart),
        expandedIpv6(a!, { regexpReplace: (s, p, r) => `regexp_replace(${s}, ${p}, ${r}, 'g')`, group1: '\\1', splitPart, intDiv: (x, y) => `(${x} // ${y})` }),
      ),
    epochMs: ([a]) => `epoch_ms(${a})`,
  }),
};

/**
 * ClickHouse, down to 18.16 (Debian's): no `WITH name AS (subquery)` before
 * 20.x, so stages are nested subqueries (ClickHouse re-runs a WITH subquery
 * at every reference anyway); a join needs its strictness (ANY LEFT: the
 * right side is unique per key; ALL INNER, since ANY INNER also keeps one
 * row per key of the left) and one join per SELECT; per-row values are
 * WITH expression aliases, so the aggregation stays on the (distributed)
 * table, and GROUP BY names output columns (18.16 cannot group by a WITH
 * alias); a LEFT JOIN's missing
 * rows hold 0, not NULL (the plan treats both alike); intDiv and bitAnd are
 * functions; IPv6StringToNum orders addresses.
 */
export const clickhouseDialect: SqlDialect = {
  id: 'clickhouse',
  quote: quoteWith('`'),
  text: backslashText,
  inlineStages: true,
  letsAsWith: false,
  groupByNames: true,
  // ANY INNER would also keep one row per key on the left (ClickHouse 20+): the hours of a conversation need ALL.
  join: (kind) => (kind === 'left' ? 'ANY LEFT JOIN' : 'ALL INNER JOIN'),
  call: spelled('clickhouse', {
    ...COMMON,
    intDiv: ([a, b]) => `intDiv(${a}, ${b})`,
    bitAnd: ([a, b]) => `bitAnd(${a}, ${b})`,
    // IPv4 as its IPv4-mapped IPv6 bytes: fixed width within each family, and the family first.
    ipSortKey: ([a]) => `concat(if(position(${a}, ':') > 0, '6', '4'), hex(IPv6StringToNum(if(position(${a}, ':') > 0, ${a}, concat('::ffff:', ${a})))))`,
    nullIfDash: ([a]) => `nullIf(${a}, '-')`,
    toInt: ([a]) => `toInt64(${a})`,
    epochMs: ([a]) => `(toInt64(toUnixTimestamp(${a})) * 1000)`,
    hex: ([a]) => `hex(${a})`,
    // goflow2 keeps an IPv4 address in the first 4 of 16 bytes (EType 0x0800); the same
    // expression as its compose/kcg Grafana dashboard's convertFixedStringIpToString.
    goflowAddressText: ([a, b]) => `if(${b} = 2048, IPv4NumToString(reinterpretAsUInt32(substring(reverse(${a}), 13, 4))), IPv6NumToString(${a}))`,
  }),
};

/**
 * Athena (engine v3, Trino): `/` on BIGINTs is integer division,
 * bitwise_and is a function, the IPADDRESS type orders addresses (as
 * IPv4-mapped IPv6 bytes, so the family is put first as the engine does).
 */
export const athenaDialect: SqlDialect = {
  id: 'athena',
  quote: quoteWith('"'),
  text: standardText,
  inlineStages: false,
  letsAsWith: false,
  groupByNames: false,
  join: (kind) => (kind === 'left' ? 'LEFT JOIN' : 'JOIN'),
  call: spelled('athena', {
    ...COMMON,
    intDiv: ([a, b]) => `(CAST(${a} AS BIGINT) / CAST(${b} AS BIGINT))`,
    bitAnd: ([a, b]) => `bitwise_and(${a}, ${b})`,
    ipSortKey: ([a]) => familyKey(a!, `strpos(${a}, ':') > 0`, `to_hex(CAST(CAST(${a} AS IPADDRESS) AS VARBINARY))`, `to_hex(CAST(CAST(${a} AS IPADDRESS) AS VARBINARY))`),
    epochMs: ([a]) => `to_unixtime(${a}) * 1000`,
  }),
};

/**
 * BigQuery (GoogleSQL): DIV() for integer division, `&` for AND,
 * NET.IP_FROM_STRING's bytes order addresses (4 bytes for IPv4, 16 for
 * IPv6), texts escaped with backslashes, the sink's int64 counters arrive
 * as STRING and are cast.
 */
export const bigqueryDialect: SqlDialect = {
  id: 'bigquery',
  quote: quoteWith('`'),
  text: backslashText,
  inlineStages: false,
  letsAsWith: false,
  groupByNames: false,
  join: (kind) => (kind === 'left' ? 'LEFT JOIN' : 'JOIN'),
  call: spelled('bigquery', {
    coalesce: (args) => `COALESCE(${args.join(', ')})`,
    concat: (args) => `CONCAT(${args.join(', ')})`,
    greatest: ([a, b]) => `GREATEST(${a}, ${b})`,
    intDiv: ([a, b]) => `DIV(${a}, ${b})`,
    bitAnd: ([a, b]) => `(${a} & ${b})`,
    ipSortKey: ([a]) => familyKey(a!, `STRPOS(${a}, ':') > 0`, `TO_HEX(NET.IP_FROM_STRING(${a}))`, `TO_HEX(NET.IP_FROM_STRING(${a}))`),
    nullIfDash: ([a]) => `NULLIF(${a}, '-')`,
    toInt: ([a]) => `CAST(${a} AS INT64)`,
    epochMs: ([a]) => `UNIX_MILLIS(${a})`,
  }),
};

/**
 * Spark SQL (3.3+): `div` is integer division, `&` is AND, texts escaped
 * with backslashes, no address type, so address order comes from string
 * functions (Java regular expressions: `$1` in replacements).
 */
export const sparkDialect: SqlDialect = {
  id: 'spark',
  quote: quoteWith('`'),
  text: backslashText,
  inlineStages: false,
  letsAsWith: false,
  groupByNames: false,
  join: (kind) => (kind === 'left' ? 'LEFT JOIN' : 'JOIN'),
  call: spelled('spark', {
    ...COMMON,
    intDiv: ([a, b]) => `(${a} div ${b})`,
    ipSortKey: ([a]) =>
      familyKey(
        a!,
        `instr(${a}, ':') > 0`,
        paddedIpv4(a!, splitPart),
        expandedIpv6(a!, { regexpReplace: (s, p, r) => `regexp_replace(${s}, ${p}, ${r})`, group1: '$1', splitPart, intDiv: (x, y) => `(${x} div ${y})` }),
      ),
    epochMs: ([a]) => `unix_millis(${a})`,
  }),
};
