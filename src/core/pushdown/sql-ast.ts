/**
 * A small typed syntax tree for the pushdown query: the one definition of
 * the edge aggregation (edge-plan.ts) is built from these nodes, and each
 * dialect prints them (sql-render.ts, kql-render.ts). Values never enter the
 * text by string concatenation: a literal is a node that the dialect quotes
 * by its own rules, and a name is a node that the dialect quotes when it is
 * reserved.
 */

/** Functions whose spelling differs between dialects; each dialect prints every one or says it cannot. */
export type FunctionName =
  /** First argument that is not NULL. */
  | 'coalesce'
  /** The larger of two numbers. */
  | 'greatest'
  /** Integer division of non-negative integers (truncating). */
  | 'intDiv'
  /** Bitwise AND of two integers. */
  | 'bitAnd'
  /**
   * A text that orders addresses as the engine's host sort key does
   * (ipSortKey in net/ip.ts): IPv4 before IPv6, each numerically.
   */
  | 'ipSortKey'
  /** A text column that may hold '-' for "not applicable": NULL then. */
  | 'nullIfDash'
  /** Text to a 64-bit integer (BigQuery's sink writes int64 counters as strings). */
  | 'toInt'
  /** A timestamp to epoch milliseconds. */
  | 'epochMs'
  /** Texts joined (NULL parts must be coalesced by the caller). */
  | 'concat'
  /** Bytes as hexadecimal text. */
  | 'hex'
  /** goflow2's FixedString(16) address (IPv4 in the first four bytes when EType is 0x0800) as text. */
  | 'goflowAddressText';

export type Expr =
  | { readonly k: 'col'; readonly path: readonly string[] }
  | { readonly k: 'int'; readonly value: number }
  | { readonly k: 'text'; readonly value: string }
  | { readonly k: 'null'; readonly type: 'int' | 'text' }
  | { readonly k: 'arith'; readonly op: '+' | '-' | '*'; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'cmp'; readonly op: '=' | '<>' | '<' | '<=' | '>' | '>='; readonly left: Expr; readonly right: Expr }
  /** Comparison of texts (KQL has no < on strings). */
  | { readonly k: 'textCmp'; readonly op: '<' | '<=' | '='; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'logic'; readonly op: 'AND' | 'OR'; readonly args: readonly Expr[] }
  | { readonly k: 'not'; readonly arg: Expr }
  | { readonly k: 'isNull'; readonly arg: Expr; readonly negate: boolean }
  | { readonly k: 'case'; readonly whens: readonly (readonly [Expr, Expr])[]; readonly otherwise: Expr }
  | { readonly k: 'fn'; readonly name: FunctionName; readonly args: readonly Expr[] }
  /** An aggregate; `when` keeps only the rows where it holds (min/max/sum ignore the others). */
  | { readonly k: 'agg'; readonly fn: 'sum' | 'min' | 'max' | 'count' | 'countDistinct'; readonly arg?: Expr; readonly when?: Expr };

/** A named output column of a select. */
export interface Column {
  readonly name: string;
  readonly expr: Expr;
}

/** Where a select reads from: the source table, an earlier stage, or the rows of several selects. */
export type From =
  | { readonly k: 'source' }
  | { readonly k: 'stage'; readonly name: string }
  | { readonly k: 'union'; readonly parts: readonly Select[] };

/**
 * One join onto the select's input: the right side is an earlier stage
 * whose columns are renamed so that only the key columns share names with
 * the left side (joins are by USING, which every dialect prints alike, and
 * no column is ever qualified by a table).
 */
export interface Join {
  readonly kind: 'left' | 'inner';
  readonly stage: string;
  /** Right side's columns: [name on the right, name after the join]. */
  readonly columns: readonly (readonly [string, string])[];
  /** Names (after renaming) both sides share and match on. */
  readonly using: readonly string[];
}

