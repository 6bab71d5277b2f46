import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containsCidr } from 'cidr-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPolicy } from '../../../src/core/export/export-policy';
import { groupAddresses, hostsOf } from '../../../src/core/export/group-addresses';
import { Action } from '../../../src/core/flow/record';
import type { PolicyEdge, PolicyHost } from '../../../src/core/policy/policy-input';
import { serviceCovers } from '../../../src/core/policy/enforcement-stage';
import type { Policy, PolicyService } from '../../../src/core/policy/policy-model';
import { stageLogPrefix, stagedGroups } from '../../../src/core/export/stage-plan';
import { PolicyEvaluator, type EdgeVerdict } from '../../../src/core/policy/simulate';
import { isIpv6 } from '../../../src/core/net/ip';
import { compareText } from '../../../src/core/util/compare';
import { analyseDemo } from '../../helpers/demo-analysis';
import type { LabHost, LabProbe, LabProbeResult, LabProto } from '../../helpers/netns-lab/lab-protocol';
import { labFirewall, labProblem, runLab } from '../../helpers/netns-lab/run-lab';
import { UNUSED_PORT, UNSEEN_INTERNAL, unseenEdge } from '../../helpers/proof-edges';
import { stageServers } from './stage-servers';

// The exported host firewalls (nftables and iptables) behave in the kernel
// as the simulator says. The demo's policy, learned by the real engine, is
// exported; a dozen of its servers (one per group) each get a network
// namespace of their own on a bridge, load their own exported ruleset and
// listen on real TCP and UDP ports; every other client address sits in one
// more namespace without a firewall. Then every observed TCP and UDP edge to
// those servers, and edges the policy never saw (other clients, unused
// ports, an address in no group), is tried for real, and the kernel's answer
// must be the one the simulator (PolicyEvaluator) gives, read through what
// the export report says the target does instead where it cannot express a
// rule.
//
// Staged: the same, with the first server's group observed and the next
// group serving two services or more selective on one of them
// (applyStageDecision, as `flowfence stage` does). The simulator then lets
// the observed host's would-be drops pass, and the selective host's other
// services; the kernel must agree, and the host's counters must show the
// logging rule met exactly the probes enforcement would have dropped.

const LOADERS = [
  { target: 'nftables', loader: 'nft', file: (ip: string) => `nftables/${ip}.nft` },
  { target: 'iptables', loader: 'iptables-restore', file: (ip: string) => `iptables/${ip}.v4.rules` },
] as const;
const TARGETS = LOADERS.flatMap((loader) => [
  { ...loader, staged: false, title: `${loader.target} enforced` },
  { ...loader, staged: true, title: `${loader.target} with an observed and a selective group` },
]);
const problems = new Map(LOADERS.map(({ target, loader }) => [target, labProblem(loader)]));
for (const [target, problem] of problems) if (problem !== null) console.warn(`${target} kernel test skipped: ${problem}`);

/** Servers tried: one per group, enough for every kind of rule the demo has, few enough for two cores. */
const MAX_SERVERS = 12;
const PROTOS: Readonly<Record<number, LabProto>> = { 6: 'tcp', 17: 'udp' };

interface Case {
  readonly probe: LabProbe;
  readonly kind: 'observed' | 'unseen';
  readonly expected: boolean;
  readonly why: string;
}

