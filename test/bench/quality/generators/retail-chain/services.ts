// The services a retailer's estate runs, with the ports its products
// actually listen on (from how these products are deployed, not from any
// engine table). A few choices that matter for the scenario:
// - Active Directory: Kerberos and LDAP on TCP and UDP, SMB for SYSVOL, the
//   RPC endpoint mapper on 135 and then a dynamic high port that each DC
//   picked at boot (see dcRpcPorts in estate.ts), so two DCs answer RPC on
//   different ports;
// - SFTP on 22 is how every store server pulls its nightly price and
//   product files from the managed-file-transfer server: a business use on
//   the same port as the admins' SSH;
// - port 9100 is both the label printers' raw printing (JetDirect) and the
//   Linux servers' node_exporter; 8443 is both the store server's API and
//   the central POS back end's;
// - Kafka clients on 9092, broker-to-broker replication on 9093;
//   Elasticsearch HTTP on 9200, its node-to-node transport on 9300;
// - SAP: message server 3600, dispatcher 3200, gateway 3300, ICM HTTPS
//   44300, HANA SQL 30015 (instance 00 everywhere).

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;

export interface Service {
  readonly name: string;
  readonly proto: number;
  readonly port: number;
  /** Remote administration (the truth's adminEdges when it comes from a jump host). */
  readonly admin?: boolean;
}

const tcp = (name: string, port: number, admin = false): Service => ({ name, proto: TCP, port, admin });
const udp = (name: string, port: number): Service => ({ name, proto: UDP, port });

export const SVC = {
  dns: udp('dns', 53),
  dnsTcp: tcp('dns-tcp', 53),
  kerberos: tcp('kerberos', 88),
  kerberosUdp: udp('kerberos-udp', 88),
  ntp: udp('ntp', 123),
  rpcMapper: tcp('msrpc-epmap', 135),
  ldap: tcp('ldap', 389),
  ldapUdp: udp('cldap', 389),
  globalCatalog: tcp('ldap-gc', 3268),
  smb: tcp('smb', 445),
  syslog: udp('syslog', 514),
  http: tcp('http', 80),
  https: tcp('https', 443),
  proxy: tcp('http-proxy', 8080),
  wsus: tcp('wsus', 8530),
  sccm: tcp('sccm-mp', 443),
  windowsExporter: tcp('windows-exporter', 9182),
  nodeExporter: tcp('node-exporter', 9100),
  beats: tcp('logstash-beats', 5044),
  esHttp: tcp('elasticsearch-http', 9200),
  esTransport: tcp('elasticsearch-transport', 9300),
  kibana: tcp('kibana', 5601),
  kafka: tcp('kafka', 9092),
  kafkaReplication: tcp('kafka-replication', 9093),
  sftp: tcp('sftp', 22),
  ssh: tcp('ssh', 22, true),
  rdp: tcp('rdp', 3389, true),
  winrm: tcp('winrm', 5985, true),
  postgres: tcp('postgresql', 5432),
  mysql: tcp('mysql', 3306),
  mssql: tcp('mssql', 1433),
  hanaSql: tcp('hana-sql', 30015),
  sapDispatcher: tcp('sap-dispatcher', 3200),
  sapGateway: tcp('sap-gateway', 3300),
  sapMessage: tcp('sap-message-server', 3600),
  sapIcm: tcp('sap-icm-https', 44300),
  storeApi: tcp('store-server-api', 8443),
  storeDepot: tcp('store-software-depot', 8080),
  posBackend: tcp('pos-backend-api', 8443),
  paymentSwitch: tcp('payment-switch', 9443),
  hsm: tcp('payment-hsm', 1500),
  pricing: tcp('pricing-api', 8080),
  pricingV2: tcp('pricing-api-v2', 8443),
  ecomApi: tcp('ecom-api', 8080),
  rawPrint: tcp('raw-print', 9100),
  rtsp: tcp('rtsp', 554),
  nvrWeb: tcp('nvr-web', 80),
  signage: tcp('signage-content', 443),
} as const satisfies Record<string, Service>;

/** An RPC service on one DC's dynamic port (the port the endpoint mapper hands out). */
export function dynamicRpc(port: number): Service {
  return { name: 'msrpc-dynamic', proto: TCP, port };
}
