import type { Policy } from '../policy/policy-model';
import type { ExportFile, TargetOutput } from './export-types';
import { hostFileName, planHostFirewalls, type AddressFamily, type PlanEntry } from './host-firewall-plan';
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
 * noted by host-firewall-plan.ts.
 */
export function nftablesTarget(policy: Policy, options: NftablesOptions): TargetOutput {
  const plan = planHostFirewalls(policy, 'nftables');
  const files: ExportFile[] = plan.hosts.map((host) => ({
    path: `nftables/${hostFileName(host.ip)}.nft`,
    content: buildRuleset(plan.header(`Flowfence ruleset for ${host.ip} (group ${host.group.id})`), host.entries, options),
  }));
  files.push({ path: 'nftables/all.nft', content: buildRuleset(plan.header('Flowfence ruleset for every host: each rule matches its servers by destination'), plan.all, options) });
  return { files, notes: plan.notes, rulesExported: plan.rulesExported, rulesSkipped: plan.rulesSkipped };
}

function buildRuleset(header: readonly string[], entries: readonly PlanEntry[], options: NftablesOptions): string {
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
  if (options.logDrops) input.push({ kind: 'log-drops', prefix: 'flowfence drop: ' });
  return printNftables({ header, table: 'flowfence', sets, input });
}
