import { DUAL_TRANSPORT_PORTS, PROTO_TCP, PROTO_UDP, RPC_DYNAMIC_PORTS, RPC_ENDPOINT_MAPPER_PORT } from '../flow/protocols';
import { serviceName } from '../enrich/service-names';
import { compareText } from '../util/compare';
import { ALL_INTERNAL, type PolicyRule } from './policy-model';

/**
 * Ports that come with ports a rule already opens, whether or not two days
 * of capture happened to show them:
 * - services that run over both transports: a DNS answer too large for UDP
 *   is asked again over TCP (RFC 7766 makes TCP a must), a Kerberos ticket
 *   too large for UDP likewise (KRB_ERR_RESPONSE_TOO_BIG), the domain
 *   locator asks LDAP over UDP before it binds over TCP, and kpasswd runs on
 *   both;
 * - Microsoft RPC: the endpoint mapper (tcp/135) hands a client the
 *   dynamic port (49152–65535) where the service it asks for listens, the
 *   same few ports for every client of a server, so a group that may ask the
 *   mapper may use the dynamic ports the server's other clients were sent to.
 * A companion rule joins a pair of groups that a rule already joins, so it
 * lets no new host reach another, and only beside open rules: never beside a
 * just-in-time or rejected one. At least one end is internal: traffic
 * between two outside networks only passes the capture point (a transit
 * link, an ISP's NetFlow), and the policy has no host there to protect or to
 * keep working. The ports are protocol facts, not
 * thresholds (flow/protocols.ts holds them).
 */
export const COMPANION_DEFAULTS = {
  /** Ports served over TCP and UDP alike (flow/protocols.ts). */
  dualTransportPorts: DUAL_TRANSPORT_PORTS,
  rpcMapperPort: RPC_ENDPOINT_MAPPER_PORT,
  rpcDynamicPorts: RPC_DYNAMIC_PORTS,
};

export type CompanionOptions = typeof COMPANION_DEFAULTS;

/** A rule to add: its pair of groups, service, and why; it keeps the time window and client identity of the rule it comes with. */
export interface CompanionOpening {
  readonly from: string;
  readonly to: string;
  readonly proto: number;
  readonly port: number;
  readonly detail: string;
  readonly window: PolicyRule['window'];
  readonly identity: PolicyRule['identity'];
}

const open = (rule: PolicyRule): boolean => rule.jit === null && rule.state !== 'rejected';
const single = (rule: PolicyRule): number | null => (rule.ports !== null && rule.ports.from === rule.ports.to ? rule.ports.from : null);

/**
 * The rules to add beside `rules` (module comment), in a canonical order.
 * `isInternal` says whether a group id is one of the estate's (internal
 * groups and ALL_INTERNAL) rather than an outside network. Pure.
 */
export function companionOpenings(rules: readonly PolicyRule[], isInternal: (group: string) => boolean, options: CompanionOptions = COMPANION_DEFAULTS): CompanionOpening[] {
  const byPair = new Map<string, PolicyRule[]>();
  for (const rule of rules) {
    const key = `${rule.from}\t${rule.to}`;
    const list = byPair.get(key);
    if (list === undefined) byPair.set(key, [rule]);
    else list.push(rule);
  }
  // Whether any rule (open or not: a closed one is a decision) already covers the service for the pair.
  const covered = (from: string, to: string, proto: number, port: number): boolean =>
    [`${from}\t${to}`, `${ALL_INTERNAL}\t${to}`, `${from}\t${ALL_INTERNAL}`].some((key) =>
      (byPair.get(key) ?? []).some((rule) => rule.proto === proto && (rule.ports === null || (rule.ports.from <= port && port <= rule.ports.to))),
    );
  const openings = new Map<string, CompanionOpening>();
  const add = (opening: CompanionOpening): void => {
    const key = `${opening.from}\t${opening.to}\t${opening.proto}\t${opening.port}`;
    if (!openings.has(key) && !covered(opening.from, opening.to, opening.proto, opening.port)) openings.set(key, opening);
  };
  const dual = new Set(options.dualTransportPorts);
  const { rpcMapperPort, rpcDynamicPorts } = options;
  const isDynamic = (port: number): boolean => port >= rpcDynamicPorts.from && port <= rpcDynamicPorts.to;
  // Per server group, the dynamic ports open rules send its RPC clients to, and the groups allowed its mapper.
  const dynamicOf = new Map<string, Set<number>>();
  const mapperClients = new Map<string, Set<string>>();
  for (const rule of rules) {
    const port = single(rule);
    if (!open(rule) || port === null || rule.proto !== PROTO_TCP) continue;
    if (port === rpcMapperPort) {
      const clients = mapperClients.get(rule.to) ?? new Set<string>();
      mapperClients.set(rule.to, clients.add(rule.from));
    }
  }
  for (const rule of rules) {
    const port = single(rule);
    if (!open(rule) || port === null || rule.proto !== PROTO_TCP || !isDynamic(port)) continue;
    // A dynamic port counts where its client may also ask the mapper: an RPC service, not any high port.
    if (mapperClients.get(rule.to)?.has(rule.from) !== true) continue;
    const ports = dynamicOf.get(rule.to) ?? new Set<number>();
    dynamicOf.set(rule.to, ports.add(port));
  }
  for (const rule of rules) {
    const port = single(rule);
    if (!open(rule) || port === null || (!isInternal(rule.from) && !isInternal(rule.to))) continue;
    if (dual.has(port) && (rule.proto === PROTO_TCP || rule.proto === PROTO_UDP)) {
      const other = rule.proto === PROTO_TCP ? PROTO_UDP : PROTO_TCP;
      const [seen, missing] = rule.proto === PROTO_TCP ? ['TCP', 'UDP'] : ['UDP', 'TCP'];
      add({
        from: rule.from,
        to: rule.to,
        proto: other,
        port,
        detail: `port ${port} runs over ${seen} and ${missing} alike (${serviceName(PROTO_TCP, port) ?? `port ${port}`}): rule ${rule.id} opens ${seen}, the ${missing} side comes with it`,
        window: rule.window,
        identity: rule.identity,
      });
    }
    if (rule.proto === PROTO_TCP && port === rpcMapperPort) {
      for (const dynamic of [...(dynamicOf.get(rule.to) ?? [])].sort((a, b) => a - b)) {
        add({
          from: rule.from,
          to: rule.to,
          proto: PROTO_TCP,
          port: dynamic,
          detail: `the RPC endpoint mapper on ${rule.to} (rule ${rule.id}) sends its clients to tcp/${dynamic}, seen used by other groups allowed the mapper`,
          window: rule.window,
          identity: rule.identity,
        });
      }
    }
  }
  return [...openings.values()].sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to) || a.proto - b.proto || a.port - b.port);
}

