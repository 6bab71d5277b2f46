import { printableAscii } from './safe-text';
import { WINDOWS_FIREWALL_LOG, WINDOWS_FIREWALL_LOG_KB, type WindowsFirewallRule, type WindowsProtocol, type WindowsScript } from './windows-model';

/**
 * Prints a Windows Defender Firewall script for PowerShell 5.1 or later
 * (the NetSecurity module). It must run elevated, stops at the first
 * error, removes the rules of its group first, so running it again replaces
 * them, then creates each rule, and only once every rule is in place blocks
 * inbound traffic by default on every profile: a failed run never leaves a
 * host blocking without its rules. Every value is a single-quoted string;
 * only fixed keywords and validated numbers are written bare.
 */
export function printWindowsScript(script: WindowsScript): string {
  const group = psString(script.group);
  const lines = [
    '#Requires -RunAsAdministrator',
    ...script.header.map(psRemark),
    psRemark(`Re-runnable: the rules of group ${script.group} are removed first. Outbound traffic is left alone.`),
    psRemark("Other inbound allow rules (Windows' own, other software's) stay in force; review them with"),
    psRemark('  Get-NetFirewallRule -Direction Inbound -Action Allow -Enabled True'),
    "$ErrorActionPreference = 'Stop'",
    `Get-NetFirewallRule -Group ${group} -ErrorAction SilentlyContinue | Remove-NetFirewallRule`,
    '',
  ];
  for (const rule of script.rules) lines.push(psRemark(rule.remark), printRule(rule, group));
  if (script.stage === null) {
    lines.push('', psRemark('Inbound blocked by default on every profile, now that the rules above are in place.'), 'Set-NetFirewallProfile -Profile Domain,Private,Public -DefaultInboundAction Block -Enabled True', '');
  } else {
    // The firewall log names no rule: a logged allowed connection is a would-be drop when no allow rule above covers it.
    lines.push(
      '',
      psRemark(`Staged (${script.stage}): inbound allowed by default on every profile, allowed and blocked connections logged.`),
      psRemark('What the rules above do not allow is what enforcement would block; the log does not say which rule allowed a connection.'),
      `Set-NetFirewallProfile -Profile Domain,Private,Public -DefaultInboundAction Allow -Enabled True -LogAllowed True -LogBlocked True -LogFileName ${psString(WINDOWS_FIREWALL_LOG)} -LogMaxSizeKilobytes ${WINDOWS_FIREWALL_LOG_KB}`,
      '',
    );
  }
  return lines.join('\r\n');
}

function printRule(rule: WindowsFirewallRule, group: string): string {
  const parts = [
    'New-NetFirewallRule',
    `-Name ${psString(rule.name)}`,
    `-DisplayName ${psString(psText(rule.displayName, WINDOWS_DISPLAY_NAME_MAX))}`,
    `-Description ${psString(psText(rule.description, WINDOWS_DESCRIPTION_MAX))}`,
    `-Group ${group}`,
    '-Direction Inbound',
    `-Action ${rule.action}`,
    '-Profile Any',
    `-Enabled ${rule.enabled ? 'True' : 'False'}`,
    `-Protocol ${printProtocol(rule.protocol)}`,
  ];
  if (rule.localPorts !== null) {
    const { from, to } = rule.localPorts;
    parts.push(`-LocalPort ${psString(from === to ? `${from}` : `${from}-${to}`)}`);
  }
  parts.push(`-RemoteAddress ${rule.remoteAddresses.map(psString).join(',')}`, '| Out-Null');
  return parts.join(' ');
}

function printProtocol(protocol: WindowsProtocol): string {
  return protocol.kind === 'name' ? protocol.name : `${protocol.number}`;
}

/** Display names and descriptions are cut (in characters) to lengths the firewall's tools show whole. */
export const WINDOWS_DISPLAY_NAME_MAX = 255;
export const WINDOWS_DESCRIPTION_MAX = 1024;

/**
 * The quote characters of a PowerShell single-quoted string: the ASCII
 * apostrophe and the typographic quotes U+2018 to U+201B, which PowerShell's
 * tokenizer takes for quotes as well (the PowerShell/EditorSyntax grammar
 * and GitLab Runner's psSingleQuote fix, MR 7709, double all five).
 */
const SINGLE_QUOTES = /['\u2018-\u201b]/g;

/** A PowerShell single-quoted string literal: nothing inside is expanded, and each quote character is doubled. */
export function psString(text: string): string {
  return `'${text.replace(SINGLE_QUOTES, '$&$&')}'`;
}

/**
 * Text from input values (group names, rule ids) made fit for a rule's
 * field: control characters, line and paragraph separators and format
 * characters (bidirectional overrides would show a reviewer something other
 * than what runs) become spaces, and "|" becomes "/", since the firewall
 * stores rules as "|"-separated fields and refuses it in names and
 * descriptions (INetFwRule::put_Name, put_Description). Cut to max
 * characters, never inside a character.
 */
export function psText(text: string, max: number): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').replaceAll('|', '/');
  return [...clean].slice(0, max).join('');
}

/** A `#` line: printable ASCII only, so no input value can end the comment and start a command. */
export function psRemark(text: string): string {
  return `# ${printableAscii(text)}`;
}
