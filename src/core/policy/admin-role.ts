import { ROLE_DEPENDENT_ADMIN_SERVICES, type NamedService } from '../flow/admin-services';

/**
 * Is an admin service on a server group remote administration (closed,
 * just-in-time, unless an admin group uses it) or that group's own role
 * (an ordinary rule, lifted when most groups use it)?
 *
 * - Remote administration (SSH, Telnet, RDP, VNC, WinRM: the admin services
 *   not listed as role-dependent) is a session into a host, so it is
 *   administration, a jump host's RDP included, except on a hub (isHub):
 *   a server that many client hosts come to for it (SFTP, a terminal
 *   server) serves it as its role.
 * - SMB and RPC (role-dependent) are how attackers move laterally and also
 *   what file servers and domain controllers are for. They are the server
 *   group's role when the edges show it serving them to many: used by at
 *   least roleMinGroups other internal groups, and one of
 *   - by at least roleMinShare of the other internal groups (infrastructure
 *     most groups use);
 *   - by at least roleMinClientsPerServer client hosts per server host (a
 *     hub many clients come to, like a file or print server, where
 *     administration runs from a few consoles or jump hosts out to many
 *     hosts: fewer clients than servers). This is what finds a file server
 *     every department uses in an estate where most groups are server tiers
 *     that never speak SMB;
 *   - alongside a directory service (Kerberos, LDAP) that at least
 *     roleMinGroups other groups use on the same group (a domain
 *     controller's SYSVOL and RPC are used by every domain member).
 *   A hub that at least roleMinGroups × roleMinClientsPerServer client
 *   hosts use (a dozen desks printing) is a role even when behaviour put
 *   all those clients in one or two groups (the desks of one department,
 *   every ward's desks alike): administration comes from a handful of
 *   consoles or jump hosts, never from as many hosts as three groups'
 *   fan-in.
 *   Otherwise (SMB into an app server or workstations from one or two
 *   groups, or from a few hosts into many) it is administration.
 * Only counts of groups in the edges decide; names of hosts or groups never do.
 */

export interface AdminRoleSettings {
  /** Admin services that are also the everyday role of some servers (SMB, RPC); the other admin services are remote administration. */
  readonly roleDependentAdminServices: readonly NamedService[];
  /** Services that make a group a directory server when roleMinGroups other groups use them on it. */
  readonly directoryServices: readonly NamedService[];
  /** A role-dependent service is a group's role when used by at least this share of the other internal groups … */
  readonly roleMinShare: number;
  /** … and, in any case, by at least this many of them. */
  readonly roleMinGroups: number;
  /** … or by at least this many distinct internal client hosts per server host of the group that serves it. */
  readonly roleMinClientsPerServer: number;
}

/** Kerberos and LDAP (plain, over TLS and the global catalog), TCP and UDP. */
export const DIRECTORY_SERVICES: readonly NamedService[] = [
  { proto: 6, port: 88, name: 'kerberos' },
  { proto: 6, port: 389, name: 'ldap' },
  { proto: 6, port: 636, name: 'ldaps' },
  { proto: 6, port: 3268, name: 'ldap-gc' },
  { proto: 6, port: 3269, name: 'ldaps-gc' },
  { proto: 17, port: 88, name: 'kerberos' },
  { proto: 17, port: 389, name: 'ldap' },
];

export const ADMIN_ROLE_DEFAULTS: AdminRoleSettings = {
  roleDependentAdminServices: ROLE_DEPENDENT_ADMIN_SERVICES,
  directoryServices: DIRECTORY_SERVICES,
  // "Most groups", the same bar as lifting: infrastructure every department
  // uses clears it however many groups there are, while administration comes
  // from a few admin, backup or deployment groups, a share that shrinks as
  // the estate grows. At 0.5 a role service also clears lifting's group share
  // (liftMinShare); it is lifted when its users also hold half of the hosts.
  roleMinShare: 0.5,
  // One or two client groups are what an admin path looks like (a jump group,
  // a deployment group); three independent groups using SMB or RPC on the
  // same servers is a shared service. It keeps the share from deciding alone
  // in small estates (1 of 2 other groups is 50%).
  roleMinGroups: 3,
  // A file, print or directory server serves whole departments: tens of
  // clients per server. Administration fans out from a handful of consoles,
  // jump hosts or deployment servers to many hosts: fewer clients than
  // servers. Any bar between about 1 and 10 separates the two; 4 keeps a
  // small file cluster (2 servers, 8 users) a role and a 3-host jump group
  // reaching one server administration.
  roleMinClientsPerServer: 4,
};

/** How a server group's service is used, in internal groups other than the server's own. */
export interface ServiceUse {
  /** Other internal groups using the service on the server group. */
  readonly users: number;
  /** Other internal groups in all. */
  readonly others: number;
  /** Distinct internal client hosts (of any group) seen using the service on the server group. */
  readonly clients: number;
  /** Distinct hosts of the server group seen serving it to them. */
  readonly servers: number;
  /** Names of the directory services the server group serves to at least roleMinGroups other groups, sorted, each once. */
  readonly directory: readonly string[];
}

