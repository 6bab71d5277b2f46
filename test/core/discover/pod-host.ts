// A hand-made host for discovery's tests: its labels as a record, and the workload a pod list would give it.
import type { ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';

export const podHost = (ip: string, labels: Record<string, string> = {}, workload?: string): ProfileHost => ({
  ip,
  sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'),
  labels: Object.entries(labels).map(([key, value]) => ({ key, value })),
  ...(workload === undefined ? {} : { workload }),
});

export const tcp = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });
