// What people's desktops do while they are switched on (the domain traffic
// is in usages-infra.ts): the web tiers of their department's applications,
// the file server, the web proxies and a few SaaS addresses directly, and for
// administrators, RDP to the jump hosts and the monitoring consoles.

import { INTERNET } from './address-plan';
import { DEPARTMENTS } from './catalogue';
import type { Estate } from './estate';
import { TCP, type UsageList } from './usage';

export function deskUsages(estate: Estate, list: UsageList): void {
  const fileServer = estate.members('infra|files')[0]!;
  const proxies = estate.members('infra|proxy');
  const jumps = estate.members('infra|jump');
  const monitoring = estate.members('infra|monitoring')[0]!;
  for (const dept of DEPARTMENTS) {
    for (const desk of estate.members(`dept|${dept.name}`)) {
      list.add(desk.ip, fileServer.ip, TCP, 445, 'smb', 'desk', 0.8);
      proxies.forEach((proxy, i) => list.add(desk.ip, proxy.ip, TCP, 3128, 'proxy', 'desk', i === 0 ? 1 : 0.5));
      for (const saas of INTERNET.saas) list.add(desk.ip, saas, TCP, 443, 'web', 'desk', 0.5);
      for (const app of dept.prodApps) {
        const webs = estate.members(`prod|${app}|web`);
        // Everyone books leave in HR; the department's own applications see most of its day.
        const rate = app === 'hr' ? 0.25 : 1;
        for (const web of webs) list.add(desk.ip, web.ip, TCP, 443, 'web', 'desk', rate / webs.length);
      }
      for (const app of dept.devApps) {
        for (const web of estate.members(`dev|${app}|web`)) list.add(desk.ip, web.ip, TCP, 443, 'web', 'desk', 0.35);
      }
      if (!desk.admin) continue;
      for (const jump of jumps) list.add(desk.ip, jump.ip, TCP, 3389, 'rdp', 'desk', 0.2, { admin: true });
      list.add(desk.ip, monitoring.ip, TCP, 3000, 'web', 'desk', 0.4);
      // The Prometheus console itself, on 9090: the same port as the applications' Thrift and gRPC services.
      list.add(desk.ip, monitoring.ip, TCP, 9090, 'web', 'desk', 0.15);
    }
  }
}
