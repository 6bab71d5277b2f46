import type { Enterprise } from './enterprise';

/**
 * The enterprise's CMDB export as an inventory CSV: servers one row each
 * (hostname, environment, application, tier, owner), workstations one row per
 * department subnet. Like real CMDBs it is incomplete: `omitEvery` leaves out
 * every n-th server.
 */
export function inventoryCsv(enterprise: Enterprise, omitEvery = 0): string {
  const rows = ['ip,hostname,env,app,tier,service,department,os,owner'];
  let serverIndex = 0;
  const departments = new Map<string, string>();
  for (const host of enterprise.hosts) {
    if (host.kind === 'external') continue;
    if (host.kind === 'workstation') {
      const subnet = host.ip.split('.').slice(0, 3).join('.');
      departments.set(`${subnet}.0/24`, host.dept ?? '');
      continue;
    }
    serverIndex++;
    if (omitEvery > 0 && serverIndex % omitEvery === 0) continue;
    const owner = host.app !== undefined ? `${host.app}-team@example.com` : 'infrastructure@example.com';
    rows.push([host.ip, host.name, host.env ?? 'shared', host.app ?? '', host.tier ?? '', host.service ?? '', '', host.os, owner].join(','));
  }
  for (const [cidr, dept] of [...departments.entries()].sort()) rows.push([cidr, '', 'corp', '', '', '', dept, 'windows', `${dept}-it@example.com`].join(','));
  return `${rows.join('\n')}\n`;
}
