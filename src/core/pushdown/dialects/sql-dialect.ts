import type { FunctionName } from '../sql-ast';
import type { PushdownDialect } from '../source-record';

/**
 * What differs between the SQL dialects, and nothing else: quoting of names
 * and texts, the functions whose spelling differs, the join keyword, and
 * whether stages can be named in a WITH clause. The query's shape is the
 * shared plan's (edge-plan.ts), printed by sql-render.ts.
 */
export interface SqlDialect {
  readonly id: Exclude<PushdownDialect, 'kql'>;
  /** A quoted identifier (always safe to quote: names are checked before they get here). */
  quote(name: string): string;
  /** A text literal, escaped by the dialect's rules. */
  text(value: string): string;
  /** A function call over already printed arguments; throws for functions the dialect has no spelling of. */
  call(name: FunctionName, args: readonly string[]): string;
  /** LEFT JOIN / INNER JOIN with whatever strictness the dialect needs. */
  join(kind: 'left' | 'inner'): string;
  /** True when stages must be written as nested subqueries (no WITH name AS (subquery)). */
  readonly inlineStages: boolean;
  /**
   * True when per-row values (Select.lets) are WITH expression aliases on
   * the aggregating select itself; otherwise they are nested projections
   * under it, which the other dialects' planners see through.
   */
  readonly letsAsWith: boolean;
  /** True when GROUP BY names the output columns (ClickHouse 18 cannot group by a WITH alias); else it repeats their expressions. */
  readonly groupByNames: boolean;
}

/**
 * Names quoted wherever they appear: words reserved (or function names) in
 * one of the dialects. Quoting a name that needs none is harmless in all of
 * them, so one list serves every dialect.
 */
const RESERVED = new Set(
  (
    'all and any array as asc between both by case cast count cross cube current date day default desc distinct else end ' +
    'except exists extract false first following for format from full group grouping having hour if ilike in inner interval ' +
    'intersect into is join key last lateral left like limit minute month natural not null nulls of on or order outer over ' +
    'partition position preceding range recursive right rollup row rows second select set some source start table then time ' +
    'timestamp to true type union unnest user using values version when where window with within year action bytes protocol'
  ).split(' '),
);

/** Plain lower-case names that no dialect reserves go bare; anything else is quoted. */
export function needsQuotes(name: string): boolean {
  return !/^[a-z_][a-z0-9_]*$/.test(name) || RESERVED.has(name);
}

/** Quoting by doubling the quote character inside (names are checked, but the rule stays whole). */
export const quoteWith =
  (quote: string) =>
  (name: string): string =>
    needsQuotes(name) ? `${quote}${name.split(quote).join(quote + quote)}${quote}` : name;

/** SQL-standard text literal: quotes doubled, backslashes literal (Trino, DuckDB). */
export const standardText = (value: string): string => `'${value.split("'").join("''")}'`;

/** Backslash-escaping text literal (BigQuery, Spark, ClickHouse): backslashes and quotes escaped. */
export const backslashText = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function unsupported(dialect: string, name: FunctionName): never {
  throw new Error(`the ${dialect} dialect has no spelling of ${name}: this source format does not run there`);
}

/**
 * RFC 5952 IPv6 text expanded to 32 hex digits with standard string
 * functions, for dialects without an address type (DuckDB without its inet
 * extension, Spark): every group padded to four digits (prefix "000", keep
 * the last four), then the groups the "::" stands for put back as zeros.
 * `regexpReplace(s, pattern, replacement)` prints a global replace;
 * `group1` is how the dialect writes the first capture in a replacement.
 */
export function expandedIpv6(
  x: string,
  helpers: { regexpReplace(s: string, pattern: string, replacement: string): string; group1: string; splitPart(s: string, sep: string, index: number): string; intDiv(a: string, b: string): string },
): string {
  const pad = (s: string): string => helpers.regexpReplace(helpers.regexpReplace(s, "'([0-9a-f]+)'", `'000${helpers.group1}'`), "'0*([0-9a-f]{4})'", `'${helpers.group1}'`);
  const head = `(CASE WHEN instr(${x}, '::') > 0 THEN ${helpers.splitPart(x, "'::'", 1)} ELSE ${x} END)`;
  const tail = `(CASE WHEN instr(${x}, '::') > 0 THEN ${helpers.splitPart(x, "'::'", 2)} ELSE '' END)`;
  const groups = (s: string): string => `(CASE WHEN ${s} = '' THEN 0 ELSE ${helpers.intDiv(`(length(${pad(s)}) + 1)`, '5')} END)`;
  return `concat(replace(${pad(head)}, ':', ''), repeat('0000', CAST(8 - ${groups(head)} - ${groups(tail)} AS INTEGER)), replace(${pad(tail)}, ':', ''))`;
}

/** IPv4 dotted quad as 12 digits (each octet zero-padded to three): orders as the numbers do. */
export function paddedIpv4(x: string, splitPart: (s: string, sep: string, index: number) => string): string {
  const octet = (i: number): string => `lpad(${splitPart(x, "'.'", i)}, 3, '0')`;
  return `concat(${octet(1)}, ${octet(2)}, ${octet(3)}, ${octet(4)})`;
}
