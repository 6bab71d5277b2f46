import type { Policy } from '../policy/policy-model';
import type { ExportFile, TargetOutput } from './export-types';
import { hostFileName, planHostFirewalls, type PlanEntry, type StageTail } from './host-firewall-plan';
import type { IptFamily, IptLine } from './iptables-model';
import { printIptables } from './iptables-print';

export interface IptablesOptions {
  /** Log what INPUT drops (prefix "flowfence drop: "), before the policy drops it. */
  readonly logDrops: boolean;
}

const NEIGHBOUR_DISCOVERY = ['router-solicitation', 'router-advertisement', 'neighbour-solicitation', 'neighbour-advertisement'];

/**
 * iptables: per host a complete filter table for each family
 * (`iptables/<ip>.v4.rules` for iptables-restore, `.v6.rules` for
 * ip6tables-restore: INPUT drops by default, established and related
 * traffic, loopback and IPv6 neighbour discovery accepted), and
 * `iptables/all.v4.rules` / `all.v6.rules` for every host. Each rule's
 * clients form a chain of their own (FF-S1…, one per distinct address
 * list, like nftables sets): INPUT matches the rule's protocol and ports,
 * names the rule in a comment and jumps to its clients' chain, which
 * accepts a listed source and otherwise returns. The plan (and its notes)
 * is the one the nftables target prints. Where a staged group serves, its
 * tail comes before the default drop: a selective group's listed services
 * dropped, everything else logged with the group's prefix (rate-limited,
 * as LOG is) and accepted; the ACCEPT is a rule of its own, so the rate
 * limit thins the log, never the traffic.
 */
export function iptablesTarget(policy: Policy, options: IptablesOptions): TargetOutput {
  const plan = planHostFirewalls(policy, 'iptables');
  const files: ExportFile[] = [];
  const write = (name: string, title: string, entries: readonly PlanEntry[], tails: readonly StageTail[]): void => {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const familyTails = tails.filter((tail) => tail.family === null || (tail.family === 'ip') === (family === 'ipv4'));
      const header = [...plan.header(title), ...familyTails.map((tail) => `stage: ${tail.comment}; log prefix "${tail.logPrefix.trimEnd()}"`)];
      files.push({ path: `iptables/${name}.${family === 'ipv4' ? 'v4' : 'v6'}.rules`, content: buildRuleset(header, family, entries, familyTails, options) });
    }
  };
  for (const host of plan.hosts) write(hostFileName(host.ip), `Flowfence filter table for ${host.ip} (group ${host.group.id})`, host.entries, host.tail === null ? [] : [host.tail]);
  write('all', 'Flowfence filter table for every host: each rule matches its servers by destination', plan.all, plan.allTails);
  return { files, notes: plan.notes, rulesExported: plan.rulesExported, rulesSkipped: plan.rulesSkipped, stages: plan.coverage };
}

function buildRuleset(header: readonly string[], family: IptFamily, entries: readonly PlanEntry[], tails: readonly StageTail[], options: IptablesOptions): string {
  const chains: string[] = [];
  const chainLines: IptLine[] = [];
  const chainByKey = new Map<string, string>();
  const sourcesChain = (sources: readonly string[]): string => {
    const key = sources.join(',');
    let chain = chainByKey.get(key);
    if (chain === undefined) {
      chain = `FF-S${chains.length + 1}`;
      chainByKey.set(key, chain);
      chains.push(chain);
      for (const source of sources) chainLines.push({ kind: 'rule', chain, match: { source }, verdict: { kind: 'accept' } });
    }
    return chain;
  };
  const input: IptLine[] = [
    { kind: 'rule', chain: 'INPUT', match: { ctstate: 'RELATED,ESTABLISHED' }, verdict: { kind: 'accept' } },
    { kind: 'rule', chain: 'INPUT', match: { ctstate: 'INVALID' }, verdict: { kind: 'drop' } },
    { kind: 'rule', chain: 'INPUT', match: { inInterface: 'lo' }, verdict: { kind: 'accept' } },
  ];
  if (family === 'ipv6') for (const type of NEIGHBOUR_DISCOVERY) input.push({ kind: 'rule', chain: 'INPUT', match: { icmpv6Type: type }, verdict: { kind: 'accept' } });
  for (const entry of entries) {
    if ((entry.family === 'ip') !== (family === 'ipv4')) continue;
    const chain = sourcesChain(entry.sources);
    if (entry.closed) {
      input.push({ kind: 'remark', text: `just-in-time, closed: ${entry.rule.id} would accept the sources of ${chain}${entry.targets === null ? '' : ` to ${entry.targets.join(' ')}`} on ${entry.rule.service}` });
      continue;
    }
    for (const destination of entry.targets ?? [undefined]) {
      input.push({ kind: 'rule', chain: 'INPUT', match: { destination, transport: entry.transport, comment: entry.comment }, verdict: { kind: 'jump', chain } });
    }
  }
  for (const tail of tails) {
    for (const destination of tail.targets ?? [undefined]) {
      for (const transport of tail.enforced) {
        // ICMP of the other family cannot reach this table (ip6tables would name ICMPv4 as next header 1, which never occurs).
        if (transport.kind === 'protocol' && ((transport.number === 1 && family === 'ipv6') || (transport.number === 58 && family === 'ipv4'))) continue;
        if (options.logDrops) input.push({ kind: 'rule', chain: 'INPUT', match: { destination, transport, comment: tail.comment }, verdict: { kind: 'log', prefix: 'flowfence drop: ' } });
        input.push({ kind: 'rule', chain: 'INPUT', match: { destination, transport, comment: tail.comment }, verdict: { kind: 'drop' } });
      }
      input.push({ kind: 'rule', chain: 'INPUT', match: { destination, comment: tail.comment }, verdict: { kind: 'log', prefix: tail.logPrefix } });
      input.push({ kind: 'rule', chain: 'INPUT', match: { destination, comment: tail.comment }, verdict: { kind: 'accept' } });
    }
  }
  if (options.logDrops) input.push({ kind: 'rule', chain: 'INPUT', match: {}, verdict: { kind: 'log', prefix: 'flowfence drop: ' } });
  return printIptables({ header, family, chains, lines: [...input, ...chainLines] });
}
