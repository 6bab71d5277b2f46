import { Table, makeVector, tableToIPC } from 'apache-arrow';
import { protocolName } from '../flow/protocols';
import type { PolicyEdge } from '../policy/policy-input';
import { nullableFloat64Vector, utf8Vector } from '../store/arrow-columns';
import type { SqlPort } from '../store/sql-port';

/**
 * The Traffic view's table: every replayed edge in DuckDB, with its two
 * ends' groups and its verdict under the current grouping, filtered,
 * sorted and paged by SQL, so a page of hundreds of thousands of edges
 * never passes through React whole. The edges are loaded once; groups and
 * verdicts are written again (one small table) only when the work changed
 * since the last query. Text from the analyst enters SQL as escaped
 * literals only, and a sort column only from a fixed list.
 */
export const TRAFFIC_SORTS = ['client', 'server', 'service', 'flows', 'bytes', 'first_seen', 'last_seen', 'client_group', 'server_group', 'verdict'] as const;
export type TrafficSort = (typeof TRAFFIC_SORTS)[number];
export const TRAFFIC_PAGE_LIMIT = 500;

export interface TrafficQuery {
  /** Matched against addresses, group names and the service ("tcp/443"), ignoring case. */
  readonly text: string;
  readonly verdict: 'any' | 'permitted' | 'logged' | 'blocked' | 'refused';
  readonly sort: TrafficSort;
  readonly descending: boolean;
  readonly offset: number;
  readonly limit: number;
}

export interface TrafficRow {
  readonly client: string;
  readonly server: string;
  readonly service: string;
  readonly flows: number;
  readonly bytes: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly clientGroup: string;
  readonly serverGroup: string;
  readonly verdict: 'permitted' | 'logged' | 'blocked' | 'refused';
}

export interface TrafficPage {
  readonly rows: readonly TrafficRow[];
  /** Edges matching the query, all pages together. */
  readonly total: number;
}

/** Each replayed edge's groups and verdict under the current work, in replay order. */
export interface TrafficState {
  readonly clientGroup: readonly string[];
  readonly serverGroup: readonly string[];
  readonly verdict: readonly ('permitted' | 'logged' | 'blocked' | 'refused')[];
}

const SORT_SQL: Readonly<Record<TrafficSort, string>> = {
  client: 't.client_key',
  server: 't.server_key',
  service: 't.proto, t.port',
  flows: 't.flows',
  bytes: 't.bytes',
  first_seen: 't.first_ms',
  last_seen: 't.last_ms',
  client_group: 's.client_group',
  server_group: 's.server_group',
  verdict: 's.verdict',
};

export class TrafficTable {
  private loadedVersion = -1;

  constructor(private readonly db: SqlPort) {}

  /** Loads the edges once; `sortKey` orders addresses canonically. */
  async load(edges: readonly PolicyEdge[], sortKey: (ip: string) => string): Promise<void> {
    await this.db.run('DROP TABLE IF EXISTS traffic; DROP TABLE IF EXISTS traffic_state');
    await this.db.run(
      'CREATE TABLE traffic (n INTEGER, client VARCHAR, server VARCHAR, client_key VARCHAR, server_key VARCHAR, proto INTEGER, port INTEGER, service VARCHAR, flows DOUBLE, bytes DOUBLE, first_ms DOUBLE, last_ms DOUBLE)',
    );
    await this.db.run('CREATE TABLE traffic_state (n INTEGER, client_group VARCHAR, server_group VARCHAR, verdict VARCHAR)');
    const table = new Table({
      n: makeVector(Int32Array.from(edges, (_, index) => index)),
      client: utf8Vector(edges.map((edge) => edge.client)),
      server: utf8Vector(edges.map((edge) => edge.server)),
      client_key: utf8Vector(edges.map((edge) => sortKey(edge.client))),
      server_key: utf8Vector(edges.map((edge) => sortKey(edge.server))),
      proto: makeVector(Int32Array.from(edges, (edge) => edge.proto)),
      port: makeVector(Int32Array.from(edges, (edge) => edge.port)),
      service: utf8Vector(edges.map((edge) => (edge.port < 0 ? protocolName(edge.proto) : `${protocolName(edge.proto)}/${edge.port}`))),
      flows: makeVector(Float64Array.from(edges, (edge) => edge.flows)),
      bytes: makeVector(Float64Array.from(edges, (edge) => edge.bytes)),
      first_ms: nullableFloat64Vector(Float64Array.from(edges, (edge) => edge.firstMs ?? Number.NaN)),
      last_ms: nullableFloat64Vector(Float64Array.from(edges, (edge) => edge.lastMs ?? Number.NaN)),
    });
    if (edges.length > 0) await this.db.insertArrow('traffic', tableToIPC(table, 'stream'));
    this.loadedVersion = -1;
  }

