import type { Column, Expr, From, Query, Select } from './sql-ast';

/**
 * Prints the shared plan in KQL (Log Analytics, Azure Data Explorer). KQL
 * is a pipeline language, not SQL; what it needs done differently:
 * - stages are `let` statements (materialize(): each is used more than once);
 * - a join is `join kind=leftouter (…) on key, …`, and `==`, `!=`, `and`, `or`;
 * - texts have no `<`: strcmp() orders them;
 * - summarize takes bare aggregates only: aggregates inside expressions
 *   (max(a) + max(b), a CASE over sums) are computed first and combined
 *   by a following extend; HAVING becomes a where over those columns;
 * - conditional aggregates are sumif/minif/maxif; exact distinct counts
 *   are count_distinct (dcount is approximate);
 * - texts cannot be NULL: isempty() tests a missing value of any type;
 * - order by is descending unless told: every key is written asc;
 * - integer division is `/` on longs, bitwise AND is binary_and, address
 *   order is parse_ipv6's fixed-width text (IPv4 as mapped IPv6) with the
 *   family first.
 */
export function renderKql(query: Query, table: string): string {
  const printer = new KqlPrinter(table);
  const lets = query.stages.slice(0, -1).map((stage) => `let ${stage.name} = materialize(\n${printer.pipeline(stage.select)});`);
  return `${[...lets, printer.pipeline(query.stages[query.stages.length - 1]!.select)].join('\n')}\n`;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(
  (
    'and or not by on kind with in has contains between let set alias materialize true false null long int string real bool ' +
    'datetime timespan dynamic guid decimal count sum min max where project extend summarize join union order sort take top ' +
    'range print as asc desc default declare pattern restrict access database cluster table end start hour action bytes ' +
    'source type version case iff'
  ).split(' '),
);

function quote(name: string): string {
  return PLAIN.test(name) && !KEYWORDS.has(name) ? name : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

class KqlPrinter {
  constructor(private readonly table: string) {}

  pipeline(s: Select): string {
    const steps: string[] = [this.from(s.from)];
    if (s.join !== undefined) {
      const renamed = s.join.columns.map(([right, after]) => (right === after ? quote(right) : `${quote(after)} = ${quote(right)}`));
      steps.push(`join kind=${s.join.kind === 'left' ? 'leftouter' : 'inner'} (${quote(s.join.stage)} | project ${renamed.join(', ')}) on ${s.join.using.map(quote).join(', ')}`);
    }
    if (s.where !== undefined) steps.push(`where ${this.expr(s.where)}`);
    for (const layer of s.lets ?? []) steps.push(`extend ${layer.map((c) => `${quote(c.name)} = ${this.expr(c.expr)}`).join(', ')}`);
    if (s.groupBy === undefined) steps.push(`project ${s.columns.map((c) => this.column(c)).join(', ')}`);
    else steps.push(...this.grouped(s));
    if (s.orderBy !== undefined) steps.push(`order by ${s.orderBy.map((name) => `${quote(name)} asc`).join(', ')}`);
    return steps.map((step, i) => (i === 0 ? `  ${step}` : `  | ${step}`)).join('\n');
  }

  private column(c: Column): string {
    const bare = c.expr.k === 'col' && c.expr.path.length === 1 && c.expr.path[0] === c.name;
    return bare ? quote(c.name) : `${quote(c.name)} = ${this.expr(c.expr)}`;
  }

  /** summarize of bare aggregates, then extend for what combines them, then where for HAVING, then project. */
  private grouped(s: Select): string[] {
    const keys = new Set(s.groupBy);
    const aggregates: string[] = [];
    const seen = new Map<string, string>();
    const lift = (e: Expr): Expr => {
      if (e.k === 'agg') {
        const printed = this.aggregate(e);
        let name = seen.get(printed);
        if (name === undefined) {
          name = `agg_${seen.size}`;
          seen.set(printed, name);
          aggregates.push(`${name} = ${printed}`);
        }
        return { k: 'col', path: [name] };
      }
      return mapChildren(e, lift);
    };
    const combined = s.columns.filter((c) => !keys.has(c.name)).map((c) => ({ name: c.name, expr: lift(c.expr) }));
    const having = s.having === undefined ? undefined : lift(s.having);
    const by = s.columns.filter((c) => keys.has(c.name)).map((c) => this.column(c));
    const steps = [`summarize ${aggregates.join(', ')} by ${by.join(', ')}`];
    if (combined.length > 0) steps.push(`extend ${combined.map((c) => `${quote(c.name)} = ${this.expr(c.expr)}`).join(', ')}`);
    if (having !== undefined) steps.push(`where ${this.expr(having)}`);
    steps.push(`project ${s.columns.map((c) => quote(c.name)).join(', ')}`);
    return steps;
  }

  private from(from: From): string {
    switch (from.k) {
      case 'source':
        return quote(this.table);
      case 'stage':
        return quote(from.name);
      case 'union':
        return `union ${from.parts.map((part) => `(\n${this.pipeline(part)})`).join(', ')}`;
    }
  }

  private aggregate(e: Extract<Expr, { k: 'agg' }>): string {
    if (e.fn === 'count') return 'count()';
    const arg = this.expr(e.arg!);
    if (e.fn === 'countDistinct') return `count_distinct(${arg})`;
    return e.when === undefined ? `${e.fn}(${arg})` : `${e.fn}if(${arg}, ${this.expr(e.when)})`;
  }

  expr(e: Expr): string {
    switch (e.k) {
      case 'col':
        return e.path.map(quote).join('.');
      case 'int':
        return e.value < 0 ? `(${e.value})` : String(e.value);
      case 'text':
        return `'${e.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
      case 'null':
        return e.type === 'int' ? 'long(null)' : "''";
      case 'arith':
        return `(${this.expr(e.left)} ${e.op} ${this.expr(e.right)})`;
      case 'cmp':
        return `(${this.expr(e.left)} ${e.op === '=' ? '==' : e.op === '<>' ? '!=' : e.op} ${this.expr(e.right)})`;
      case 'textCmp':
        return e.op === '=' ? `(${this.expr(e.left)} == ${this.expr(e.right)})` : `(strcmp(${this.expr(e.left)}, ${this.expr(e.right)}) ${e.op} 0)`;
      case 'logic':
        return `(${e.args.map((arg) => this.expr(arg)).join(` ${e.op.toLowerCase()} `)})`;
      case 'not':
        return `not(${this.expr(e.arg)})`;
      case 'isNull':
        return `${e.negate ? 'isnotempty' : 'isempty'}(${this.expr(e.arg)})`;
      case 'case':
        return `case(${e.whens.map(([when, then]) => `${this.expr(when)}, ${this.expr(then)}`).join(', ')}, ${this.expr(e.otherwise)})`;
      case 'fn':
        return this.call(e.name, e.args.map((arg) => this.expr(arg)));
      case 'agg':
        return this.aggregate(e);
    }
  }

  private call(name: Extract<Expr, { k: 'fn' }>['name'], args: readonly string[]): string {
    const [a, b] = args as [string, string];
    switch (name) {
      case 'coalesce':
        return `coalesce(${args.join(', ')})`;
      case 'greatest':
        return `max_of(${a}, ${b})`;
      case 'intDiv':
        return `(tolong(${a}) / tolong(${b}))`;
      case 'bitAnd':
        return `binary_and(${a}, ${b})`;
      case 'ipSortKey':
        return `strcat(iff(indexof(${a}, ':') >= 0, '6', '4'), parse_ipv6(${a}))`;
      case 'nullIfDash':
        return `iff(${a} == '-', '', ${a})`;
      case 'toInt':
        return `tolong(${a})`;
      case 'epochMs':
        return `tolong((${a} - datetime(1970-01-01)) / 1ms)`;
      case 'concat':
        return `strcat(${args.join(', ')})`;
      default:
        throw new Error(`the kql dialect has no spelling of ${name}: this source format does not run there`);
    }
  }
}

/** The same node with `map` applied to each direct child expression. */
function mapChildren(e: Expr, map: (child: Expr) => Expr): Expr {
  switch (e.k) {
    case 'arith':
    case 'cmp':
    case 'textCmp':
      return { ...e, left: map(e.left), right: map(e.right) };
    case 'logic':
      return { ...e, args: e.args.map(map) };
    case 'not':
    case 'isNull':
      return { ...e, arg: map(e.arg) };
    case 'case':
      return { ...e, whens: e.whens.map(([when, then]) => [map(when), map(then)] as const), otherwise: map(e.otherwise) };
    case 'fn':
      return { ...e, args: e.args.map(map) };
    default:
      return e;
  }
}
