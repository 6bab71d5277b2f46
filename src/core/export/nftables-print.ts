import { printableAscii } from './safe-text';
import type { NftRuleset, NftSet, NftStatement, NftTransport } from './nftables-model';

/**
 * Prints a ruleset for `nft -f`. The file first creates and deletes the
 * table, so loading it again replaces the previous version atomically (one
 * nft transaction) instead of failing or adding a second copy.
 */
export function printNftables(ruleset: NftRuleset): string {
  const lines: string[] = ['#!/usr/sbin/nft -f', ...ruleset.header.map((line) => `# ${nftRemark(line)}`), ''];
  lines.push(`table inet ${ruleset.table}`, `delete table inet ${ruleset.table}`, `table inet ${ruleset.table} {`);
  for (const set of ruleset.sets) lines.push(...printSet(set));
  lines.push('  chain input {', '    type filter hook input priority filter; policy drop;');
  for (const statement of ruleset.input) lines.push(`    ${printStatement(statement)}`);
  lines.push('  }', '}', '');
  return lines.join('\n');
}

function printSet(set: NftSet): string[] {
  const type = set.family === 'ip' ? 'ipv4_addr' : 'ipv6_addr';
  // Interval sets take single addresses and prefixes alike; auto-merge accepts a prefix that covers another element.
  return [`  set ${set.name} {`, `    type ${type}`, '    flags interval', '    auto-merge', `    elements = { ${set.elements.join(', ')} }`, '  }'];
}

function printStatement(statement: NftStatement): string {
  switch (statement.kind) {
    case 'established':
      return 'ct state established,related accept';
    case 'invalid':
      return 'ct state invalid drop';
    case 'loopback':
      return 'iifname "lo" accept';
    case 'neighbour-discovery':
      return 'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert, nd-router-solicit } accept';
    case 'accept': {
      const to = statement.to === null ? '' : ` ${statement.family} daddr @${statement.to}`;
      return `${statement.family} saddr @${statement.from}${to} ${printTransport(statement.transport)} accept comment ${nftString(statement.comment)}`;
    }
    case 'log-drops':
      return `log prefix ${nftString(statement.prefix)} level info`;
    case 'stage-drop': {
      const log = statement.logPrefix === null ? '' : ` log prefix ${nftLogPrefix(statement.logPrefix)} level info`;
      return `${printDestination(statement.family, statement.to)}${printTransport(statement.transport)} counter${log} drop comment ${nftString(statement.comment)}`;
    }
    case 'stage-log-accept':
      // The counter proves the logging where the log cannot be read (a network namespace's kernel log is off by default: nf_log_all_netns).
      // Two rules: the first counts every packet and logs at most 10 a second (as the iptables target's LOG does, so a scan
      // cannot flood the kernel log), without a verdict; the second accepts, so the rate limit never drops traffic.
      return [
        `${printDestination(statement.family, statement.to)}counter limit rate 10/second log prefix ${nftLogPrefix(statement.prefix)} level info`,
        `    ${printDestination(statement.family, statement.to)}accept comment ${nftString(statement.comment)}`,
      ].join('\n');
    case 'remark':
      return `# ${nftRemark(statement.text)}`;
  }
}

function printDestination(family: 'ip' | 'ip6' | null, to: string | null): string {
  return family === null || to === null ? '' : `${family} daddr @${to} `;
}

function printTransport(transport: NftTransport): string {
  if (transport.kind === 'protocol') return `meta l4proto ${transport.number}`;
  if (transport.ports === null) return `meta l4proto ${transport.proto}`;
  const { from, to } = transport.ports;
  return `${transport.proto} dport ${from === to ? from : `${from}-${to}`}`;
}

/** nft caps a comment at 128 bytes (NFTNL_UDATA_COMMENT_MAXLEN, with its terminating zero). */
export const NFT_COMMENT_MAX_BYTES = 127;

/**
 * A double-quoted nft string. nft's scanner has no escapes inside quotes, so
 * a quote, a backslash or a control character in input values (host names,
 * labels) could end the string and add a statement: each becomes "?", as
 * does anything outside printable ASCII (the comment is cut by bytes, and
 * must not be cut inside a character). Cut to NFT_COMMENT_MAX_BYTES.
 */
export function nftString(text: string): string {
  return `"${printableAscii(text, '"\\').slice(0, NFT_COMMENT_MAX_BYTES)}"`;
}

/** nft's log prefix holds 128 bytes with its terminating zero (NF_LOG_PREFIXLEN). */
export const NFT_LOG_PREFIX_MAX_BYTES = 127;

/** A log prefix, made safe as nftString makes a comment. */
export function nftLogPrefix(text: string): string {
  return `"${printableAscii(text, '"\\').slice(0, NFT_LOG_PREFIX_MAX_BYTES)}"`;
}

/** A `#` comment line's text: a newline or carriage return would end the comment and start a statement. */
export function nftRemark(text: string): string {
  return printableAscii(text);
}
