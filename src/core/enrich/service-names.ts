import { PROTO_ICMP, PROTO_ICMP6, PROTO_TCP, PROTO_UDP, hasPorts, protocolName } from '../flow/protocols';

/**
 * Names of well-known services, for reading edges and host profiles. A
 * curated subset of IANA's registry plus ports that common infrastructure
 * (databases, brokers, orchestration, observability) actually listens on:
 * squid's 3128, WSUS's 8530/8531, Zabbix's 10050/10051, Nagios NRPE's 5666
 * are their products' defaults rather than IANA entries. Industrial
 * protocols (Modbus/TCP, S7comm on ISO-TSAP 102, EtherNet/IP, OPC UA, DNP3,
 * IEC 60870-5-104, BACnet/IP) are IANA's own, named so that a PLC reads as one. Names of ports
 * other software uses as often are printed in group names only when the
 * traffic fits (src/core/discover/group-names.ts CHECKED_SERVICE_NAMES).
 */
const TCP: Record<number, string> = {
  20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'dns', 80: 'http', 88: 'kerberos', 102: 's7comm',
  110: 'pop3', 111: 'rpcbind', 135: 'msrpc', 139: 'netbios-ssn', 143: 'imap', 179: 'bgp', 389: 'ldap',
  443: 'https', 445: 'smb', 464: 'kpasswd', 465: 'smtps', 502: 'modbus', 514: 'syslog', 587: 'submission', 636: 'ldaps',
  873: 'rsync', 993: 'imaps', 995: 'pop3s', 1433: 'mssql', 1521: 'oracle', 2049: 'nfs', 2379: 'etcd',
  2380: 'etcd-peer', 2404: 'iec-104', 3128: 'http-proxy', 3268: 'ldap-gc', 3269: 'ldaps-gc', 3306: 'mysql', 3389: 'rdp', 4222: 'nats', 4840: 'opc-ua',
  5000: 'http-alt', 5432: 'postgresql', 5601: 'kibana', 5666: 'nrpe', 5671: 'amqps', 5672: 'amqp', 5900: 'vnc',
  5985: 'winrm', 5986: 'winrm-https', 6379: 'redis', 6443: 'kubernetes-api', 7000: 'cassandra',
  8080: 'http-alt', 8443: 'https-alt', 8500: 'consul', 8530: 'wsus', 8531: 'wsus-https', 9000: 'http-alt', 9042: 'cassandra-cql',
  9090: 'prometheus', 9092: 'kafka', 9093: 'alertmanager', 9100: 'node-exporter', 9200: 'elasticsearch',
  9300: 'elasticsearch-transport', 10050: 'zabbix-agent', 10051: 'zabbix-trapper', 10250: 'kubelet', 11211: 'memcached', 15672: 'rabbitmq-mgmt',
  20000: 'dnp3', 27017: 'mongodb', 44818: 'ethernet-ip',
};
const UDP: Record<number, string> = {
  53: 'dns', 67: 'dhcp', 68: 'dhcp-client', 69: 'tftp', 88: 'kerberos', 123: 'ntp', 137: 'netbios-ns',
  138: 'netbios-dgm', 161: 'snmp', 162: 'snmp-trap', 389: 'ldap', 500: 'isakmp', 514: 'syslog',
  1812: 'radius', 1813: 'radius-acct', 2222: 'ethernet-ip-io', 4500: 'ipsec-nat-t', 4789: 'vxlan', 5353: 'mdns', 5355: 'llmnr',
  6831: 'jaeger-agent', 8125: 'statsd', 11211: 'memcached', 44818: 'ethernet-ip', 47808: 'bacnet',
};

export function serviceName(proto: number, port: number): string | null {
  if (proto === PROTO_TCP) return TCP[port] ?? null;
  if (proto === PROTO_UDP) return UDP[port] ?? null;
  return null;
}

