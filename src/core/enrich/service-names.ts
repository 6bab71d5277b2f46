import { PROTO_TCP, PROTO_UDP } from '../flow/protocols';

/**
 * Names of well-known services, for reading edges and host profiles. A
 * curated subset of IANA's registry plus ports that common infrastructure
 * (databases, brokers, orchestration, observability) actually listens on.
 */
const TCP: Record<number, string> = {
  20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'dns', 80: 'http', 88: 'kerberos',
  110: 'pop3', 111: 'rpcbind', 135: 'msrpc', 139: 'netbios-ssn', 143: 'imap', 179: 'bgp', 389: 'ldap',
  443: 'https', 445: 'smb', 464: 'kpasswd', 465: 'smtps', 514: 'syslog', 587: 'submission', 636: 'ldaps',
  873: 'rsync', 993: 'imaps', 995: 'pop3s', 1433: 'mssql', 1521: 'oracle', 2049: 'nfs', 2379: 'etcd',
  2380: 'etcd-peer', 3268: 'ldap-gc', 3269: 'ldaps-gc', 3306: 'mysql', 3389: 'rdp', 4222: 'nats',
  5000: 'http-alt', 5432: 'postgresql', 5601: 'kibana', 5671: 'amqps', 5672: 'amqp', 5900: 'vnc',
  5985: 'winrm', 5986: 'winrm-https', 6379: 'redis', 6443: 'kubernetes-api', 7000: 'cassandra',
  8080: 'http-alt', 8443: 'https-alt', 8500: 'consul', 9000: 'http-alt', 9042: 'cassandra-cql',
  9090: 'prometheus', 9092: 'kafka', 9093: 'alertmanager', 9100: 'node-exporter', 9200: 'elasticsearch',
  9300: 'elasticsearch-transport', 10250: 'kubelet', 11211: 'memcached', 15672: 'rabbitmq-mgmt',
  27017: 'mongodb',
};
const UDP: Record<number, string> = {
  53: 'dns', 67: 'dhcp', 68: 'dhcp-client', 69: 'tftp', 88: 'kerberos', 123: 'ntp', 137: 'netbios-ns',
  138: 'netbios-dgm', 161: 'snmp', 162: 'snmp-trap', 389: 'ldap', 500: 'isakmp', 514: 'syslog',
  1812: 'radius', 1813: 'radius-acct', 4500: 'ipsec-nat-t', 4789: 'vxlan', 5353: 'mdns', 5355: 'llmnr',
  6831: 'jaeger-agent', 8125: 'statsd', 11211: 'memcached',
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