export type AdminRole =
  /** Not an admin service: an ordinary rule. */
  | { readonly kind: 'none' }
  /** Remote administration: just-in-time unless an admin group uses it. */
  | { readonly kind: 'remote-admin' }
  /** A role-dependent service the server group serves widely, or remote administration on a hub: an ordinary rule. */
  | { readonly kind: 'role'; readonly use: ServiceUse }
  /** A role-dependent service the server group does not serve widely: administration. */
  | { readonly kind: 'not-role'; readonly use: ServiceUse }
  /** A role-dependent service into an outside network: the role counts internal groups only, so administration. */
  | { readonly kind: 'outside' };

const listed = (list: readonly NamedService[], proto: number, port: number): boolean => list.some((service) => service.proto === proto && service.port === port);

/**
 * Classifies an admin-listed service on a server group. `use` is asked only
 * for role-dependent services (it costs a few index lookups); 'outside' for
 * a server group that is an outside network.
 */
export function adminRole(
  proto: number,
  port: number,
  settings: AdminRoleSettings & { readonly adminServices: readonly NamedService[] },
  use: (() => ServiceUse) | 'outside',
): AdminRole {
  if (!listed(settings.adminServices, proto, port)) return { kind: 'none' };
  const roleDependent = listed(settings.roleDependentAdminServices, proto, port);
  if (use === 'outside') return roleDependent ? { kind: 'outside' } : { kind: 'remote-admin' };
  const seen = use();
  if (!roleDependent) return isHub(seen, settings) ? { kind: 'role', use: seen } : { kind: 'remote-admin' };
  return isServerRole(seen, settings) ? { kind: 'role', use: seen } : { kind: 'not-role', use: seen };
}

type RoleBars = Pick<AdminRoleSettings, 'roleMinShare' | 'roleMinGroups' | 'roleMinClientsPerServer'>;

/**
 * The role test on its own: ≥ roleMinGroups users, and ≥ roleMinShare of the
 * other groups, ≥ roleMinClientsPerServer, or a directory server; or a hub
 * of ≥ roleMinGroups × roleMinClientsPerServer client hosts, whatever their groups.
 */
export function isServerRole(use: ServiceUse, settings: RoleBars): boolean {
  if (isHub(use, settings)) return true;
  if (use.users < settings.roleMinGroups) return false;
  const share = use.others > 0 && use.users / use.others >= settings.roleMinShare;
  return share || hasFanIn(use, settings) || use.directory.length > 0;
}

/** ≥ roleMinClientsPerServer client hosts per server host. */
const hasFanIn = (use: ServiceUse, settings: RoleBars): boolean => use.servers > 0 && use.clients >= settings.roleMinClientsPerServer * use.servers;

/**
 * A hub: ≥ roleMinGroups × roleMinClientsPerServer client hosts at ≥
 * roleMinClientsPerServer per server, whatever their groups. The one role
 * test remote administration (SSH, RDP…) also takes: forty store servers
 * pulling files over SFTP, or a department's desks on a terminal server,
 * come to the server for what it is. Administration fans out the other
 * way, from a few consoles or jump hosts to many hosts, and never reaches
 * this many clients per server.
 */
export function isHub(use: ServiceUse, settings: RoleBars): boolean {
  return hasFanIn(use, settings) && use.clients >= settings.roleMinGroups * settings.roleMinClientsPerServer;
}

/** The directory services a group serves to at least roleMinGroups other groups, by name. */
export function directoryServed(
  settings: Pick<AdminRoleSettings, 'directoryServices' | 'roleMinGroups'>,
  usersOf: (proto: number, port: number) => number,
): string[] {
  const names = new Set<string>();
  for (const service of settings.directoryServices) if (usersOf(service.proto, service.port) >= settings.roleMinGroups) names.add(service.name);
  return [...names].sort();
}

/**
 * Why a role-dependent service is or is not the server group's role, for
 * the rule's evidence: "smb tcp/445 is the role of g12 (used by 14 of the
 * 17 other internal groups, 180 client hosts on 2 servers; it also serves
 * kerberos, ldap)".
 */
export function describeRole(
  service: string,
  server: string,
  role: Extract<AdminRole, { kind: 'role' | 'not-role' }>,
  settings: RoleBars,
): string {
  const { users, others, clients, servers, directory } = role.use;
  const serves = directory.length > 0 ? `; it also serves ${directory.join(', ')}` : '';
  const hosts = `${clients} client host${clients === 1 ? '' : 's'} on ${servers} server${servers === 1 ? '' : 's'}`;
  const use = `used by ${users} of the ${others} other internal group${others === 1 ? '' : 's'}, ${hosts}${serves}`;
  if (role.kind === 'role') {
    const hub = isHub(role.use, settings) ? `; a hub: ≥ ${settings.roleMinGroups * settings.roleMinClientsPerServer} client hosts at ≥ ${settings.roleMinClientsPerServer} per server` : '';
    return `${service} is the role of ${server} (${use}${hub})`;
  }
  const bar = `a role needs ≥ ${settings.roleMinGroups} groups, and ≥ ${Math.round(settings.roleMinShare * 100)}% of the others, ≥ ${settings.roleMinClientsPerServer} client hosts per server or a directory service beside it, or ≥ ${settings.roleMinGroups * settings.roleMinClientsPerServer} client hosts at ≥ ${settings.roleMinClientsPerServer} per server`;
  return `${service} is not the role of ${server} (${use}; ${bar}): administration`;
}
