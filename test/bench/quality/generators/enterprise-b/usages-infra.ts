// Everyday infrastructure: Active Directory for every Windows host, DNS, NTP,
// logging, monitoring, patching and the internet egress of the shared
// services. All of it is legitimate and none of it is administration, even
// where it runs over SMB or RPC.

import { INTERNET } from './address-plan';
import type { Estate, Host } from './estate';
import type { Rng } from './random';
import { TCP, UDP, type Rhythm, type UsageList } from './usage';
import type { TrafficKind } from './traffic-kinds';

/** What a domain member asks of a domain controller, with connections per hour to its preferred DC. */
const DOMAIN_SERVICES: readonly { proto: 6 | 17; port: number; kind: TrafficKind; desk: number; server: number }[] = [
  { proto: UDP, port: 53, kind: 'dns', desk: 1.2, server: 0.35 },
  { proto: TCP, port: 88, kind: 'kerberos', desk: 0.5, server: 0.25 },
  { proto: UDP, port: 88, kind: 'kerberos', desk: 0.15, server: 0.06 },
  { proto: TCP, port: 389, kind: 'ldap', desk: 0.45, server: 0.25 },
  { proto: UDP, port: 389, kind: 'ldap', desk: 0.25, server: 0.08 },
  // Group policy and SYSVOL: SMB every 90 minutes or so, and the RPC endpoint mapper.
  { proto: TCP, port: 445, kind: 'smb', desk: 0.3, server: 0.1 },
  { proto: TCP, port: 135, kind: 'rpc', desk: 0.2, server: 0.08 },
  { proto: TCP, port: 3268, kind: 'ldap', desk: 0.12, server: 0.03 },
];

/** The other DCs get this share of a member's requests (DC locator spreads them). */
const SECONDARY_SHARE = 0.15;

function domainMember(list: UsageList, member: Host, dcs: readonly Host[], rng: Rng, rhythm: Rhythm): void {
  const preferred = rng.pick(dcs);
  const desk = member.role === 'workstation';
  for (const dc of dcs) {
    const share = dc === preferred ? 1 : SECONDARY_SHARE;
    for (const service of DOMAIN_SERVICES) {
      // Global catalog lookups come from desktops (Outlook, searches), not servers.
      if (!desk && service.port === 3268) continue;
      list.add(member.ip, dc.ip, service.proto, service.port, service.kind, rhythm, (desk ? service.desk : service.server) * share);
    }
  }
  // Windows time follows the domain hierarchy: members ask their DC.
  list.add(member.ip, preferred.ip, UDP, 123, 'ntp', rhythm, desk ? 0.1 : 0.2);
}

export function infrastructureUsages(estate: Estate, list: UsageList, rng: Rng): void {
  const one = (group: string): Host => estate.members(group)[0]!;
  const dcs = estate.members('infra|dc');
  const resolvers = estate.members('infra|dns');
  const ntp = one('infra|ntp');
  const logs = one('infra|logs');
  const monitoring = one('infra|monitoring');
  const wsus = one('infra|wsus');
  const apt = one('infra|aptproxy');

  for (const host of estate.hosts) {
    if (host.os === 'windows' && host.group !== 'infra|dc') {
      domainMember(list, host, dcs, rng, host.role === 'workstation' ? 'desk' : 'steady');
    }
    if (host.role !== 'server') continue;
    // Prometheus scrapes every server: node exporter on Linux, windows_exporter on Windows.
    list.add(monitoring.ip, host.ip, TCP, host.os === 'linux' ? 9100 : 9182, 'scrape', 'steady', 0.25);
    if (host.os === 'linux') {
      const [first, second] = rng.shuffle(resolvers);
      list.add(host.ip, first!.ip, UDP, 53, 'dns', 'steady', 0.3);
      list.add(host.ip, second!.ip, UDP, 53, 'dns', 'steady', 0.08);
      list.add(host.ip, ntp.ip, UDP, 123, 'ntp', 'steady', 0.12);
      list.add(host.ip, logs.ip, UDP, 514, 'syslog', 'steady', 0.25);
      list.add(host.ip, apt.ip, TCP, 3142, 'update', 'steady', 0.03);
    } else {
      list.add(host.ip, logs.ip, TCP, 6514, 'tlsLog', 'steady', 0.2);
      list.add(host.ip, wsus.ip, TCP, 8530, 'update', 'steady', 0.06);
    }
  }

  // Domain controllers replicate with each other, forward outside names to the resolvers, and keep time.
  const [pdc] = dcs;
  for (const dc of dcs) {
    for (const peer of dcs) {
      if (peer === dc) continue;
      list.add(dc.ip, peer.ip, TCP, 135, 'rpc', 'steady', 0.3);
      list.add(dc.ip, peer.ip, TCP, 389, 'ldap', 'steady', 0.25);
      list.add(dc.ip, peer.ip, TCP, 88, 'kerberos', 'steady', 0.15);
      list.add(dc.ip, peer.ip, UDP, 53, 'dns', 'steady', 0.2);
    }
    for (const resolver of resolvers) list.add(dc.ip, resolver.ip, UDP, 53, 'dns', 'steady', 0.5);
    if (dc === pdc) list.add(dc.ip, ntp.ip, UDP, 123, 'ntp', 'steady', 0.5);
    else list.add(dc.ip, pdc!.ip, UDP, 123, 'ntp', 'steady', 0.3);
  }

  // The shared services' own way out.
  for (const resolver of resolvers) list.add(resolver.ip, INTERNET.upstreamDns, UDP, 53, 'dns', 'steady', 2.5);
  list.add(ntp.ip, INTERNET.upstreamNtp, UDP, 123, 'ntp', 'steady', 0.5);
  for (const mirror of INTERNET.aptMirrors) list.add(apt.ip, mirror, TCP, 80, 'update', 'steady', 0.3);
  list.add(wsus.ip, INTERNET.microsoftUpdate, TCP, 443, 'update', 'steady', 0.3);
  for (const proxy of estate.members('infra|proxy')) {
    INTERNET.proxyUpstreams.forEach((upstream, i) => {
      list.add(proxy.ip, upstream, TCP, 443, 'proxy', 'business', 1.2);
      if (i < 3) list.add(proxy.ip, upstream, TCP, 80, 'proxy', 'business', 0.3);
    });
  }
}
