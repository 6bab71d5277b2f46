import { sha256Hex } from '../policy/canonical-json';
import type { Policy } from '../policy/policy-model';
import { compareText } from '../util/compare';
import type { ExportFile, ExportNote, TargetOutput } from './export-types';
import { hostFileName, planHostFirewalls, type HostPlan, type PlanEntry, type StageTail } from './host-firewall-plan';
import { stageCoverage } from './stage-plan';
import { selectiveBlocks } from './windows-stage';
import { WINDOWS_MAX_REMOTE_ADDRESSES, type WindowsFirewallRule, type WindowsProtocol, type WindowsScript } from './windows-model';
import { printWindowsScript } from './windows-print';
import { validateWindowsScript } from './windows-validate';

/** Every rule the scripts create carries this -Group, which is what a later run removes. */
export const WINDOWS_RULE_GROUP = 'Flowfence';

/**
 * Windows Defender Firewall: one PowerShell script per host a group lists
 * (`windows/<ip>.ps1`, ':' of IPv6 written '_') and one per group
 * (`windows/groups/<group>.ps1`, the same rules, for hosts that join by
 * group policy or a deployment tool). Each creates, per rule and address
 * family, an inbound allow rule by protocol, local port and remote
 * addresses (split at WINDOWS_MAX_REMOTE_ADDRESSES), then blocks inbound
 * traffic by default. The plan, and what a host firewall cannot express, is
 * the one the nftables and iptables targets print (host-firewall-plan.ts);
 * just-in-time rules are created disabled: enabling one opens it, and a new
 * run closes it again. A staged group's hosts keep inbound allowed by
 * default with the firewall log on (allowed and blocked connections); a
 * selective group's listed services are blocked from every client its
 * rules do not allow (windows-stage.ts).
 */
export function windowsTarget(policy: Policy): TargetOutput {
  // The plan is the same for every host firewall; its notes are reworded below where Windows does otherwise.
  const plan = planHostFirewalls(policy, 'windows');
  const notes: ExportNote[] = plan.notes.map(windowsNote);
  const groupName = (id: string): string => policy.groups.find((group) => group.id === id)?.name ?? id;

  const files: ExportFile[] = [];
  const unexpressed = new Map<string, string[]>();
  const write = (path: string, title: string, entries: readonly PlanEntry[], tail: StageTail | null): void => {
    const blocks = tail === null ? { rules: [], unexpressed: [] } : selectiveBlocks(tail, entries);
    if (tail !== null && blocks.unexpressed.length > 0) unexpressed.set(tail.staged.group.id, blocks.unexpressed);
    const script: WindowsScript = {
      header: [...plan.header(title), ...(tail === null ? [] : [`stage: ${tail.comment}`])],
      group: WINDOWS_RULE_GROUP,
      rules: [...entries.flatMap((entry) => rulesOf(entry, groupName)), ...blocks.rules],
      stage: tail === null ? null : `${tail.staged.stage} ${tail.staged.group.id}`,
    };
    const problems = validateWindowsScript(script);
    if (problems.length > 0) throw new Error(`the windows export would not pass New-NetFirewallRule (${path}):\n${problems.join('\n')}`);
    files.push({ path, content: printWindowsScript(script) });
  };
  for (const host of plan.hosts) write(`windows/${hostFileName(host.ip)}.ps1`, `Flowfence inbound rules for ${host.ip} (group ${host.group.id})`, host.entries, host.tail);
  // A host's rules depend on its group alone: the group's script is any of its hosts' rules.
  const byGroup = new Map<string, HostPlan>();
  for (const host of plan.hosts) if (!byGroup.has(host.group.id)) byGroup.set(host.group.id, host);
  for (const [id, host] of [...byGroup].sort((a, b) => compareText(a[0], b[0]))) write(`windows/groups/${groupFileName(id)}.ps1`, `Flowfence inbound rules for every host of group ${id}`, host.entries, host.tail);

  const widened = new Map<string, PlanEntry>();
  for (const host of plan.hosts) for (const entry of host.entries) if (portsIgnored(entry)) widened.set(entry.rule.id, entry);
  for (const [id, entry] of [...widened].sort((a, b) => compareText(a[0], b[0]))) {
    notes.push({ target: 'windows', rule: id, what: `ports of ${entry.rule.service}`, action: 'widened', instead: `Windows Firewall matches ports for TCP and UDP only: every port of protocol ${entry.rule.proto} is opened to the rule's clients` });
  }
  if (plan.hosts.length > 0) notes.push({ target: 'windows', rule: null, what: "the hosts' other inbound allow rules (Windows' own, other software's)", action: 'left-open', instead: 'left in force: Windows Firewall allows what any enabled rule allows; each script names the command that lists them for review' });
  // A block rule wins over every allow rule, so enabling a just-in-time rule on a selective group's listed service admits nobody while the stage's block stands.
  const jitBehindBlock = new Map<string, string>();
  for (const host of plan.hosts) {
    if (host.tail?.staged.stage !== 'selective') continue;
    const listed = new Set(host.tail.staged.services.map((service) => service.id));
    for (const entry of host.entries) if (entry.closed && listed.has(entry.rule.service)) jitBehindBlock.set(entry.rule.id, host.tail.staged.group.id);
  }
  for (const [rule, group] of [...jitBehindBlock].sort((a, b) => compareText(a[0], b[0]))) {
    notes.push({ target: 'windows', rule, what: `just-in-time access on a listed service of selective group ${group}`, action: 'left-closed', instead: "enabling the rule alone admits nobody: the stage's block rule (Flowfence-stage-…) on that service wins over allow rules; disable it too for the access window, or promote the group to enforce" });
  }
  for (const [group, what] of [...unexpressed].sort((a, b) => compareText(a[0], b[0]))) {
    notes.push({ target: 'windows', rule: null, what: `selective group ${group}: listed service ${what.join(', ')}`, action: 'left-open', instead: 'not blocked: Windows Firewall matches ports for TCP and UDP only, and blocking every port of the protocol would block more than the service' });
  }
  const { coverage } = stageCoverage(policy, 'windows', (group) => ({
    expressed:
      group.stage === 'observe'
        ? 'its hosts keep inbound allowed by default with the firewall log on (pfirewall.log, allowed and blocked connections); the log names no rule: what no allow rule of the script covers is what enforcement would block'
        : `its listed services blocked from every client the rules do not allow (block rules win over allow rules); everything else allowed by default and logged (pfirewall.log)`,
  }));
  return { files, notes, rulesExported: plan.rulesExported, rulesSkipped: plan.rulesSkipped, stages: coverage };
}

