import { parseCidr } from '../enrich/address-scope';
import { canonicalIp } from '../net/ip';
import { WINDOWS_MAX_REMOTE_ADDRESSES, type WindowsScript } from './windows-model';

/**
 * What New-NetFirewallRule would refuse, or take to mean something else,
 * checked before a script is written: rule names unique and made of safe
 * characters (no "|", which INetFwRule refuses in names), at least one and
 * at most WINDOWS_MAX_REMOTE_ADDRESSES remote addresses, each an address or
 * a CIDR in canonical form (an empty list would mean any address), local
 * ports only with TCP or UDP (the cmdlet refuses them otherwise) within
 * 1–65535, protocol numbers 0–255. Returns the problems, none when valid.
 */
export function validateWindowsScript(script: WindowsScript): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const rule of script.rules) {
    const fail = (message: string): void => void problems.push(`${rule.name}: ${message}`);
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(rule.name)) fail('the name must be 1–200 letters, digits, ".", "_" or "-"');
    if (names.has(rule.name)) fail('the name is used twice');
    names.add(rule.name);
    if (rule.displayName.trim().length === 0) fail('the display name is empty');
    if (rule.remoteAddresses.length === 0) fail('no remote address: the firewall would take it for any address');
    if (rule.remoteAddresses.length > WINDOWS_MAX_REMOTE_ADDRESSES) fail(`${rule.remoteAddresses.length} remote addresses, more than ${WINDOWS_MAX_REMOTE_ADDRESSES}`);
    for (const address of rule.remoteAddresses) if (!isCanonicalAddress(address)) fail(`remote address ${address} is no canonical address or CIDR`);
    if (rule.protocol.kind === 'number' && !(Number.isInteger(rule.protocol.number) && rule.protocol.number >= 0 && rule.protocol.number <= 255)) fail(`protocol ${rule.protocol.number} is not 0–255`);
    if (rule.localPorts !== null) {
      const portProtocol = rule.protocol.kind === 'name' && (rule.protocol.name === 'TCP' || rule.protocol.name === 'UDP');
      if (!portProtocol) fail('local ports are only valid with TCP or UDP');
      const { from, to } = rule.localPorts;
      if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 1 && from <= to && to <= 65535)) fail(`local ports ${from}-${to} are not a range within 1–65535`);
    }
  }
  return problems;
}

function isCanonicalAddress(text: string): boolean {
  return text.includes('/') ? parseCidr(text)?.text === text : canonicalIp(text) === text;
}