  /** Writes the groups and verdicts of work version `version`, unless that version is already there. */
  async refresh(version: number, state: () => TrafficState): Promise<void> {
    if (version === this.loadedVersion) return;
    const { clientGroup, serverGroup, verdict } = state();
    await this.db.run('DELETE FROM traffic_state');
    if (verdict.length > 0) {
      const table = new Table({
        n: makeVector(Int32Array.from(verdict, (_, index) => index)),
        client_group: utf8Vector([...clientGroup]),
        server_group: utf8Vector([...serverGroup]),
        verdict: utf8Vector([...verdict]),
      });
      await this.db.insertArrow('traffic_state', tableToIPC(table, 'stream'));
    }
    this.loadedVersion = version;
  }

  async page(query: TrafficQuery): Promise<TrafficPage> {
    const where: string[] = [];
    const text = query.text.trim().toLowerCase();
    if (text !== '') {
      const pattern = likeLiteral(text);
      where.push(`(lower(t.client) LIKE ${pattern} ESCAPE '\\' OR lower(t.server) LIKE ${pattern} ESCAPE '\\' OR lower(t.service) LIKE ${pattern} ESCAPE '\\' OR lower(s.client_group) LIKE ${pattern} ESCAPE '\\' OR lower(s.server_group) LIKE ${pattern} ESCAPE '\\')`);
    }
    if (query.verdict !== 'any') where.push(`s.verdict = ${stringLiteral(query.verdict)}`);
    const filter = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const from = 'FROM traffic t JOIN traffic_state s USING (n)';
    const [count] = await this.db.all<{ total: number }>(`SELECT count(*) AS total ${from} ${filter}`);
    const order = (TRAFFIC_SORTS as readonly string[]).includes(query.sort) ? SORT_SQL[query.sort] : SORT_SQL.flows;
    const direction = query.descending ? 'DESC' : 'ASC';
    const limit = Math.max(1, Math.min(TRAFFIC_PAGE_LIMIT, Math.floor(query.limit)));
    const offset = Math.max(0, Math.floor(query.offset));
    const rows = await this.db.all<{ client: string; server: string; service: string; flows: number; bytes: number; first_ms: number | null; last_ms: number | null; client_group: string; server_group: string; verdict: TrafficRow['verdict'] }>(
      `SELECT t.client, t.server, t.service, t.flows, t.bytes, t.first_ms, t.last_ms, s.client_group, s.server_group, s.verdict ${from} ${filter}
       ORDER BY ${order.split(', ').map((column) => `${column} ${direction}`).join(', ')}, t.n LIMIT ${limit} OFFSET ${offset}`,
    );
    return {
      total: count?.total ?? 0,
      rows: rows.map((row) => ({
        client: row.client,
        server: row.server,
        service: row.service,
        flows: row.flows,
        bytes: row.bytes,
        firstSeen: row.first_ms === null ? null : new Date(row.first_ms).toISOString(),
        lastSeen: row.last_ms === null ? null : new Date(row.last_ms).toISOString(),
        clientGroup: row.client_group,
        serverGroup: row.server_group,
        verdict: row.verdict,
      })),
    };
  }
}

/** A SQL string literal: quotes doubled, NUL removed (DuckDB refuses it in literals). */
function stringLiteral(text: string): string {
  return `'${text.split(String.fromCharCode(0)).join('').replace(/'/g, "''")}'`;
}

/** A LIKE pattern matching `text` anywhere, its own % _ and \ taken literally. */
function likeLiteral(text: string): string {
  return stringLiteral(`%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
}
