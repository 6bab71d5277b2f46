import type { Policy } from '../policy/policy-model';
import type { ExportFile, TargetOutput } from './export-types';
import { hostFileName, planHostFirewalls, type AddressFamily, type PlanEntry, type StageTail } from './host-firewall-plan';
import type { NftSet, NftStatement } from './nftables-model';
import { printNftables } from './nftables-print';

export interface NftablesOptions {
  /** Log what the input chain drops (prefix "flowfence drop: "), before the policy drops it. */
  readonly logDrops: boolean;
}

/**
 * nftables: one complete ruleset per host that a group lists
 * (`nftables/<ip>.nft`: an inet table whose input chain drops by default,
 * accepts established and related traffic, loopback and IPv6 neighbour
 * discovery, and each rule's clients by set), and `nftables/all.nft`, one
 * ruleset every host can load (each rule also matches its servers by
 * destination set). What a host firewall cannot express is decided and
 * noted by host-firewall-plan.ts. Where a staged group serves, its tail
 * replaces the default drop: a selective group's listed services dropped,
 * the rest counted, logged with the group's prefix and accepted.
 */
export function nftablesTarget(policy: Policy, options: NftablesOptions): TargetOutput {
  const plan = planHostFirewalls(policy, 'nftables');
  const files: ExportFile[] = plan.hosts.map((host) => ({
    path: `nftables/${hostFileName(host.ip)}.nft`,
    content: buildRuleset(plan.header(`Flowfence ruleset for ${host.ip} (group ${host.group.id})`), host.entries, host.tail === null ? [] : [host.tail], options),
  }));
  files.push({ path: 'nftables/all.nft', content: buildRuleset(plan.header('Flowfence ruleset for every host: each rule matches its servers by destination'), plan.all, plan.allTails, options) });
  return { files, notes: plan.notes, rulesExported: plan.rulesExported, rulesSkipped: plan.rulesSkipped, stages: plan.coverage };
}

function buildRuleset(title: readonly string[], entries: readonly PlanEntry[], tails: readonly StageTail[], options: NftablesOptions): string {
  const header = [...title, ...tails.map((tail) => `stage: ${tail.comment}; log prefix "${tail.logPrefix.trimEnd()}"`).filter((line, index, lines) => lines.indexOf(line) === index)];
  const sets: NftSet[] = [];
  const setByKey = new Map<string, string>();
  const set = (family: AddressFamily, elements: readonly string[]): string => {
    const key = `${family}|${elements.join(',')}`;
    let name = setByKey.get(key);
    if (name === undefined) {
      name = `s${sets.length + 1}_${family === 'ip' ? 'v4' : 'v6'}`;
      setByKey.set(key, name);
      sets.push({ name, family, elements });
    }
    return name;
  };
  const input: NftStatement[] = [{ kind: 'established' }, { kind: 'invalid' }, { kind: 'loopback' }, { kind: 'neighbour-discovery' }];
  for (const entry of entries) {
    const from = set(entry.family, entry.sources);
    const to = entry.targets === null ? null : set(entry.family, entry.targets);
    if (entry.closed) {
      input.push({ kind: 'remark', text: `just-in-time, closed: ${entry.rule.id} would accept ${entry.family} saddr @${from}${to === null ? '' : ` ${entry.family} daddr @${to}`} on ${entry.rule.service}` });
      continue;
    }
    input.push({ kind: 'accept', family: entry.family, from, to, transport: entry.transport, comment: entry.comment });
  }
  for (const tail of tails) {
    const to = tail.family === null || tail.targets === null ? null : set(tail.family, tail.targets);
    for (const transport of tail.enforced) input.push({ kind: 'stage-drop', family: tail.family, to, transport, logPrefix: options.logDrops ? 'flowfence drop: ' : null, comment: tail.comment });
    input.push({ kind: 'stage-log-accept', family: tail.family, to, prefix: tail.logPrefix, comment: tail.comment });
  }
  if (options.logDrops) input.push({ kind: 'log-drops', prefix: 'flowfence drop: ' });
  return printNftables({ header, table: 'flowfence', sets, input });
}
