/**
 * The one list of administrative services. Discovery down-weights them
 * (they say who manages a host, not what it does), anomaly detection
 * watches them for lateral movement, and policy puts them behind
 * just-in-time access unless they are the server's own role.
 */

export interface NamedService {
  readonly proto: number;
  readonly port: number;
  readonly name: string;
}

/** Remote administration of a host: an interactive or management session into it, never a host's reason to exist. */
export const REMOTE_ADMIN_SERVICES: readonly NamedService[] = [
  { proto: 6, port: 22, name: 'ssh' },
  { proto: 6, port: 23, name: 'telnet' },
  { proto: 6, port: 3389, name: 'rdp' },
  { proto: 6, port: 5900, name: 'vnc' },
  { proto: 6, port: 5985, name: 'winrm' },
  { proto: 6, port: 5986, name: 'winrm-https' },
];

/**
 * Services attackers move laterally with (remote execution over SMB and
 * RPC) that are also the everyday role of file servers and domain
 * controllers: administrative only into a host whose role is not serving them.
 */
export const ROLE_DEPENDENT_ADMIN_SERVICES: readonly NamedService[] = [
  { proto: 6, port: 135, name: 'msrpc' },
  { proto: 6, port: 445, name: 'smb' },
];

export const ADMIN_SERVICES: readonly NamedService[] = [...REMOTE_ADMIN_SERVICES, ...ROLE_DEPENDENT_ADMIN_SERVICES]
  .slice()
  .sort((a, b) => a.proto - b.proto || a.port - b.port);

/** "tcp/22"-style keys, for code that keys services by text. */
export const serviceKey = (service: Pick<NamedService, 'proto' | 'port'>): string => `${service.proto}/${service.port}`;

/** ADMIN_SERVICES by serviceKey, for the anomaly detectors that set admin sessions apart. */
export const ADMIN_SERVICE_KEYS: ReadonlySet<string> = new Set(ADMIN_SERVICES.map(serviceKey));
