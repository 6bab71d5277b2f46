import { ALL_INTERNAL, type Policy, type PolicyRule } from '../policy/policy-model';
import { describeWindow } from '../policy/time-window';
import { compareText } from '../util/compare';
import type { ExportFile, ExportNote, TargetOutput } from './export-types';
import { groupAddresses, hostsOf, type GroupAddresses } from './group-addresses';
import type { AddressFamily, NftSet, NftStatement, NftTransport } from './nftables-model';
import { printNftables } from './nftables-print';
import { ruleSummary } from './rule-summary';

export interface NftablesOptions {
  /** Log what the input chain drops (prefix "flowfence drop: "), before the policy drops it. */
  readonly logDrops: boolean;
}

const PORT_PROTOCOLS: Readonly<Record<number, 'tcp' | 'udp' | 'sctp' | 'dccp'>> = { 6: 'tcp', 17: 'udp', 132: 'sctp', 33: 'dccp' };
const ICMP_FAMILY: Readonly<Record<number, AddressFamily>> = { 1: 'ip', 58: 'ip6' };

/**
 * nftables: one complete ruleset per host that a group lists
 * (`nftables/<ip>.nft`: an inet table whose input chain drops by default,
 * accepts established and related traffic, loopback and IPv6 neighbour
 * discovery, and each rule's clients by set), and `nftables/all.nft`, one
 * ruleset every host can load (each rule also matches its servers by
 * destination set). Just-in-time rules are left closed, with what opening
 * them would add; time windows and identity conditions are left open.
 */
export function nftablesTarget(policy: Policy, options: NftablesOptions): TargetOutput {
  const notes: ExportNote[] = [];
  const addresses = new Map<string, GroupAddresses>();
  const addressesOf = (group: string): GroupAddresses => {
    let found = addresses.get(group);
    if (found === undefined) addresses.set(group, (found = groupAddresses(policy, group)));
    return found;
  };
  const note = (rule: string | null, what: string, action: ExportNote['action'], instead: string) => notes.push({ target: 'nftables', rule, what, action, instead });

  const rules = [...policy.rules].sort((a, b) => compareText(a.id, b.id));
  let skipped = 0;
  const exported: PolicyRule[] = [];
  for (const rule of rules) {
    if (rule.state === 'rejected') {
      skipped++;
      note(rule.id, 'a rule the analyst rejected', 'skipped', 'not exported');
      continue;
    }
    if (policy.groups.find((group) => group.id === rule.to)?.kind === 'external') {
      skipped++;
      note(rule.id, 'traffic to an outside network', 'left-open', 'not filtered: these rulesets filter what each host receives (input), not what it sends');
      continue;
    }
    const from = addressesOf(rule.from);
    if (from.v4.length + from.v6.length === 0) {
      skipped++;
      note(rule.id, `clients of ${rule.from} by address`, 'left-closed', 'the group names no address a firewall can match, so nothing is opened');
      continue;
    }
    if (from.unexpressed !== null) note(rule.id, `clients placed by rule (${from.unexpressed})`, 'narrowed', `only the ${from.v4.length + from.v6.length} listed addresses of ${rule.from} are opened`);
    if (rule.window !== null) note(rule.id, `time window ${describeWindow(rule.window)}`, 'left-open', 'open at all hours: nftables reads times of day in the loading host\'s time zone, and the window is in UTC');
    if (rule.identity !== null) note(rule.id, `identity condition ${rule.identity.label.key}=${rule.identity.label.value}`, 'left-open', `open to every client of ${rule.from}: a firewall sees addresses, not labels`);
    if (rule.jit !== null) note(rule.id, 'just-in-time access', 'left-closed', `closed; opening it accepts ${rule.from} on ${rule.service} (a remark in each ruleset shows the rule)`);
    exported.push(rule);
  }

  const files: ExportFile[] = [];
  const hosts = hostsOf(policy);
  const header = (title: string): string[] => [title, `policy sha256 ${policy.contentSha256}`, `learned from ${policy.window.from ?? '?'} to ${policy.window.to ?? '?'}`];
  for (const [ip, group] of [...hosts].sort((a, b) => compareText(a[0], b[0]))) {
    const own = exported.filter((rule) => rule.to === group.id || rule.to === ALL_INTERNAL);
    const builder = new RulesetBuilder();
    for (const rule of own) builder.addRule(rule, addressesOf(rule.from), null);
    // File names hold no ':' (Windows refuses it): an IPv6 address is written with '_' instead.
    files.push({ path: `nftables/${ip.replaceAll(':', '_')}.nft`, content: printNftables({ header: header(`Flowfence ruleset for ${ip} (group ${group.id})`), table: 'flowfence', sets: builder.sets, input: builder.chain(options) }) });
  }
  const all = new RulesetBuilder();
  for (const rule of exported) all.addRule(rule, addressesOf(rule.from), addressesOf(rule.to));
  files.push({ path: 'nftables/all.nft', content: printNftables({ header: header('Flowfence ruleset for every host: each rule matches its servers by destination'), table: 'flowfence', sets: all.sets, input: all.chain(options) }) });
  return { files, notes, rulesExported: exported.length, rulesSkipped: skipped };
}

