import { PORT_CLASS, portClassSql } from './port-class';
import { DirectionReason as R } from '../flow/record';

/**
 * From door aggregates to client→server edges, in DuckDB: the path taken
 * when ingest had to leave conversation-hours in the store (and the native
 * benchmark's). When it could keep them in memory, orient-conversations.ts,
 * hourly-edges.ts and whole-edges.ts do every step in TypeScript by the same
 * rules, and DuckDB only receives the two edge tables.
 *
 * 1. conv: one row per conversation-hour, observers folded (the same
 *    connection seen by several observers counts once; a request and its
 *    response are one flow). Usually ingest folded them already (conv_in);
 *    rows it had to hand over early arrive per observer (obs) and are folded
 *    here. The two never share an hour.
 * 2. conv_dir / endpoint_evidence / same_port_degree / host_degree:
 *    evidence about who listens, gathered over the whole data set rather
 *    than one file or hour.
 * 3. orientation: per conversation, the client and server and why, in the
 *    order explicit evidence > analyst pins > listening-port evidence >
 *    port range > degree on a port both ends share >
 *    degree > tie-break.
 * 4. edges_hourly and edges: aggregated per hour and over the whole window.
 */


/**
 * Which side explicit evidence says opened the conversation: the side whose
 * evidence is stronger (a lower reason code), or on equal strength the side
 * with more such records; NULL when the evidence is absent or even.
 */
const explicitOpener = `
  CASE
    WHEN ev_lo_reason > 0 AND (ev_hi_reason = 0 OR ev_lo_reason < ev_hi_reason) THEN 'lo'
    WHEN ev_hi_reason > 0 AND (ev_lo_reason = 0 OR ev_hi_reason < ev_lo_reason) THEN 'hi'
    WHEN ev_lo_reason > 0 AND ev_lo > ev_hi THEN 'lo'
    WHEN ev_hi_reason > 0 AND ev_hi > ev_lo THEN 'hi'
  END`;

/** Conversation-hours folded during ingest: only unknown times (NaN) become NULL. */
const CONV_FROM_FOLDED = `
  SELECT hour, lo, lo_port, hi, hi_port, proto, flows, packets, bytes,
         CASE WHEN isnan(first_ms) THEN NULL ELSE first_ms END AS first_ms,
         CASE WHEN isnan(last_ms) THEN NULL ELSE last_ms END AS last_ms,
         action, ev_lo, ev_hi, ev_lo_reason, ev_hi_reason
  FROM conv_in`;

/** Per-observer rows, from obs that may hold a key more than once (the merger had to hand rows over early). */
const PER_OBSERVER_AGGREGATED = `
  SELECT observer, hour, lo, lo_port, hi, hi_port, proto,
         sum(rec_lh) AS rec_lh, sum(rec_hl) AS rec_hl,
         sum(pkts_lh) AS pkts_lh, sum(bytes_lh) AS bytes_lh,
         sum(pkts_hl) AS pkts_hl, sum(bytes_hl) AS bytes_hl,
         min(first_ms) FILTER (WHERE NOT isnan(first_ms)) AS first_ms,
         max(last_ms) FILTER (WHERE NOT isnan(last_ms)) AS last_ms,
         sum(allow_n) AS allow_n, sum(deny_n) AS deny_n,
         sum(ev_lo) AS ev_lo, sum(ev_hi) AS ev_hi,
         coalesce(min(ev_lo_reason) FILTER (WHERE ev_lo_reason > 0), 0) AS ev_lo_reason,
         coalesce(min(ev_hi_reason) FILTER (WHERE ev_hi_reason > 0), 0) AS ev_hi_reason
  FROM obs
  GROUP BY observer, hour, lo, lo_port, hi, hi_port, proto`;

/** Per-observer rows, from obs holding each key once (how the native benchmark's SQL builds them). */
const PER_OBSERVER_UNIQUE = `
  SELECT observer, hour, lo, lo_port, hi, hi_port, proto, rec_lh, rec_hl, pkts_lh, bytes_lh, pkts_hl, bytes_hl,
         CASE WHEN isnan(first_ms) THEN NULL ELSE first_ms END AS first_ms,
         CASE WHEN isnan(last_ms) THEN NULL ELSE last_ms END AS last_ms,
         allow_n, deny_n, ev_lo, ev_hi, ev_lo_reason, ev_hi_reason
  FROM obs`;

/** Across observers the larger count of each direction wins; allow/deny and evidence add up. */
const convFromObs = (perObserver: string): string => `
  WITH per_observer AS (${perObserver})
  SELECT hour, lo, lo_port, hi, hi_port, proto,
         greatest(max(rec_lh), max(rec_hl)) AS flows,
         max(pkts_lh) + max(pkts_hl) AS packets,
         max(bytes_lh) + max(bytes_hl) AS bytes,
         min(first_ms) AS first_ms, max(last_ms) AS last_ms,
         CASE WHEN sum(deny_n) > 0 THEN 2 WHEN sum(allow_n) > 0 THEN 1 ELSE 0 END::UTINYINT AS action,
         sum(ev_lo) AS ev_lo, sum(ev_hi) AS ev_hi,
         coalesce(min(ev_lo_reason) FILTER (WHERE ev_lo_reason > 0), 0) AS ev_lo_reason,
         coalesce(min(ev_hi_reason) FILTER (WHERE ev_hi_reason > 0), 0) AS ev_hi_reason
  FROM per_observer
  GROUP BY hour, lo, lo_port, hi, hi_port, proto`;

