import type { AnomalyEdge, AnomalyHost } from '../../../../src/core/discover/anomalies';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Monday 2026-01-05 00:00 UTC. */
export const T0 = Date.UTC(2026, 0, 5);

/** An answered TCP edge with one flow, first seen at T0, last seen a day later, unless `fields` say otherwise. */
export const edge = (client: string, server: string, port: number, fields: Partial<AnomalyEdge> = {}): AnomalyEdge => ({
  client,
  server,
  proto: 6,
  port,
  action: 1,
  flows: 1,
  bytes: 1_000,
  firstMs: T0,
  lastMs: T0 + DAY,
  ...fields,
});

/** Every 10.x, 172.x and fd.. address of the edges is internal; `labels` gives environments. */
export function hostsOf(edges: readonly AnomalyEdge[], labels: Readonly<Record<string, string>> = {}): Map<string, AnomalyHost> {
  const hosts = new Map<string, AnomalyHost>();
  const add = (ip: string): void => {
    if (!hosts.has(ip)) hosts.set(ip, { internal: /^(10\.|172\.|fd)/.test(ip), env: labels[ip] ?? null });
  };
  for (const e of edges) {
    add(e.client);
    add(e.server);
  }
  for (const ip of Object.keys(labels)) add(ip);
  return hosts;
}

/** "kind src → dst" of each anomaly, for compact expectations. */
export const summary = (anomalies: readonly { kind: string; src: string; dst: string }[]): string[] => anomalies.map((a) => `${a.kind} ${a.src} → ${a.dst}`);
