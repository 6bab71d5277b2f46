import { PROTO_TCP, PROTO_UDP, SERVICE_PORTS_IN_EPHEMERAL_RANGE } from '../flow/protocols';
import { serviceNameRows } from '../enrich/service-names';

/**
 * How strongly a port says "a server listens here", for orienting a
 * conversation that no flag or listening evidence decides (model/
 * orient-conversations.ts, model/edges-sql.ts, pushdown/edge-plan.ts keep
 * one order): a well-known port (below 1024), then a registered port that
 * names a service (enrich/service-names.ts: EtherNet/IP's 44818, MSSQL's
 * 1433), then any other registered port, then an ephemeral one (IANA
 * 49152+ and Linux's 32768+, but for SERVICE_PORTS_IN_EPHEMERAL_RANGE).
 *
 * A named port beats an unnamed registered one because embedded stacks,
 * and Windows before Vista, hand out client ports from 1025–5000, inside
 * the registered range: a controller that reopens EtherNet/IP on an I/O
 * adapter from port 4999 meets the adapter's 44818 once, no end is seen
 * listening, and the busier host (the controller) would be taken for the
 * server. A client whose source port happens to name a service reaches a
 * server that other clients reach too, and the listening evidence decides
 * that conversation first.
 */
export const PORT_CLASS = { none: 0, ephemeral: 1, registered: 2, named: 3, wellKnown: 4 } as const;

const EPHEMERAL_FROM = 32768;
const REGISTERED_FROM = 1024;
const SERVICES_ABOVE = new Set(SERVICE_PORTS_IN_EPHEMERAL_RANGE);

/** Registered and higher ports with a service name, per transport: the only protocols that carry ports a name table covers. */
export const NAMED_PORTS: ReadonlyMap<number, readonly number[]> = (() => {
  const byProto = new Map<number, number[]>([[PROTO_TCP, []], [PROTO_UDP, []]]);
  for (const { proto, port } of serviceNameRows()) if (port >= REGISTERED_FROM) byProto.get(proto)?.push(port);
  for (const ports of byProto.values()) ports.sort((a, b) => a - b);
  return byProto;
})();

const NAMED = new Map([...NAMED_PORTS].map(([proto, ports]) => [proto, new Set(ports)]));

export function portClass(proto: number, port: number): number {
  if (port < 0) return PORT_CLASS.none;
  if (port < REGISTERED_FROM) return PORT_CLASS.wellKnown;
  if (NAMED.get(proto)?.has(port) === true) return PORT_CLASS.named;
  return port < EPHEMERAL_FROM || SERVICES_ABOVE.has(port) ? PORT_CLASS.registered : PORT_CLASS.ephemeral;
}

/** portClass as a SQL expression over a port column and a protocol column. */
export function portClassSql(port: string, proto: string): string {
  const named = [...NAMED_PORTS].map(([number, ports]) => `(${proto} = ${number} AND ${port} IN (${ports.join(', ')}))`).join(' OR ');
  return `(CASE WHEN ${port} < 0 THEN ${PORT_CLASS.none} WHEN ${port} < ${REGISTERED_FROM} THEN ${PORT_CLASS.wellKnown} WHEN ${named} THEN ${PORT_CLASS.named} WHEN ${port} < ${EPHEMERAL_FROM} OR ${port} IN (${SERVICE_PORTS_IN_EPHEMERAL_RANGE.join(', ')}) THEN ${PORT_CLASS.registered} ELSE ${PORT_CLASS.ephemeral} END)`;
}

export const PORT_CLASS_BOUNDS = { registeredFrom: REGISTERED_FROM, ephemeralFrom: EPHEMERAL_FROM } as const;
