import type { Enterprise } from './enterprise';

/** Every client→server service edge the enterprise can produce: "client|server|proto|port". */
export function truthEdgeKeys(enterprise: Enterprise): Set<string> {
  const keys = new Set<string>();
  for (const use of enterprise.uses) {
    for (const server of use.servers) keys.add(`${use.client.ip}|${server.ip}|${use.proto}|${use.port}`);
  }
  for (const incident of enterprise.incidents ?? []) {
    for (const target of incident.targets) keys.add(`${incident.client.ip}|${target.server.ip}|${incident.proto}|${target.port}`);
  }
  return keys;
}
