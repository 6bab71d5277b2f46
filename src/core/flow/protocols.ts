/** IANA protocol numbers, for formats that write protocols by name. */
const BY_NAME: Readonly<Record<string, number>> = {
  hopopt: 0,
  icmp: 1,
  igmp: 2,
  ggp: 3,
  ipv4: 4,
  ipip: 4,
  st: 5,
  tcp: 6,
  egp: 8,
  igp: 9,
  pup: 12,
  udp: 17,
  hmp: 20,
  xns: 22,
  rdp: 27,
  irtp: 28,
  'iso-tp4': 29,
  dccp: 33,
  ipv6: 41,
  'ipv6-route': 43,
  'ipv6-frag': 44,
  idrp: 45,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  mobile: 55,
  'ipv6-icmp': 58,
  icmp6: 58,
  icmpv6: 58,
  ipv6icmp: 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  eigrp: 88,
  ospf: 89,
  ospfigp: 89,
  mtp: 92,
  etherip: 97,
  encap: 98,
  pim: 103,
  ipcomp: 108,
  vrrp: 112,
  l2tp: 115,
  isis: 124,
  sctp: 132,
  fc: 133,
  'mobility-header': 135,
  udplite: 136,
  'mpls-in-ip': 137,
  manet: 138,
  hip: 139,
  shim6: 140,
  wesp: 141,
  rohc: 142,
  ethernet: 143,
};

const NAME_BY_NUMBER = new Map<number, string>();
for (const [name, number] of Object.entries(BY_NAME)) {
  if (!NAME_BY_NUMBER.has(number)) NAME_BY_NUMBER.set(number, name);
}
NAME_BY_NUMBER.set(58, 'icmp6');

/**
 * Service ports inside the ephemeral range (Linux hands out 32768–60999):
 * industrial and building protocols IANA registered before that range
 * grew, and that devices listen on: EtherNet/IP's 44818, BACnet/IP's 47808,
 * PROFINET's 34962–34964. Orientation reads them as registered ports, not
 * as a client's source port (model/orient-conversations.ts, edges-sql.ts,
 * pushdown/edge-plan.ts): a controller opening 44818 on an I/O adapter from
 * port 3804 would otherwise be taken for the adapter's client.
 */
export const SERVICE_PORTS_IN_EPHEMERAL_RANGE: readonly number[] = [34962, 34963, 34964, 44818, 47808];

/**
 * Services that run over TCP and UDP alike, on one port: DNS (a truncated
 * answer is asked again over TCP; RFC 7766 makes TCP a must), Kerberos (a
 * ticket too large for UDP likewise), LDAP (the domain locator's CLDAP over
 * UDP before the bind over TCP), kpasswd. Policy rules open both sides
 * together (policy/companion-rules.ts).
 */
export const DUAL_TRANSPORT_PORTS: readonly number[] = [53, 88, 389, 464];

/** Microsoft RPC: the endpoint mapper, and the dynamic ports it hands out (IANA's dynamic range, Windows' default since Vista). */
export const RPC_ENDPOINT_MAPPER_PORT = 135;
export const RPC_DYNAMIC_PORTS = { from: 49152, to: 65535 } as const;

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMP6 = 58;
export const PROTO_SCTP = 132;

/**
 * Protocol number from a name ("TCP", "icmp6") or a decimal number ("6").
 * Returns -1 when the text is neither.
 */
export function protocolNumber(text: string): number {
  const trimmed = text.trim();
  if (trimmed.length === 0) return -1;
  const first = trimmed.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    if (!/^\d{1,3}$/.test(trimmed)) return -1;
    const value = Number(trimmed);
    return value <= 255 ? value : -1;
  }
  return BY_NAME[trimmed.toLowerCase()] ?? -1;
}

/** Short lower-case name for output ("tcp", "udp", "icmp6"), or the number as text. */
export function protocolName(number: number): string {
  return NAME_BY_NUMBER.get(number) ?? String(number);
}

/** Every named protocol, for a lookup table in DuckDB. */
export function protocolNameRows(): { proto: number; name: string }[] {
  return [...NAME_BY_NUMBER.entries()].sort((a, b) => a[0] - b[0]).map(([proto, name]) => ({ proto, name }));
}

/** Protocols whose flows carry source and destination ports. */
export function hasPorts(proto: number): boolean {
  return proto === PROTO_TCP || proto === PROTO_UDP || proto === PROTO_SCTP || proto === 33 || proto === 136;
}

export function isIcmp(proto: number): boolean {
  return proto === PROTO_ICMP || proto === PROTO_ICMP6;
}
