import type { SqlDialect } from './dialects/sql-dialect';
import type { Expr, From, Query, Select } from './sql-ast';

/**
 * Prints the shared plan in a SQL dialect. Every operator is parenthesised
 * (no dialect's precedence rules matter), every name goes through the
 * dialect's quoting, every literal through its text rules. Stages become a
 * WITH clause, or nested subqueries where the dialect has no named
 * subqueries (ClickHouse 18).
 */
export function renderSql(query: Query, dialect: SqlDialect, table: readonly string[]): string {
  const selects = new Map(query.stages.map((stage) => [stage.name, stage.select]));
  const last = query.stages[query.stages.length - 1]!;
  const printer = new SqlPrinter(dialect, table, selects);
  if (dialect.inlineStages) return `${printer.select(last.select, '')}\n`;
  const ctes = query.stages.slice(0, -1).map((stage) => `${stage.name} AS (\n${printer.select(stage.select, '  ')}\n)`);
  return `WITH\n${ctes.join(',\n')}\n${printer.select(last.select, '')}\n`;
}

class SqlPrinter {
  constructor(
    private readonly d: SqlDialect,
    private readonly table: readonly string[],
    private readonly stages: ReadonlyMap<string, Select>,
  ) {}

  select(s: Select, indent: string): string {
    const lines: string[] = [];
    const columns = s.columns.map((column) => {
      const bare = column.expr.k === 'col' && column.expr.path.length === 1 && column.expr.path[0] === column.name;
      return bare ? this.d.quote(column.name) : `${this.expr(column.expr)} AS ${this.d.quote(column.name)}`;
    });
    const lets = s.lets ?? [];
    if (lets.length > 0 && this.d.letsAsWith) {
      lines.push(`WITH\n${lets.flat().map((c) => `${indent}  ${this.expr(c.expr)} AS ${this.d.quote(c.name)}`).join(',\n')}`);
    }
    lines.push(`SELECT\n${columns.map((c) => `${indent}  ${c}`).join(',\n')}`);
    if (lets.length > 0 && !this.d.letsAsWith) {
      lines.push(`FROM ${this.projections(s, indent)}`);
      return this.tail(s, lines, indent, false);
    }
    lines.push(`FROM ${this.from(s.from, indent)}`);
    return this.tail(s, lines, indent, true);
  }

  /** Select.lets as nested projections: the first layer over the filtered source, each next one adding to it. */
  private projections(s: Select, indent: string): string {
    const layers = s.lets ?? [];
    const inner = `${indent}  `;
    let text = `SELECT ${layers[0]!.map((c) => `${this.expr(c.expr)} AS ${this.d.quote(c.name)}`).join(', ')}\n${inner}FROM ${this.from(s.from, inner)}${s.where === undefined ? '' : `\n${inner}WHERE ${this.expr(s.where)}`}`;
    layers.slice(1).forEach((layer, i) => {
      text = `SELECT *, ${layer.map((c) => `${this.expr(c.expr)} AS ${this.d.quote(c.name)}`).join(', ')}\n${inner}FROM (\n${inner}${text}\n${inner}) AS ${this.d.quote(`lets_${i}`)}`;
    });
    return `(\n${inner}${text}\n${indent}) AS ${this.d.quote('records')}`;
  }

  private tail(s: Select, lines: string[], indent: string, withWhere: boolean): string {
    if (s.join !== undefined) {
      const renamed = s.join.columns.map(([right, after]) => (right === after ? this.d.quote(right) : `${this.d.quote(right)} AS ${this.d.quote(after)}`));
      lines.push(`${this.d.join(s.join.kind)} (SELECT ${renamed.join(', ')} FROM ${this.stage(s.join.stage, indent)}) AS ${this.d.quote(`j_${s.join.stage}`)}`);
      lines.push(`USING (${s.join.using.map((name) => this.d.quote(name)).join(', ')})`);
    }
    if (withWhere && s.where !== undefined) lines.push(`WHERE ${this.expr(s.where)}`);
    if (s.groupBy !== undefined) {
      const byName = new Map(s.columns.map((column) => [column.name, column.expr]));
      lines.push(`GROUP BY ${s.groupBy.map((name) => (this.d.groupByNames ? this.d.quote(name) : this.expr(byName.get(name)!))).join(', ')}`);
    }
    if (s.having !== undefined) lines.push(`HAVING ${this.expr(s.having)}`);
    if (s.orderBy !== undefined) lines.push(`ORDER BY ${s.orderBy.map((name) => this.d.quote(name)).join(', ')}`);
    return lines.map((line) => `${indent}${line}`).join('\n');
  }

  private from(from: From, indent: string): string {
    switch (from.k) {
      case 'source':
        return this.table.map((part) => this.d.quote(part)).join('.');
      case 'stage':
        return this.stage(from.name, indent);
      case 'union':
        return `(\n${from.parts.map((part) => this.select(part, `${indent}  `)).join(`\n${indent}  UNION ALL\n`)}\n${indent}) AS u`;
    }
  }

  /** A stage by name, or its whole select where stages are inlined. */
  private stage(name: string, indent: string): string {
    if (!this.d.inlineStages) return this.d.quote(name);
    const select = this.stages.get(name);
    if (select === undefined) throw new Error(`unknown stage ${name}`);
    return `(\n${this.select(select, `${indent}  `)}\n${indent}) AS ${this.d.quote(name)}`;
  }

  expr(e: Expr): string {
    switch (e.k) {
      case 'col':
        return e.path.map((part) => this.d.quote(part)).join('.');
      case 'int':
        return e.value < 0 ? `(${e.value})` : String(e.value);
      case 'text':
        return this.d.text(e.value);
      case 'null':
        return 'NULL';
      case 'arith':
      case 'cmp':
      case 'textCmp':
        return `(${this.expr(e.left)} ${e.op} ${this.expr(e.right)})`;
      case 'logic':
        return `(${e.args.map((arg) => this.expr(arg)).join(` ${e.op} `)})`;
      case 'not':
        return `(NOT ${this.expr(e.arg)})`;
      case 'isNull':
        return `(${this.expr(e.arg)} IS ${e.negate ? 'NOT ' : ''}NULL)`;
      case 'case':
        return `(CASE ${e.whens.map(([when, then]) => `WHEN ${this.expr(when)} THEN ${this.expr(then)}`).join(' ')} ELSE ${this.expr(e.otherwise)} END)`;
      case 'fn':
        return this.d.call(
          e.name,
          e.args.map((arg) => this.expr(arg)),
        );
      case 'agg':
        return this.aggregate(e);
    }
  }

  /** `when` as a CASE inside the aggregate: portable where FILTER (WHERE …) is not (BigQuery, ClickHouse 18). */
  private aggregate(e: Extract<Expr, { k: 'agg' }>): string {
    if (e.fn === 'count') return 'count(*)';
    const arg = this.expr(e.arg!);
    if (e.fn === 'countDistinct') return `count(DISTINCT ${arg})`;
    if (e.when === undefined) return `${e.fn}(${arg})`;
    // A sum over no matching row is 0, as the engine's counters start at 0; min and max skip the rest as NULL.
    const otherwise = e.fn === 'sum' ? '0' : 'NULL';
    return `${e.fn}(CASE WHEN ${this.expr(e.when)} THEN ${arg} ELSE ${otherwise} END)`;
  }
}
