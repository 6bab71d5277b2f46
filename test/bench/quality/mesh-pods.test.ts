import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPOLOGY_DIR } from './generators';
import { buildMeshScenario } from './generators/mesh-pods/index';
import { readMeshApp } from './generators/mesh-pods/services';
import type { ScenarioParams } from './scenario';

// The mesh-pods scenario generator (an Istio mesh on cloud VMs, seen by GCP
// VPC flow logs): its entries have the shape of the real ones, its address
// plan mixes services within a node's /24, its rollout and pod list behave as
// the header says, and it is deterministic. Needs ../shared/data/topologies.

const BOOKINFO = join(TOPOLOGY_DIR, 'istio-bookinfo.json');
const present = existsSync(BOOKINFO);
if (!present) console.warn(`mesh-pods: ${BOOKINFO} not found; the generator's tests are skipped`);

interface Entry {
  readonly jsonPayload: {
    readonly connection: { readonly src_ip: string; readonly dest_ip: string; readonly src_port: number; readonly dest_port: number; readonly protocol: number };
    readonly reporter: string;
    readonly bytes_sent: string;
    readonly packets_sent: string;
    readonly start_time: string;
    readonly end_time: string;
    readonly src_instance?: { readonly vm_name: string };
    readonly dest_instance?: { readonly vm_name: string };
  };
  readonly logName: string;
}

describe.skipIf(!present)('the mesh-pods generator', () => {
  const app = present ? readMeshApp(BOOKINFO) : null;
  const build = (params: Partial<ScenarioParams> = {}) => buildMeshScenario('mesh:istio-bookinfo', app!, { seed: 2, labelCoverage: 0.5, wrongLabelRate: 0, oneWay: false, ...params });
  const scenario = present ? build() : null;
  const entries = (content: string | Uint8Array): Entry[] => String(content).trim().split('\n').map((line) => JSON.parse(line) as Entry);

  it('writes GCP VPC flow log entries: counters as strings, SRC and DEST reports naming the reporting VM', () => {
    const all = scenario!.flows.flatMap((file) => entries(file.content));
    expect(all.length).toBeGreaterThan(1_000);
    for (const entry of all.slice(0, 500)) {
      expect(entry.logName.endsWith('vpc_flows')).toBe(true);
      expect(typeof entry.jsonPayload.bytes_sent).toBe('string');
      expect(typeof entry.jsonPayload.connection.dest_port).toBe('number');
      expect(Date.parse(entry.jsonPayload.end_time)).toBeGreaterThanOrEqual(Date.parse(entry.jsonPayload.start_time));
      const side = entry.jsonPayload.reporter === 'SRC' ? entry.jsonPayload.src_instance : entry.jsonPayload.dest_instance;
      expect(side?.vm_name, JSON.stringify(entry)).toMatch(/^mesh-worker-/);
    }
    // Pod-to-pod traffic is reported by both VMs (when the sampling keeps both).
    const sides = new Map<string, Set<string>>();
    for (const { jsonPayload: p } of all) {
      // Each VM stamps its own report: the same interval to the millisecond, not to the nanosecond.
      const key = `${p.connection.src_ip}:${p.connection.src_port}>${p.connection.dest_ip}:${p.connection.dest_port}@${p.start_time.slice(0, 23)}`;
      sides.set(key, (sides.get(key) ?? new Set()).add(p.reporter));
    }
    expect([...sides.values()].filter((set) => set.size === 2).length).toBeGreaterThan(100);
  });

  it("numbers a node's pods within its own /24, so a /24 mixes services, and replaces a Deployment's pods in a rollout", () => {
    const { groupOfHost } = scenario!.truth;
    const pods = [...groupOfHost].filter(([ip]) => ip.startsWith('10.52.'));
    const servicesPerBlock = new Map<string, Set<string>>();
    for (const [ip, group] of pods) {
      const block = ip.split('.').slice(0, 3).join('.');
      servicesPerBlock.set(block, (servicesPerBlock.get(block) ?? new Set()).add(group));
    }
    expect([...servicesPerBlock.values()].some((services) => services.size >= 2)).toBe(true);
    // The pod list is taken after the capture: the pods a rollout replaced are not in it.
    const listed = JSON.parse(String(build({ labelCoverage: 1 }).pods[0]!.content)) as { items: { kind: string; status?: { podIP: string } }[] };
    const listedIps = new Set(listed.items.filter((item) => item.kind === 'Pod').map((item) => item.status!.podIP));
    const appPods = pods.filter(([, group]) => group.startsWith('svc|')).map(([ip]) => ip);
    expect(appPods.filter((ip) => !listedIps.has(ip)).length).toBeGreaterThan(0);
  });

  it('labels that share of the services with the recommended labels, some wrong on request; none at coverage 0', () => {
    expect(build({ labelCoverage: 0 }).pods).toEqual([]);
    const items = (JSON.parse(String(build({ labelCoverage: 1, wrongLabelRate: 0.05 }).pods[0]!.content)) as { items: { kind: string; metadata: { name: string; labels: Record<string, string> } }[] }).items;
    const named = items.filter((item) => item.kind === 'Pod' && item.metadata.labels['app.kubernetes.io/name'] !== undefined);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((item) => !item.metadata.name.startsWith(item.metadata.labels['app.kubernetes.io/name']!)).length).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic, plants attacks outside the legitimate edges, and keeps only the requests in a one-way capture', () => {
    expect(build().flows.map((file) => file.content)).toEqual(scenario!.flows.map((file) => file.content));
    // No legitimate SSH, and the exfiltration's address is used by nothing legitimate (a sweep may reach a peer the scanner also calls).
    const legitimate = [...scenario!.truth.legitimateEdges];
    expect(legitimate.filter((edge) => edge.endsWith('|6|22'))).toEqual([]);
    const exfiltration = scenario!.truth.attacks.find((attack) => attack.kind === 'exfiltration')!;
    expect(legitimate.filter((edge) => edge.split('|')[1] === exfiltration.dsts[0])).toEqual([]);
    expect(scenario!.truth.attacks.map((attack) => attack.kind).sort()).toEqual(['exfiltration', 'lateral-movement', 'scan']);
    const oneWay = build({ oneWay: true }).flows.flatMap((file) => entries(file.content));
    expect(oneWay.every((entry) => entry.jsonPayload.connection.dest_port < 32768)).toBe(true);
  });
});
