// Remote administration from the two jump hosts: SSH into every Linux server,
// RDP and WinRM into every Windows server, a few sessions per server over the
// fortnight, in office hours. Legitimate, and listed in truth.adminEdges.

import type { Estate } from './estate';
import { TCP, type UsageList } from './usage';

export function adminUsages(estate: Estate, list: UsageList): void {
  for (const jump of estate.members('infra|jump')) {
    for (const server of estate.servers()) {
      if (server.group === 'infra|jump') continue;
      if (server.os === 'linux') {
        list.add(jump.ip, server.ip, TCP, 22, 'ssh', 'session', 1, { admin: true });
      } else {
        list.add(jump.ip, server.ip, TCP, 3389, 'rdp', 'session', 1, { admin: true });
        list.add(jump.ip, server.ip, TCP, 5985, 'winrm', 'session', 2, { admin: true });
      }
    }
  }
}
