import ipaddr from 'ipaddr.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupAddresses, hostsOf } from '../../../src/core/export/group-addresses';
import { windowsTarget } from '../../../src/core/export/windows-target';
import type { ExportNote } from '../../../src/core/export/export-types';
import { Action } from '../../../src/core/flow/record';
import type { PolicyEdge, PolicyHost } from '../../../src/core/policy/policy-input';
import { ALL_INTERNAL, type Policy } from '../../../src/core/policy/policy-model';
import { PolicyEvaluator, type EdgeVerdict } from '../../../src/core/policy/simulate';
import { compareText } from '../../../src/core/util/compare';
import { analyseDemo } from '../../helpers/demo-analysis';
import { parseScript } from '../../helpers/powershell/commands';
import { WindowsFirewall, type FirewallRule } from '../../helpers/powershell/windows-firewall';
import { UNUSED_PORT, UNSEEN_INTERNAL, unseenEdge } from '../../helpers/proof-edges';
import { stageServers } from './stage-servers';

// The exported Windows Firewall scripts allow exactly what the simulator
// permits. The demo's policy, learned by the real engine, is exported; each
// host's script is read back by the test tree's own PowerShell tokenizer and
// run, statement by statement, against a model of Windows Defender Firewall
// (test/helpers/powershell) on a host that starts with its firewall off and
// a stale allow-everything rule from an earlier run. Then every observed
// edge to every exported host, and edges the policy never saw (another
// client, an unused port, an address in no group), is put to the model, and
// its answer must be the simulator's (PolicyEvaluator), read through what
// the export's notes say the target does instead where it cannot express a
// rule. pwsh is not needed: the scripts are never run for real here.


/** What an earlier run left behind: the script must remove it, or everything stays open. */
const STALE_RULE: FirewallRule = { name: 'Flowfence-stale', displayName: 'Flowfence stale', description: '', group: 'Flowfence', enabled: true, direction: 'Inbound', action: 'Allow', protocol: null, localPorts: null, remoteAddresses: null };

interface Case {
  readonly edge: PolicyEdge;
  readonly kind: 'observed' | 'unseen';
  readonly expected: boolean;
  readonly why: string;
}

function listedIn(policy: Policy, groupId: string, client: string): boolean {
  const from = groupAddresses(policy, groupId);
  const address = ipaddr.parse(client);
  return [...from.v4, ...from.v6].some((entry) => {
    if (!entry.includes('/')) return ipaddr.parse(entry).toNormalizedString() === address.toNormalizedString() && ipaddr.parse(entry).kind() === address.kind();
    const [network, bits] = ipaddr.parseCIDR(entry);
    return network.kind() === address.kind() && address.match([network, bits]);
  });
}

/** What the firewall must do with an edge: the simulator's verdict, through the export's documented substitutes. */
function expectation(policy: Policy, verdict: EdgeVerdict, notes: readonly ExportNote[], serverGroup: string): { expected: boolean; why: string } {
  const { edge } = verdict;
  const rule = verdict.rule === null ? null : policy.rules.find((candidate) => candidate.id === verdict.rule)!;
  const noted = (id: string, action: ExportNote['action']): boolean => notes.some((note) => note.rule === id && note.action === action);
  if (verdict.verdict === 'permitted' && verdict.loggedFlows > 0) return { expected: true, why: `logged and let through: ${verdict.reason}` };
  if (verdict.verdict === 'permitted') {
    return listedIn(policy, rule!.from, edge.client) ? { expected: true, why: `permitted by ${rule!.id}` } : { expected: false, why: `permitted by ${rule!.id} for a client placed by label: narrowed to the listed members` };
  }
  if ((verdict.cause === 'window' || verdict.cause === 'identity') && rule !== null && noted(rule.id, 'left-open') && listedIn(policy, rule.from, edge.client)) return { expected: true, why: `${verdict.cause} of ${rule.id}, left open by the export` };
  // Ports the firewall cannot match (SCTP, DCCP) are widened to the whole protocol.
  const widened = policy.rules.find((candidate) => noted(candidate.id, 'widened') && candidate.proto === edge.proto && (candidate.to === serverGroup || candidate.to === ALL_INTERNAL) && candidate.jit === null && listedIn(policy, candidate.from, edge.client));
  if (widened !== undefined) return { expected: true, why: `ports of ${widened.id}, widened by the export` };
  return { expected: false, why: `${verdict.cause ?? verdict.verdict}: ${verdict.reason}` };
}


