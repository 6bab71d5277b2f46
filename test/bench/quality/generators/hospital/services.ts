// What runs on the wire in a hospital, as this generator's own table (it
// shares none with the engine): transport, port, what Suricata 7.0's
// protocol detection would call it (`app`), typical payload per
// connection each way, how long a connection lasts, and how it usually
// ends. Suricata 7.0 has no parser for LDAP, TDS (MSSQL), DICOM, HL7/MLLP,
// syslog, RTP or the vendors' device protocols: once both sides have sent
// data it gives up and logs `app_proto: "failed"`.

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export type Proto = typeof TCP | typeof UDP | typeof ICMP;

/** How a TCP connection of this service usually ends: FIN both ways, or torn down with an RST after the exchange (IIS keep-alives, Windows RPC, browsers). */
export type Ending = 'fin' | 'rst' | 'mixed';

export interface Service {
  readonly key: string;
  readonly proto: Proto;
  readonly port: number;
  /** Suricata's app_proto once it has seen payload ('failed' when no parser claims it); null: never detected (nothing to parse). */
  readonly app: string | null;
  /** Typical payload bytes client→server and server→client per connection (medians of a log-normal). */
  readonly up: number;
  readonly down: number;
  /** Typical duration in seconds (median). */
  readonly seconds: number;
  /** Typical payload per data packet (interactive protocols send small ones). */
  readonly segment: number;
  readonly ending: Ending;
  /** Fixed client port (NTP 123, DHCP relay 67, SIP 5060, cluster heartbeat 3343); null: ephemeral. */
  readonly clientPort: number | null;
  /** Remote administration (RDP, SSH, WinRM) when used from an admin host. */
  readonly admin: boolean;
}

function svc(key: string, proto: Proto, port: number, app: string | null, up: number, down: number, seconds: number, extra: Partial<Pick<Service, 'segment' | 'ending' | 'clientPort' | 'admin'>> = {}): Service {
  return { key, proto, port, app, up, down, seconds, segment: extra.segment ?? 1200, ending: extra.ending ?? 'fin', clientPort: extra.clientPort ?? null, admin: extra.admin ?? false };
}