/** All named services, for a lookup table in DuckDB. */
export function serviceNameRows(): { proto: number; port: number; name: string }[] {
  const rows: { proto: number; port: number; name: string }[] = [];
  for (const [port, name] of Object.entries(TCP)) rows.push({ proto: PROTO_TCP, port: Number(port), name });
  for (const [port, name] of Object.entries(UDP)) rows.push({ proto: PROTO_UDP, port: Number(port), name });
  return rows;
}

/**
 * ICMP and ICMPv6 type names (IANA "ICMP Type Numbers" and "ICMPv6
 * Parameters"). Flow records carry an ICMP type as the server side's port
 * (src/core/flow/direction-hints.ts folds a reply into its request type).
 */
const ICMP_TYPES: Record<number, string> = {
  0: 'echo-reply', 3: 'destination-unreachable', 4: 'source-quench', 5: 'redirect', 8: 'echo',
  9: 'router-advertisement', 10: 'router-solicitation', 11: 'time-exceeded', 12: 'parameter-problem',
  13: 'timestamp', 14: 'timestamp-reply', 15: 'information-request', 16: 'information-reply',
  17: 'address-mask-request', 18: 'address-mask-reply',
};
const ICMP6_TYPES: Record<number, string> = {
  1: 'destination-unreachable', 2: 'packet-too-big', 3: 'time-exceeded', 4: 'parameter-problem',
  128: 'echo', 129: 'echo-reply', 130: 'multicast-listener-query', 131: 'multicast-listener-report',
  132: 'multicast-listener-done', 133: 'router-solicitation', 134: 'router-advertisement',
  135: 'neighbor-solicitation', 136: 'neighbor-advertisement', 137: 'redirect', 139: 'node-information-query',
  140: 'node-information-response', 141: 'inverse-nd-solicitation', 142: 'inverse-nd-advertisement',
  143: 'multicast-listener-report-v2',
};
/** Error messages: by-products of other traffic (a traceroute, an unreachable port), never a service a host offers. */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMP6_ERRORS = new Set([1, 2, 3, 4]);

/** "time-exceeded" for ICMP type 11; null for an unknown type or a protocol that is not ICMP. */
export function icmpTypeName(proto: number, type: number): string | null {
  if (proto === PROTO_ICMP) return ICMP_TYPES[type] ?? null;
  if (proto === PROTO_ICMP6) return ICMP6_TYPES[type] ?? null;
  return null;
}

/** ICMP error messages (unreachable, time exceeded, …): what a host sends about traffic, not a service. */
export function isIcmpError(proto: number, type: number): boolean {
  return (proto === PROTO_ICMP && ICMP_ERRORS.has(type)) || (proto === PROTO_ICMP6 && ICMP6_ERRORS.has(type));
}

/** Readable names of protocols that would otherwise print oddly upper-cased. */
const PROTOCOL_LABELS: Readonly<Record<number, string>> = { 4: 'IP-in-IP', 41: 'IPv6-in-IP', 43: 'IPv6-route', 44: 'IPv6-fragment', 58: 'ICMPv6' };

/**
 * How a service reads in names and reports: "https tcp/443", "tcp/9090"
 * (`name` null: no well-known name), "ICMP time-exceeded", "ICMPv6 echo",
 * "IGMP", "IP protocol 253". `name` undefined looks the port up in the
 * table above. Never "proto2", "icmp/11" or a bare "tcp/-1".
 */
export function serviceLabel(proto: number, port: number, name?: string | null): string {
  if (proto === PROTO_ICMP || proto === PROTO_ICMP6) {
    const protocol = proto === PROTO_ICMP ? 'ICMP' : 'ICMPv6';
    if (port < 0) return protocol;
    return `${protocol} ${icmpTypeName(proto, port) ?? `type ${port}`}`;
  }
  if (hasPorts(proto)) {
    const text = protocolName(proto);
    if (port < 0) return text.toUpperCase();
    const known = name === undefined ? serviceName(proto, port) : name;
    return known === null ? `${text}/${port}` : `${known} ${text}/${port}`;
  }
  const named = PROTOCOL_LABELS[proto];
  if (named !== undefined) return named;
  const text = protocolName(proto);
  return /^\d+$/.test(text) ? `IP protocol ${text}` : text.toUpperCase();
}