describe.each([false, true])('exported Windows Firewall scripts, run by an independent model of the firewall (staged: %s)', (staged) => {
  const cases: Case[] = [];
  const answers: boolean[] = [];
  let hostCount = 0;
  let stagedHosts: { ip: string; stage: string; firewall: WindowsFirewall }[] = [];

  beforeAll(async () => {
    const analysis = await analyseDemo();
    const { material } = analysis.policy;
    let policy = analysis.policy.policy;
    if (staged) {
      // One server per group in address order, as the kernel test stages them: the first group observed, the next with two services selective.
      const groupOfIp = hostsOf(policy);
      const served = [...material.edges].filter((edge) => groupOfIp.has(edge.server)).sort((a, b) => compareText(a.server, b.server));
      policy = stageServers(policy, [...new Set(served.map((edge) => edge.server))], served);
    }
    const output = windowsTarget(policy);
    const evaluator = PolicyEvaluator.of(policy);
    const hosts = new Map<string, PolicyHost>(material.hosts);
    const groupOf = hostsOf(policy);

    // The independent side: each host's script, tokenized and run by the test tree's own model.
    const firewalls = new Map<string, WindowsFirewall>();
    for (const [ip] of groupOf) {
      const file = output.files.find((entry) => entry.path === `windows/${ip.replaceAll(':', '_')}.ps1`);
      if (file !== undefined) firewalls.set(ip, WindowsFirewall.run(parseScript(file.content).statements, [STALE_RULE]));
    }
    hostCount = firewalls.size;
    const stages = new Map([...(output.stages?.observed ?? []), ...(output.stages?.selective ?? [])].map((entry) => [entry.group, entry]));
    stagedHosts = [...firewalls].filter(([ip]) => stages.has(groupOf.get(ip)!.id)).map(([ip, firewall]) => ({ ip, stage: policy.groups.find((group) => group.id === groupOf.get(ip)!.id)!.stage!.stage, firewall }));

    const edges = new Map<string, PolicyEdge>();
    for (const edge of [...material.edges, ...material.replay]) {
      if (!firewalls.has(edge.server) || edge.client === edge.server) continue;
      edges.set(`${edge.client}|${edge.server}|${edge.proto}|${edge.port}`, { ...edge, action: Action.allow });
    }
    const add = (edge: PolicyEdge, kind: Case['kind']): void => {
      const verdict = evaluator.verdict(edge, hosts);
      cases.push({ edge, kind, ...expectation(policy, verdict, output.notes, groupOf.get(edge.server)!.id) });
    };
    const sorted = [...edges.values()].sort((a, b) => compareText(`${a.server}|${a.client}|${a.proto}|${a.port}`, `${b.server}|${b.client}|${b.proto}|${b.port}`));
    for (const edge of sorted) add(edge, 'observed');

    const internalClients = [...hosts.values()].filter((host) => host.scope !== 'external').map((host) => host.ip).sort(compareText);
    const services = new Map<string, PolicyEdge>();
    for (const edge of sorted) if (!services.has(`${edge.server}|${edge.proto}|${edge.port}`)) services.set(`${edge.server}|${edge.proto}|${edge.port}`, edge);
    for (const edge of services.values()) {
      // A client that never used this service and that no rule lets use it, and an address in no group.
      const stranger = internalClients.find((client) => client !== edge.server && !edges.has(`${client}|${edge.server}|${edge.proto}|${edge.port}`) && evaluator.verdict(unseenEdge(client, edge.server, edge.proto, edge.port), hosts).verdict === 'escaped');
      if (stranger !== undefined) add(unseenEdge(stranger, edge.server, edge.proto, edge.port), 'unseen');
      add(unseenEdge(UNSEEN_INTERNAL, edge.server, edge.proto, edge.port), 'unseen');
      // The same client on a port nothing opens, over TCP and UDP.
      for (const proto of [6, 17]) add(unseenEdge(edge.client, edge.server, proto, UNUSED_PORT), 'unseen');
    }
    for (const entry of cases) answers.push(firewalls.get(entry.edge.server)!.allowsInbound(entry.edge.client, entry.edge.proto, entry.edge.port));
  }, 240_000);

  it('covers every host with allowed and blocked, observed and never-seen edges', () => {
    expect(hostCount).toBeGreaterThan(10);
    expect(cases.filter((entry) => entry.kind === 'observed').length).toBeGreaterThan(50);
    expect(cases.filter((entry) => entry.kind === 'unseen').length).toBeGreaterThan(50);
    for (const expected of [true, false]) expect(cases.some((entry) => entry.expected === expected)).toBe(true);
    expect(cases.some((entry) => entry.kind === 'observed' && !entry.expected)).toBe(true);
  });

  it.skipIf(!staged)('staged hosts keep inbound allowed by default and log allowed and blocked connections; a selective host blocks its listed service for strangers', () => {
    expect(new Set(stagedHosts.map((host) => host.stage))).toEqual(new Set(['observe', 'selective']));
    for (const { firewall } of stagedHosts) {
      expect(firewall.enabled).toBe(true);
      expect(firewall.defaultInboundAction).toBe('Allow');
      expect([firewall.logAllowed, firewall.logBlocked]).toEqual([true, true]);
      expect(firewall.logFileName).toMatch(/pfirewall\.log$/);
    }
    const selective = new Set(stagedHosts.filter((host) => host.stage === 'selective').map((host) => host.ip));
    const toSelective = cases.map((entry, index) => ({ entry, allowed: answers[index]! })).filter(({ entry }) => selective.has(entry.edge.server));
    expect(toSelective.some(({ entry, allowed }) => !entry.expected && !allowed)).toBe(true);
    expect(toSelective.some(({ entry, allowed }) => entry.why.startsWith('logged') && allowed)).toBe(true);
  });

  it('lets through exactly the edges the simulator permits', () => {
    const disagreements = cases
      .map((entry, index) => ({ entry, allowed: answers[index]! }))
      .filter(({ entry, allowed }) => allowed !== entry.expected)
      .map(({ entry, allowed }) => `${entry.kind} ${entry.edge.client} → ${entry.edge.server} ${entry.edge.proto}/${entry.edge.port}: firewall ${allowed ? 'allows' : 'blocks'}; simulator: ${entry.why}`);
    expect(disagreements.slice(0, 30)).toEqual([]);
  });
});