/** Collects a ruleset's sets (one per distinct address list and family) and accept statements. */
class RulesetBuilder {
  readonly sets: NftSet[] = [];
  private readonly setByKey = new Map<string, string>();
  private readonly statements: NftStatement[] = [];

  addRule(rule: PolicyRule, from: GroupAddresses, to: GroupAddresses | null): void {
    for (const family of ['ip', 'ip6'] as const) {
      const sources = family === 'ip' ? from.v4 : from.v6;
      const targets = to === null ? null : family === 'ip' ? to.v4 : to.v6;
      if (sources.length === 0 || (targets !== null && targets.length === 0)) continue;
      const transport = transportOf(rule, family);
      if (transport === null) continue;
      const fromSet = this.set(family, sources);
      const toSet = targets === null ? null : this.set(family, targets);
      const comment = ruleSummary(rule);
      if (rule.jit !== null) {
        this.statements.push({ kind: 'remark', text: `just-in-time, closed: ${rule.id} would accept ${family} saddr @${fromSet}${toSet === null ? '' : ` ${family} daddr @${toSet}`} on ${rule.service}` });
        continue;
      }
      this.statements.push({ kind: 'accept', family, from: fromSet, to: toSet, transport, comment });
    }
  }

  chain(options: NftablesOptions): NftStatement[] {
    const base: NftStatement[] = [{ kind: 'established' }, { kind: 'invalid' }, { kind: 'loopback' }, { kind: 'neighbour-discovery' }];
    return [...base, ...this.statements, ...(options.logDrops ? [{ kind: 'log-drops', prefix: 'flowfence drop: ' } as const] : [])];
  }

  private set(family: AddressFamily, elements: readonly string[]): string {
    const key = `${family}|${elements.join(',')}`;
    let name = this.setByKey.get(key);
    if (name === undefined) {
      name = `s${this.sets.length + 1}_${family === 'ip' ? 'v4' : 'v6'}`;
      this.setByKey.set(key, name);
      this.sets.push({ name, family, elements });
    }
    return name;
  }
}

/** The rule's layer 4 for one address family; null when the protocol cannot occur in it (ICMPv6 from IPv4 clients). */
function transportOf(rule: PolicyRule, family: AddressFamily): NftTransport | null {
  const named = PORT_PROTOCOLS[rule.proto];
  if (named !== undefined) return { kind: 'ports', proto: named, ports: rule.ports };
  const icmpFamily = ICMP_FAMILY[rule.proto];
  if (icmpFamily !== undefined && icmpFamily !== family) return null;
  return { kind: 'protocol', number: rule.proto };
}