export interface Select {
  readonly from: From;
  readonly join?: Join;
  readonly where?: Expr;
  /**
   * Named per-row values computed after WHERE and before the columns, in
   * layers (a layer may use the ones before it): each expression is written
   * once however often the columns use it. Only on selects from the source,
   * where they keep the aggregation on the table itself (ClickHouse's WITH
   * aliases, KQL's extend; a nested projection elsewhere).
   */
  readonly lets?: readonly (readonly Column[])[];
  readonly columns: readonly Column[];
  /** Grouping keys: names of columns in `columns` (grouped by their expressions). */
  readonly groupBy?: readonly string[];
  readonly having?: Expr;
  /** Output columns to order by, ascending. */
  readonly orderBy?: readonly string[];
}

/** Stages in order; each reads the source or earlier stages; the last is the result. */
export interface Query {
  readonly stages: readonly { readonly name: string; readonly select: Select }[];
}

export const col = (...path: string[]): Expr => ({ k: 'col', path });
export const int = (value: number): Expr => {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer literal: ${value}`);
  return { k: 'int', value };
};
export const text = (value: string): Expr => ({ k: 'text', value });
export const nullOf = (type: 'int' | 'text'): Expr => ({ k: 'null', type });
export const add = (left: Expr, right: Expr): Expr => ({ k: 'arith', op: '+', left, right });
export const sub = (left: Expr, right: Expr): Expr => ({ k: 'arith', op: '-', left, right });
export const mul = (left: Expr, right: Expr): Expr => ({ k: 'arith', op: '*', left, right });
export const eq = (left: Expr, right: Expr): Expr => ({ k: 'cmp', op: '=', left, right });
export const ne = (left: Expr, right: Expr): Expr => ({ k: 'cmp', op: '<>', left, right });
export const lt = (left: Expr, right: Expr): Expr => ({ k: 'cmp', op: '<', left, right });
export const le = (left: Expr, right: Expr): Expr => ({ k: 'cmp', op: '<=', left, right });
export const gt = (left: Expr, right: Expr): Expr => ({ k: 'cmp', op: '>', left, right });
export const ge = (left: Expr, right: Expr): Expr => ({ k: 'cmp', op: '>=', left, right });
export const textLt = (left: Expr, right: Expr): Expr => ({ k: 'textCmp', op: '<', left, right });
export const textLe = (left: Expr, right: Expr): Expr => ({ k: 'textCmp', op: '<=', left, right });
export const textEq = (left: Expr, right: Expr): Expr => ({ k: 'textCmp', op: '=', left, right });
export const and = (...args: Expr[]): Expr => (args.length === 1 ? args[0]! : { k: 'logic', op: 'AND', args });
export const or = (...args: Expr[]): Expr => (args.length === 1 ? args[0]! : { k: 'logic', op: 'OR', args });
export const not = (arg: Expr): Expr => ({ k: 'not', arg });
export const isNull = (arg: Expr): Expr => ({ k: 'isNull', arg, negate: false });
export const isNotNull = (arg: Expr): Expr => ({ k: 'isNull', arg, negate: true });
export const caseWhen = (whens: readonly (readonly [Expr, Expr])[], otherwise: Expr): Expr => ({ k: 'case', whens, otherwise });
/** 1 when `condition` holds, else 0: flags stay integers, which every dialect groups and sums alike. */
export const flag = (condition: Expr): Expr => caseWhen([[condition, int(1)]], int(0));
export const fn = (name: FunctionName, ...args: Expr[]): Expr => ({ k: 'fn', name, args });
export const sum = (arg: Expr, when?: Expr): Expr => ({ k: 'agg', fn: 'sum', arg, ...(when === undefined ? {} : { when }) });
export const min = (arg: Expr, when?: Expr): Expr => ({ k: 'agg', fn: 'min', arg, ...(when === undefined ? {} : { when }) });
export const max = (arg: Expr, when?: Expr): Expr => ({ k: 'agg', fn: 'max', arg, ...(when === undefined ? {} : { when }) });
export const countRows = (): Expr => ({ k: 'agg', fn: 'count' });
export const countDistinct = (arg: Expr): Expr => ({ k: 'agg', fn: 'countDistinct', arg });
/** Columns of the input passed on under their own names. */
export const keep = (...names: string[]): Column[] => names.map((name) => ({ name, expr: col(name) }));
export const as = (name: string, expr: Expr): Column => ({ name, expr });
