import { printableAscii } from './safe-text';
import type { Transport } from './host-firewall-plan';
import type { IptLine, IptMatch, IptRuleset, IptVerdict } from './iptables-model';

/**
 * Prints an iptables-restore (or ip6tables-restore) file. Loaded without
 * --noflush it replaces the whole filter table in one commit: INPUT drops
 * by default; FORWARD and OUTPUT keep the stock accept, as the nftables
 * export leaves them alone.
 */
export function printIptables(ruleset: IptRuleset): string {
  const lines: string[] = [...ruleset.header.map((line) => `# ${iptRemark(line)}`), `# load with ${ruleset.family === 'ipv4' ? 'iptables-restore' : 'ip6tables-restore'}`, '*filter', ':INPUT DROP [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (const chain of ruleset.chains) lines.push(`:${chain} - [0:0]`);
  for (const line of ruleset.lines) lines.push(printLine(line));
  lines.push('COMMIT', '');
  return lines.join('\n');
}

function printLine(line: IptLine): string {
  if (line.kind === 'remark') return `# ${iptRemark(line.text)}`;
  return [`-A ${line.chain}`, ...printMatch(line.match), printVerdict(line.verdict)].join(' ');
}

function printMatch(match: IptMatch): string[] {
  const parts: string[] = [];
  if (match.inInterface !== undefined) parts.push(`-i ${match.inInterface}`);
  if (match.source !== undefined) parts.push(`-s ${match.source}`);
  if (match.destination !== undefined) parts.push(`-d ${match.destination}`);
  if (match.transport !== undefined) parts.push(printTransport(match.transport));
  if (match.icmpv6Type !== undefined) parts.push(`-p ipv6-icmp -m icmp6 --icmpv6-type ${match.icmpv6Type}`);
  if (match.ctstate !== undefined) parts.push(`-m conntrack --ctstate ${match.ctstate}`);
  if (match.comment !== undefined) parts.push(`-m comment --comment ${iptString(match.comment, IPT_COMMENT_MAX_BYTES)}`);
  return parts;
}

function printTransport(transport: Transport): string {
  if (transport.kind === 'protocol') return `-p ${transport.number}`;
  if (transport.ports === null) return `-p ${transport.proto}`;
  const { from, to } = transport.ports;
  return `-p ${transport.proto} -m ${transport.proto} --dport ${from === to ? from : `${from}:${to}`}`;
}

function printVerdict(verdict: IptVerdict): string {
  switch (verdict.kind) {
    case 'accept':
      return '-j ACCEPT';
    case 'drop':
      return '-j DROP';
    case 'jump':
      return `-j ${verdict.chain}`;
    case 'log':
      // Rate-limited, so a flood of refused packets cannot flood the log as well.
      return `-m limit --limit 10/second -j LOG --log-prefix ${iptString(verdict.prefix, IPT_LOG_PREFIX_MAX_BYTES)} --log-level 6`;
  }
}

/** The comment match holds 256 bytes with its terminating zero (XT_MAX_COMMENT_LEN). */
export const IPT_COMMENT_MAX_BYTES = 255;
/** The LOG target's prefix holds 30 bytes with its terminating zero. */
export const IPT_LOG_PREFIX_MAX_BYTES = 29;

/**
 * A double-quoted iptables-restore argument. The restore parser splits on
 * quotes and treats a backslash as an escape, so a quote, a backslash or a
 * control character from input values (group ids from an approved-groups
 * file) could end the argument and add options: each becomes "?", as does
 * anything outside printable ASCII (the field is cut by bytes).
 */
export function iptString(text: string, maxBytes: number): string {
  return `"${printableAscii(text, `"'\\`).slice(0, maxBytes)}"`;
}

/** A `#` line's text: a newline would end the comment and start a rule. */
export function iptRemark(text: string): string {
  return printableAscii(text);
}