/** The rules of one plan entry: one per slice of at most WINDOWS_MAX_REMOTE_ADDRESSES clients. */
function rulesOf(entry: PlanEntry, groupName: (id: string) => string): WindowsFirewallRule[] {
  const { rule } = entry;
  const slices: string[][] = [];
  for (let start = 0; start < entry.sources.length; start += WINDOWS_MAX_REMOTE_ADDRESSES) slices.push(entry.sources.slice(start, start + WINDOWS_MAX_REMOTE_ADDRESSES));
  const family = entry.family === 'ip' ? 'v4' : 'v6';
  // The rule id is input text (group ids come from an approved-groups file): the name takes its digest, the display name the escaped text.
  const base = `Flowfence-${sha256Hex(rule.id).slice(0, 16)}-${family}`;
  const closed = entry.closed ? ' (just-in-time, closed: enable to open)' : '';
  return slices.map((remoteAddresses, index) => {
    const part = slices.length > 1 ? ` part ${index + 1} of ${slices.length}` : '';
    return {
      action: 'Allow',
      name: slices.length > 1 ? `${base}-${index + 1}` : base,
      displayName: `Flowfence ${rule.id} IP${family}${part}${closed}`,
      description: `${entry.comment}. Clients: ${groupName(rule.from)}. Servers: ${groupName(rule.to)}.${closed}`,
      enabled: !entry.closed,
      protocol: protocolOf(entry),
      localPorts: entry.transport.kind === 'ports' && (entry.transport.proto === 'tcp' || entry.transport.proto === 'udp') ? entry.transport.ports : null,
      remoteAddresses,
      remark: `${entry.closed ? 'just-in-time, created disabled: ' : ''}${entry.comment}${part}`,
    };
  });
}

const PORT_PROTOCOL_NUMBERS = { tcp: 6, udp: 17, sctp: 132, dccp: 33 } as const;

function protocolOf(entry: PlanEntry): WindowsProtocol {
  const { transport } = entry;
  if (transport.kind === 'ports') {
    if (transport.proto === 'tcp') return { kind: 'name', name: 'TCP' };
    if (transport.proto === 'udp') return { kind: 'name', name: 'UDP' };
    return { kind: 'number', number: PORT_PROTOCOL_NUMBERS[transport.proto] };
  }
  if (transport.number === 1) return { kind: 'name', name: 'ICMPv4' };
  if (transport.number === 58) return { kind: 'name', name: 'ICMPv6' };
  return { kind: 'number', number: transport.number };
}

/** SCTP or DCCP with ports: Windows Firewall cannot match those ports. */
function portsIgnored(entry: PlanEntry): boolean {
  return entry.transport.kind === 'ports' && entry.transport.proto !== 'tcp' && entry.transport.proto !== 'udp' && entry.transport.ports !== null;
}

/** The plan's notes, as Windows does what they say. */
function windowsNote(note: ExportNote): ExportNote {
  let instead = note.instead;
  if (note.what.startsWith('time window')) instead = 'open at all hours: Windows Firewall rules have no time of day';
  else if (note.what === 'just-in-time access') instead = `${note.instead.replace(/ \(a remark in each ruleset shows the rule\)$/, '')}: each script creates the rule disabled (-Enabled False), and enabling it opens it until the script runs again`;
  else if (note.what === 'traffic to an outside network') instead = 'not filtered: these scripts filter what each host receives (inbound), not what it sends';
  return { ...note, instead };
}

const RESERVED_FILE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A group id as a file name Windows accepts: letters, digits, ".", "_" and
 * "-" kept (but no leading or trailing dot), anything else "_"; an id that needed changing (from an
 * approved-groups file), or that names a device (CON, NUL…), gets a digest
 * of the original so that two ids never meet in one file.
 */
function groupFileName(id: string): string {
  const reduced = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+|\.+$/g, '_').slice(0, 60);
  return reduced === id && !RESERVED_FILE_NAMES.test(id) ? id : `${reduced}-${sha256Hex(id).slice(0, 8)}`;
}
