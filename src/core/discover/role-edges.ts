import { HOST_FEATURE_DEFAULTS, serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { collectorServicesOf, probersOf } from './idle-replicas';

const ADMIN_SERVICES = new Set<string>(HOST_FEATURE_DEFAULTS.adminServices);

/** Remote administration (SSH, RDP, WinRM…: HOST_FEATURE_DEFAULTS.adminServices): what operators do to a host, nobody's role. */
export const isAdminService = (edge: Pick<ProfileEdge, 'proto' | 'port'>): boolean => ADMIN_SERVICES.has(serviceText(edge.proto, edge.port));

/**
 * The edges that say what a host is for, as the group joins read them: not
 * a host talking to itself, not remote administration, and as asked, not a
 * prober's checks (a node's kubelet says where a pod runs) nor the scrape
 * agents most servers offer (what every server does is no one's role).
 */
export function roleEdgesOf(edges: readonly ProfileEdge[], leaveOut: { readonly probers?: boolean; readonly collectors?: boolean } = {}): ProfileEdge[] {
  const probers = leaveOut.probers === true ? probersOf(edges) : new Set<string>();
  const collectors = leaveOut.collectors === true ? collectorServicesOf(edges) : new Set<string>();
  return edges.filter((edge) => edge.client !== edge.server && !probers.has(edge.client) && !isAdminService(edge) && !collectors.has(`${edge.proto}/${edge.port}`));
}

/**
 * What each host does, remote administration and a host's talk to itself
 * aside: every service it answers on, to anyone (probes and scrapes too),
 * and every service it uses on each server (identity-subsets.ts,
 * role-equivalence.ts).
 */
export interface HostRoles {
  readonly answers: ReadonlyMap<number, ReadonlySet<string>>;
  readonly uses: ReadonlyMap<number, readonly { readonly service: string; readonly server: string }[]>;
}

export function hostRoles(features: Pick<HostFeatures, 'hosts'>, edges: readonly ProfileEdge[]): HostRoles {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const answers = new Map<number, Set<string>>();
  const uses = new Map<number, { service: string; server: string }[]>();
  for (const edge of edges) {
    if (edge.client === edge.server || isAdminService(edge)) continue;
    const service = serviceText(edge.proto, edge.port);
    const server = hostIndex.get(edge.server);
    if (server !== undefined) {
      let set = answers.get(server);
      if (set === undefined) answers.set(server, (set = new Set()));
      set.add(service);
    }
    const client = hostIndex.get(edge.client);
    if (client === undefined) continue;
    let list = uses.get(client);
    if (list === undefined) uses.set(client, (list = []));
    list.push({ service, server: edge.server });
  }
  return { answers, uses };
}