/**
 * What DuckDB's obs table holds: nothing ('none': ingest folded everything
 * into conv_in), per-observer rows that may repeat a key ('aggregate': the
 * merger had to hand rows over early), or each key once ('unique': how the
 * native benchmark's SQL builds it).
 */
export type ObsInStore = 'none' | 'aggregate' | 'unique';

/** Edges over the whole window, from edges_hourly (however that was built). */
export const EDGES_FROM_HOURLY_SQL = `CREATE OR REPLACE TABLE edges AS
     SELECT client, server, proto, port, action,
            sum(flows) AS flows, sum(packets) AS packets, sum(bytes) AS bytes,
            min(first_ms) AS first_ms, max(last_ms) AS last_ms,
            min(reason) AS reason, count(DISTINCT hour) AS hours
     FROM edges_hourly
     GROUP BY client, server, proto, port, action`;

export function buildEdgesSql(obs: ObsInStore): readonly string[] {
  const conv =
    obs === 'none'
      ? `CREATE OR REPLACE VIEW conv AS ${CONV_FROM_FOLDED}`
      : `CREATE OR REPLACE TABLE conv AS ${CONV_FROM_FOLDED} UNION ALL SELECT * FROM (${convFromObs(obs === 'unique' ? PER_OBSERVER_UNIQUE : PER_OBSERVER_AGGREGATED)})`;
  return [
    conv,

    `CREATE OR REPLACE TABLE conv_dir AS
     WITH evidence AS (
       SELECT lo, lo_port, hi, hi_port, proto, sum(ev_lo) AS ev_lo, sum(ev_hi) AS ev_hi,
              coalesce(min(ev_lo_reason) FILTER (WHERE ev_lo_reason > 0), 0) AS ev_lo_reason,
              coalesce(min(ev_hi_reason) FILTER (WHERE ev_hi_reason > 0), 0) AS ev_hi_reason
       FROM conv GROUP BY lo, lo_port, hi, hi_port, proto)
     SELECT *, ${explicitOpener} AS opener FROM evidence`,

    // A listening endpoint is reached from many different peer ports (each
    // connection brings a fresh ephemeral port); a client's fixed source port
    // meets few. Explicitly oriented conversations name their server outright.
    // Only endpoints with two or more peer ports, or an explicit server role,
    // can ever decide a conversation, so the rest (every client's ephemeral
    // endpoint) are left out, which keeps the joins below small.
    `CREATE OR REPLACE TABLE endpoint_evidence AS
     WITH sides AS (
       SELECT lo AS host, lo_port AS port, proto, hi_port AS peer_port, coalesce(opener = 'hi', false) AS explicit_server FROM conv_dir
       UNION ALL
       SELECT hi, hi_port, proto, lo_port, coalesce(opener = 'lo', false) FROM conv_dir),
     per_peer_port AS (
       SELECT host, port, proto, peer_port, bool_or(explicit_server) AS explicit_server
       FROM sides GROUP BY host, port, proto, peer_port)
     SELECT host, port, proto, count(*) AS peer_ports, bool_or(explicit_server) AS explicit_server
     FROM per_peer_port GROUP BY host, port, proto
     HAVING count(*) >= 2 OR bool_or(explicit_server)`,

    // Both ends on one port (NTP's 123 to 123): the end that meets more peers on it serves it.
    `CREATE OR REPLACE TABLE same_port_degree AS
     SELECT host, port, proto, count(*) AS degree
     FROM (SELECT lo AS host, lo_port AS port, proto FROM conv_dir WHERE lo_port = hi_port
           UNION ALL SELECT hi, hi_port, proto FROM conv_dir WHERE lo_port = hi_port)
     GROUP BY host, port, proto`,

    `CREATE OR REPLACE TABLE host_degree AS
     SELECT host, count(DISTINCT peer) AS degree
     FROM (SELECT lo AS host, hi AS peer FROM conv_dir UNION ALL SELECT hi, lo FROM conv_dir)
     GROUP BY host`,

    `CREATE OR REPLACE TABLE orientation AS
     WITH facts AS (
       SELECT d.*,
              coalesce(el.explicit_server, false) AS lo_explicit, coalesce(eh.explicit_server, false) AS hi_explicit,
              coalesce(el.peer_ports, 0) AS lo_peer_ports, coalesce(eh.peer_ports, 0) AS hi_peer_ports,
              pl.port IS NOT NULL AS lo_pinned, ph.port IS NOT NULL AS hi_pinned,
              ${portClassSql('d.lo_port', 'd.proto')} AS lo_class, ${portClassSql('d.hi_port', 'd.proto')} AS hi_class,
              coalesce(sl.degree, 0) AS lo_port_degree, coalesce(sh.degree, 0) AS hi_port_degree,
              coalesce(gl.degree, 0) AS lo_degree, coalesce(gh.degree, 0) AS hi_degree,
              hl.sort_key AS lo_key, hh.sort_key AS hi_key
       FROM conv_dir d
       LEFT JOIN endpoint_evidence el ON el.host = d.lo AND el.port = d.lo_port AND el.proto = d.proto
       LEFT JOIN endpoint_evidence eh ON eh.host = d.hi AND eh.port = d.hi_port AND eh.proto = d.proto
       LEFT JOIN server_pins pl ON pl.port = d.lo_port AND pl.proto = d.proto
       LEFT JOIN server_pins ph ON ph.port = d.hi_port AND ph.proto = d.proto
       LEFT JOIN same_port_degree sl ON d.lo_port = d.hi_port AND sl.host = d.lo AND sl.port = d.lo_port AND sl.proto = d.proto
       LEFT JOIN same_port_degree sh ON d.lo_port = d.hi_port AND sh.host = d.hi AND sh.port = d.hi_port AND sh.proto = d.proto
       LEFT JOIN host_degree gl ON gl.host = d.lo
       LEFT JOIN host_degree gh ON gh.host = d.hi
       LEFT JOIN hosts hl ON hl.host_id = d.lo
       LEFT JOIN hosts hh ON hh.host_id = d.hi),
     rules AS (
       SELECT *,
         lo_peer_ports >= 2 AND lo_peer_ports > hi_peer_ports AND NOT (lo_class = ${PORT_CLASS.ephemeral} AND hi_class > ${PORT_CLASS.ephemeral}) AS lo_listens,
         hi_peer_ports >= 2 AND hi_peer_ports > lo_peer_ports AND NOT (hi_class = ${PORT_CLASS.ephemeral} AND lo_class > ${PORT_CLASS.ephemeral}) AS hi_listens
       FROM facts),
     decided AS (
       SELECT *,
         CASE
           WHEN opener = 'lo' THEN 'hi'
           WHEN opener = 'hi' THEN 'lo'
           WHEN lo_pinned AND NOT hi_pinned THEN 'lo'
           WHEN hi_pinned AND NOT lo_pinned THEN 'hi'
           WHEN lo_explicit AND NOT hi_explicit THEN 'lo'
           WHEN hi_explicit AND NOT lo_explicit THEN 'hi'
           WHEN lo_listens THEN 'lo'
           WHEN hi_listens THEN 'hi'
           WHEN lo_class > hi_class THEN 'lo'
           WHEN hi_class > lo_class THEN 'hi'
           WHEN lo_port_degree > hi_port_degree THEN 'lo'
           WHEN hi_port_degree > lo_port_degree THEN 'hi'
           WHEN lo_degree > hi_degree THEN 'lo'
           WHEN hi_degree > lo_degree THEN 'hi'
           WHEN lo_port >= 0 AND lo_port < hi_port THEN 'lo'
           WHEN hi_port >= 0 AND hi_port < lo_port THEN 'hi'
           WHEN lo_key <= hi_key THEN 'lo'
           ELSE 'hi'
         END AS server_side,
         CASE
           WHEN opener = 'lo' THEN ev_lo_reason
           WHEN opener = 'hi' THEN ev_hi_reason
           WHEN lo_pinned <> hi_pinned THEN ${R.pinnedPort}
           WHEN lo_explicit <> hi_explicit OR lo_listens OR hi_listens THEN ${R.listeningPort}
           WHEN lo_class <> hi_class THEN ${R.portRange}
           WHEN lo_port_degree <> hi_port_degree OR lo_degree <> hi_degree THEN ${R.degree}
           ELSE ${R.tieBreak}
         END::UTINYINT AS reason
       FROM rules)
     SELECT lo, lo_port, hi, hi_port, proto, server_side = 'hi' AS server_is_hi, reason FROM decided`,

    `CREATE OR REPLACE TABLE edges_hourly AS
     SELECT c.hour,
            CASE WHEN o.server_is_hi THEN c.lo ELSE c.hi END AS client,
            CASE WHEN o.server_is_hi THEN c.hi ELSE c.lo END AS server,
            c.proto,
            CASE WHEN o.server_is_hi THEN c.hi_port ELSE c.lo_port END AS port,
            c.action,
            sum(c.flows) AS flows, sum(c.packets) AS packets, sum(c.bytes) AS bytes,
            min(c.first_ms) AS first_ms, max(c.last_ms) AS last_ms,
            min(o.reason) AS reason
     FROM conv c JOIN orientation o USING (lo, lo_port, hi, hi_port, proto)
     GROUP BY ALL`,

    EDGES_FROM_HOURLY_SQL,

    'DROP TABLE conv_dir',
    'DROP TABLE endpoint_evidence',
    'DROP TABLE same_port_degree',
    'DROP TABLE host_degree',
    'DROP TABLE orientation',
    obs === 'none' ? 'DROP VIEW conv' : 'DROP TABLE conv',
  ];
}
