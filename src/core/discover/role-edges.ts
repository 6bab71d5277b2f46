import { HOST_FEATURE_DEFAULTS, serviceText, type ProfileEdge } from './host-features';
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