const folder = mkdtempSync(join(tmpdir(), 'flowfence-kernel-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** What the kernel must do with an edge: the simulator's verdict, through the export's documented substitutes. */
function expectation(policy: Policy, verdict: EdgeVerdict, leftOpen: ReadonlySet<string>): { expected: boolean; why: string } {
  const rule = verdict.rule === null ? null : policy.rules.find((candidate) => candidate.id === verdict.rule)!;
  if (verdict.verdict === 'permitted' && verdict.loggedFlows > 0) return { expected: true, why: `logged and let through: ${verdict.reason}` };
  if (verdict.verdict === 'permitted') {
    const from = groupAddresses(policy, rule!.from);
    const listed = [...from.v4, ...from.v6].some((entry) => containsCidr(entry, verdict.edge.client));
    return listed ? { expected: true, why: `permitted by ${rule!.id}` } : { expected: false, why: `permitted by ${rule!.id} for a client placed by label: narrowed to the listed members` };
  }
  if ((verdict.cause === 'window' || verdict.cause === 'identity') && rule !== null && leftOpen.has(rule.id)) return { expected: true, why: `${verdict.cause} of ${rule.id}, left open by the export` };
  return { expected: false, why: `${verdict.cause ?? verdict.verdict}: ${verdict.reason}` };
}

/** The demo analysed once for both targets. */
let analysed: ReturnType<typeof analyseDemo> | null = null;
const demo = (): ReturnType<typeof analyseDemo> => (analysed ??= analyseDemo());

describe.each(TARGETS)('exported $title rulesets in the kernel (skipped where user and network namespaces or $loader are unavailable)', ({ target, loader, file, staged }) => {
  const cases: Case[] = [];
  let results: readonly LabProbeResult[] = [];
  let listings: Readonly<Record<string, string>> = {};
  /** Staged servers; a selective one with the services it enforces (its stage's ids looked up in policy.services). */
  let stagedServers: { ip: string; stage: 'observe' | 'selective'; prefix: string; services: readonly PolicyService[] }[] = [];

  beforeAll(async () => {
    if (problems.get(target) !== null) return;
    const analysis = await demo();
    const { material } = analysis.policy;
    let policy = analysis.policy.policy;
    const hosts = new Map<string, PolicyHost>(material.hosts);
    const v4 = (ip: string): boolean => !isIpv6(ip);

    const edges = new Map<string, PolicyEdge>();
    for (const edge of [...material.edges, ...material.replay]) {
      if (PROTOS[edge.proto] === undefined || edge.port <= 0 || !v4(edge.client) || !v4(edge.server)) continue;
      edges.set(`${edge.client}|${edge.server}|${edge.proto}|${edge.port}`, edge);
    }
    // One server per group (its lowest address that serves an observed edge).
    const servedBy = new Set([...edges.values()].map((edge) => edge.server));
    const servers: string[] = [];
    const seenGroups = new Set<string>();
    for (const [ip, group] of [...hostsOf(policy)].sort((a, b) => compareText(a[1].id, b[1].id) || compareText(a[0], b[0]))) {
      if (servers.length === MAX_SERVERS || seenGroups.has(group.id) || !servedBy.has(ip) || !v4(ip)) continue;
      seenGroups.add(group.id);
      servers.push(ip);
    }
    const chosen = new Set(servers);
    if (staged) {
      policy = stageServers(policy, servers, edges.values());
      const byGroup = new Map(stagedGroups(policy).map((group) => [group.group.id, group]));
      const groupOf = hostsOf(policy);
      stagedServers = servers.flatMap((ip) => {
        const group = byGroup.get(groupOf.get(ip)!.id);
        if (group === undefined) return [];
        // Looked up here, not taken from stagedGroups: the test reads the policy itself rather than the export's reading of it.
        const services = (group.group.stage?.services ?? []).map((service) => policy.services.find((candidate) => candidate.id === service)!);
        return [{ ip, stage: group.stage, prefix: stageLogPrefix(group), services }];
      });
    }
    const exported = exportPolicy(policy, { targets: [target], logDrops: false });
    const leftOpen = new Set(exported.report.notes.filter((note) => note.action === 'left-open' && note.rule !== null).map((note) => note.rule!));
    const evaluator = PolicyEvaluator.of(policy);

    let id = 0;
    const add = (edge: PolicyEdge, kind: Case['kind']): void => {
      const verdict = evaluator.verdict({ ...edge, action: Action.allow }, hosts);
      cases.push({ probe: { id: id++, from: edge.client, to: edge.server, proto: PROTOS[edge.proto]!, port: edge.port }, kind, ...expectation(policy, verdict, leftOpen) });
    };
    for (const edge of [...edges.values()].sort((a, b) => compareText(`${a.server}|${a.client}|${a.proto}|${a.port}`, `${b.server}|${b.client}|${b.proto}|${b.port}`))) {
      if (chosen.has(edge.server) && edge.client !== edge.server) add(edge, 'observed');
    }
    const internalClients = [...hosts.values()].filter((host) => host.scope !== 'external' && v4(host.ip)).map((host) => host.ip).sort(compareText);
    for (const server of servers) {
      const services = [...new Map(cases.filter((entry) => entry.probe.to === server).map((entry) => [`${entry.probe.proto}/${entry.probe.port}`, entry.probe])).values()];
      for (const service of services) {
        const proto = service.proto === 'tcp' ? 6 : 17;
        // A client that never used this service and that no rule lets use it.
        const stranger = internalClients.find((client) => client !== server && !edges.has(`${client}|${server}|${proto}|${service.port}`) && evaluator.verdict(unseenEdge(client, server, proto, service.port), hosts).verdict === 'escaped');
        if (stranger !== undefined) add(unseenEdge(stranger, server, proto, service.port), 'unseen');
        add(unseenEdge(UNSEEN_INTERNAL, server, proto, service.port), 'unseen');
      }
      const regular = cases.find((entry) => entry.probe.to === server && entry.kind === 'observed' && entry.expected);
      if (regular !== undefined) for (const proto of [6, 17]) add(unseenEdge(regular.probe.from, server, proto, UNUSED_PORT), 'unseen');
    }

    const labHosts: LabHost[] = servers.map((ip) => ({
      name: ip,
      addresses: [ip],
      firewall: labFirewall(folder, `${target}-${ip}`, loader, exported.files.find((entry) => entry.path === file(ip))!.content),
      listen: [...new Map(cases.filter((entry) => entry.probe.to === ip).map((entry) => [`${entry.probe.proto}/${entry.probe.port}`, { proto: entry.probe.proto, port: entry.probe.port }])).values()],
    }));
    const others = [...new Set(cases.map((entry) => entry.probe.from))].filter((ip) => !chosen.has(ip)).sort(compareText);
    labHosts.push({ name: 'other clients', addresses: others, firewall: null, listen: [] });
    ({ results, listings } = await runLab({ hosts: labHosts, probes: cases.map((entry) => entry.probe), timeoutMs: 1500 }));
  }, 240_000);

  it.skipIf(problems.get(target) !== null)('tries a dozen servers with permitted, blocked and never-seen edges over TCP and UDP', () => {
    const servers = new Set(cases.map((entry) => entry.probe.to));
    expect(servers.size).toBeGreaterThanOrEqual(8);
    for (const proto of ['tcp', 'udp'] as const) {
      for (const expected of [true, false]) expect(cases.some((entry) => entry.probe.proto === proto && entry.expected === expected), `${proto} ${expected}`).toBe(true);
    }
    expect(cases.some((entry) => entry.kind === 'observed' && !entry.expected)).toBe(true);
    expect(cases.filter((entry) => entry.kind === 'unseen').length).toBeGreaterThan(20);
  });

  it.skipIf(problems.get(target) !== null)('the kernel lets through exactly the edges the simulator permits', () => {
    const disagreements = cases
      .map((entry, index) => ({ entry, result: results[index]! }))
      .filter(({ entry, result }) => result.reached !== entry.expected)
      .map(({ entry, result }) => `${entry.kind} ${entry.probe.from} → ${entry.probe.to} ${entry.probe.proto}/${entry.probe.port}: kernel ${result.reached ? 'let it through' : 'dropped it'} (${result.detail}); simulator: ${entry.why}`);
    expect(disagreements).toEqual([]);
  });

  it.skipIf(problems.get(target) !== null)('every packet let through met a listener: a reached edge is a real connection or echo', () => {
    for (const result of results) if (result.reached) expect(['connected', 'echoed']).toContain(result.detail);
  });

  it.skipIf(problems.get(target) !== null || !staged)('an observed host lets every probe through, and its logging rule counted at least every would-be drop', () => {
    const observed = stagedServers.find((server) => server.stage === 'observe')!;
    const toIt = cases.map((entry, index) => ({ entry, result: results[index]! })).filter(({ entry }) => entry.probe.to === observed.ip);
    expect(toIt.length).toBeGreaterThan(0);
    for (const { result } of toIt) expect(result.reached).toBe(true);
    const wouldDrop = toIt.filter(({ entry }) => entry.why.startsWith('logged')).length;
    expect(wouldDrop).toBeGreaterThan(0);
    expect(loggedPackets(listings[observed.ip]!, observed.prefix)).toBeGreaterThanOrEqual(wouldDrop);
  });

  it.skipIf(problems.get(target) !== null || !staged)('a selective host drops only on its listed services, lets its other services through (a stranger too) and logs them', () => {
    const selective = stagedServers.find((server) => server.stage === 'selective')!;
    const toIt = cases.map((entry, index) => ({ entry, result: results[index]! })).filter(({ entry }) => entry.probe.to === selective.ip);
    const listed = ({ probe }: Case): boolean => selective.services.some((service) => serviceCovers(service, probe.proto === 'tcp' ? 6 : 17, probe.port));
    expect(selective.services.length).toBeGreaterThan(0);
    // Every drop is on a listed service: the host enforces those and nothing else.
    const dropped = toIt.filter(({ result }) => !result.reached);
    expect(dropped.length).toBeGreaterThan(0);
    for (const { entry } of dropped) expect(listed(entry), `${entry.probe.from} → ${entry.probe.proto}/${entry.probe.port} dropped`).toBe(true);
    // A stranger (a client never seen on this host) still gets through on an unlisted service: that service is only observed.
    const clients = new Set(toIt.filter(({ entry }) => entry.kind === 'observed').map(({ entry }) => entry.probe.from));
    const strangers = toIt.filter(({ entry }) => entry.kind === 'unseen' && !listed(entry) && !clients.has(entry.probe.from));
    expect(strangers.length).toBeGreaterThan(0);
    for (const { entry, result } of strangers) expect(result.reached, `${entry.probe.from} → ${entry.probe.proto}/${entry.probe.port}`).toBe(true);
    const logged = toIt.filter(({ entry }) => entry.why.startsWith('logged'));
    expect(logged.length).toBeGreaterThan(0);
    for (const { result } of logged) expect(result.reached).toBe(true);
    expect(loggedPackets(listings[selective.ip]!, selective.prefix)).toBeGreaterThanOrEqual(logged.length);
  });
});

/**
 * Packets that reached a staged group's logging point, from the host's
 * ruleset listing. nft: the rule that counts every packet and logs at most
 * 10 a second (the next rule accepts).
 * iptables: the ACCEPT after the LOG rule (LOG is rate-limited, so its own
 * counter may be lower; a LOG that never matched fails the count).
 */
function loggedPackets(listing: string, prefix: string): number {
  const nft = new RegExp(`counter packets (\\d+) bytes \\d+ limit rate 10/second (?:burst \\d+ packets )?log prefix "${prefix}"`).exec(listing);
  if (nft !== null) return Number(nft[1]);
  const lines = listing.split('\n');
  const log = lines.findIndex((line) => line.includes(`--log-prefix "${prefix}"`));
  if (log < 0 || /^\[0:/.test(lines[log]!)) return 0;
  const accept = /^\[(\d+):\d+\] .* -j ACCEPT$/.exec(lines[log + 1] ?? '');
  return accept === null ? 0 : Number(accept[1]);
}