export const S = {
  // Name service, directory, time, addressing.
  dns: svc('dns', UDP, 53, 'dns', 38, 120, 0.02, { segment: 120 }),
  dnsTcp: svc('dns-tcp', TCP, 53, 'dns', 120, 900, 0.05, { segment: 600 }),
  dnsUpdate: svc('dns-update', UDP, 53, 'dns', 260, 180, 0.03, { segment: 300 }),
  kerberos: svc('kerberos', TCP, 88, 'krb5', 1600, 1500, 0.1, { segment: 1400, ending: 'rst' }),
  kerberosUdp: svc('kerberos-udp', UDP, 88, 'krb5', 260, 240, 0.02, { segment: 300 }),
  ldap: svc('ldap', TCP, 389, 'failed', 900, 3200, 1.5, { segment: 700, ending: 'mixed' }),
  cldap: svc('cldap', UDP, 389, 'failed', 210, 180, 0.01, { segment: 220 }),
  ldaps: svc('ldaps', TCP, 636, 'tls', 1500, 4200, 0.8, { segment: 900 }),
  smb: svc('smb', TCP, 445, 'smb', 6000, 24000, 20, { segment: 1000, ending: 'mixed' }),
  epmap: svc('epmap', TCP, 135, 'dcerpc', 250, 230, 0.05, { segment: 240, ending: 'rst' }),
  ntp: svc('ntp', UDP, 123, 'ntp', 48, 48, 0.01, { segment: 48, clientPort: 123 }),
  dhcpRelay: svc('dhcp-relay', UDP, 67, 'dhcp', 620, 620, 0.5, { segment: 310, clientPort: 67 }),
  dhcpRenew: svc('dhcp-renew', UDP, 67, 'dhcp', 310, 310, 0.01, { segment: 310, clientPort: 68 }),

  // Web, proxy, management, patching.
  https: svc('https', TCP, 443, 'tls', 2600, 38000, 12, { ending: 'mixed' }),
  http: svc('http', TCP, 80, 'http', 700, 9000, 2, { ending: 'mixed' }),
  wsus: svc('wsus', TCP, 8530, 'http', 4200, 30000, 4),
  sccmPolicy: svc('sccm-mp', TCP, 80, 'http', 1800, 6500, 1.5, { ending: 'mixed' }),
  sccmNotify: svc('sccm-notify', TCP, 10123, 'failed', 2000, 1800, 3600, { segment: 200 }),
  rdp: svc('rdp', TCP, 3389, 'rdp', 900000, 6000000, 1800, { segment: 300, ending: 'mixed', admin: true }),
  ssh: svc('ssh', TCP, 22, 'ssh', 60000, 250000, 900, { segment: 120, admin: true }),
  winrm: svc('winrm', TCP, 5985, 'http', 9000, 16000, 6, { segment: 900, admin: true }),
  snmp: svc('snmp', UDP, 161, 'snmp', 220, 900, 0.3, { segment: 300 }),
  snmpTrap: svc('snmp-trap', UDP, 162, 'snmp', 300, 0, 0, { segment: 300 }),
  syslog: svc('syslog', UDP, 514, 'failed', 2400, 0, 30, { segment: 220 }),
  ping: svc('icmp-echo', ICMP, 8, null, 64, 64, 0.003, { segment: 64 }),

  // Printing.
  spooler: svc('spooler', TCP, 445, 'smb', 160000, 12000, 8, { ending: 'mixed' }),
  jetdirect: svc('jetdirect', TCP, 9100, 'failed', 350000, 40, 6),
  ipp: svc('ipp', TCP, 631, 'http', 300000, 900, 6),

  // Clinical applications.
  ehrWeb: svc('ehr-web', TCP, 443, 'tls', 5200, 65000, 45, { ending: 'mixed' }),
  ehrApp: svc('ehr-app', TCP, 8443, 'tls', 3500, 22000, 20),
  mssql: svc('mssql', TCP, 1433, 'failed', 90000, 450000, 600, { segment: 900 }),
  agEndpoint: svc('ag-endpoint', TCP, 5022, 'failed', 0, 0, 0, { segment: 1300 }),
  clusterHeartbeat: svc('cluster-hb', UDP, 3343, 'failed', 0, 0, 0, { segment: 120, clientPort: 3343 }),
  dicomStore: svc('dicom-104', TCP, 104, 'failed', 90_000_000, 4000, 40),
  dicomQr: svc('dicom-11112', TCP, 11112, 'failed', 5000, 40_000_000, 25),
  dicomPush: svc('dicom-push', TCP, 104, 'failed', 60_000_000, 3000, 30),
  dicomCommit: svc('dicom-commit', TCP, 104, 'failed', 2200, 900, 0.4),
  worklist: svc('dicom-mwl', TCP, 104, 'failed', 1800, 14000, 0.8),
  mllpIn: svc('mllp-2575', TCP, 2575, 'failed', 3000, 220, 0.3),
  mllpOut: svc('mllp-2576', TCP, 2576, 'failed', 2400, 180, 0.3),
  mllpEhr: svc('mllp-6661', TCP, 6661, 'failed', 2800, 200, 0.3),
  nfs: svc('nfs', TCP, 2049, 'nfs', 40_000_000, 6_000_000, 300),
  lisClient: svc('lis-client', TCP, 7010, 'failed', 12000, 60000, 240, { segment: 500 }),
  fileShare: svc('file-share', TCP, 445, 'smb', 80000, 900000, 120, { ending: 'mixed' }),

  // Devices.
  pumpGateway: svc('pump-gw', TCP, 51243, 'tls', 4800, 2600, 1.2),
  monitorGateway: svc('monitor-gw', TCP, 24105, 'failed', 0, 0, 0, { segment: 400 }),
  badge: svc('badge', TCP, 3001, 'failed', 0, 0, 0, { segment: 60 }),
  sip: svc('sip', UDP, 5060, 'sip', 1300, 900, 0.2, { segment: 650, clientPort: 5060 }),
  sipTrunk: svc('sip-trunk', UDP, 5060, 'sip', 2600, 2200, 120, { segment: 700, clientPort: 5060 }),
  tftp: svc('tftp', UDP, 69, 'tftp', 2200, 90000, 3, { segment: 512 }),
  cucmRepl: svc('cucm-db', TCP, 8500, 'failed', 40000, 40000, 30),

  // Backups and the outside world.
  backupAgent: svc('backup-agent', TCP, 10000, 'failed', 60000, 8_000_000_000, 1800),
  proxy: svc('proxy', TCP, 3128, 'http', 2400, 52000, 25, { ending: 'mixed' }),
  upstream: svc('upstream', TCP, 443, 'tls', 2400, 52000, 25, { ending: 'mixed' }),
  dnsForward: svc('dns-forward', UDP, 53, 'dns', 45, 160, 0.03, { segment: 160 }),
  ntpPublic: svc('ntp-public', UDP, 123, 'ntp', 48, 48, 0.05, { segment: 48, clientPort: 123 }),
} as const satisfies Record<string, Service>;

/** The same service on another port (the proxy on 8080, the backup agent of the vendor chosen by seed…). */
export function onPort(service: Service, port: number, key = `${service.key}-${port}`): Service {
  return { ...service, port, key };
}

/** The backup products a hospital might run, with the port their server opens to each agent. */
export const BACKUP_AGENT_PORTS: readonly (readonly [product: string, port: number])[] = [
  ['Commvault', 8400],
  ['Veritas NetBackup', 1556],
  ['Veeam Agent', 6160],
];
