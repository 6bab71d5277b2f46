// A small model of Windows Defender Firewall on one host, driven by the
// statements of a PowerShell script (commands.ts), written from Microsoft's
// documentation of the NetSecurity cmdlets and of how the firewall decides,
// independent of src/: inbound traffic is allowed when the firewall is off,
// else blocked when an enabled inbound block rule matches, else allowed when
// an enabled inbound allow rule matches, else the profile's default inbound
// action applies. Disabled rules are ignored. The firewall is stateful:
// replies to connections the host opened pass, and outbound traffic follows
// the default outbound action (Allow, which the scripts never change).
// Rules match by protocol, local port and remote address; every other
// condition the scripts could set is refused rather than ignored.
import ipaddr from 'ipaddr.js';
import { PsSyntaxError } from './tokenize';
import type { PsCommand, PsStatement, PsValue } from './commands';

export interface FirewallRule {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly group: string;
  readonly enabled: boolean;
  readonly direction: 'Inbound' | 'Outbound';
  readonly action: 'Allow' | 'Block';
  /** An IP protocol number, or null for Any. */
  readonly protocol: number | null;
  /** Inclusive ranges; null for Any. */
  readonly localPorts: readonly (readonly [number, number])[] | null;
  /** null for Any. */
  readonly remoteAddresses: readonly string[] | null;
}

const PROTOCOL_NAMES: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmpv4: 1, icmpv6: 58 };
const PROFILE_PARAMETERS = new Set(['profile', 'defaultinboundaction', 'enabled', 'logallowed', 'logblocked', 'logfilename', 'logmaxsizekilobytes']);
const NEW_RULE_PARAMETERS = new Set(['name', 'displayname', 'description', 'group', 'direction', 'action', 'profile', 'enabled', 'protocol', 'localport', 'remoteaddress']);

export class WindowsFirewall {
  /** A host before the script: firewall off, inbound allowed, and rules of an earlier run in the Flowfence group. */
  enabled = false;
  defaultInboundAction: 'Allow' | 'Block' = 'Allow';
  /** The firewall log (Set-NetFirewallProfile -LogAllowed, -LogBlocked, -LogFileName): what a staged host records. */
  logAllowed = false;
  logBlocked = false;
  logFileName: string | null = null;
  rules: FirewallRule[] = [];
  errorActionStop = false;

  constructor(initial: readonly FirewallRule[] = []) {
    this.rules = [...initial];
  }

  static run(statements: readonly PsStatement[], initial: readonly FirewallRule[] = []): WindowsFirewall {
    const firewall = new WindowsFirewall(initial);
    for (const statement of statements) firewall.apply(statement);
    return firewall;
  }

  apply(statement: PsStatement): void {
    if (statement.kind === 'assignment') {
      if (statement.variable.toLowerCase() !== 'erroractionpreference') throw new PsSyntaxError(`unexpected variable $${statement.variable}`);
      this.errorActionStop = one(statement.value).toLowerCase() === 'stop';
      return;
    }
    const [first, ...rest] = statement.commands;
    const name = first!.name.toLowerCase();
    const tail = rest.map((command) => command.name.toLowerCase()).join('|');
    if (name === 'get-netfirewallrule' && tail === 'remove-netfirewallrule') {
      const group = one(required(first!, 'group'));
      this.rules = this.rules.filter((rule) => rule.group !== group);
    } else if (name === 'new-netfirewallrule' && (tail === '' || tail === 'out-null')) {
      this.rules.push(newRule(first!));
    } else if (name === 'set-netfirewallprofile' && tail === '') {
      const profiles = required(first!, 'profile').map((profile) => profile.toLowerCase()).sort();
      if (profiles.join(',') !== 'domain,private,public') throw new PsSyntaxError(`profiles ${profiles.join(',')}: the model covers all three at once only`);
      const action = first!.parameters.get('defaultinboundaction');
      if (action !== undefined) this.defaultInboundAction = enumOf(one(action), ['Allow', 'Block']);
      const enabled = first!.parameters.get('enabled');
      if (enabled !== undefined) this.enabled = enumOf(one(enabled), ['True', 'False']) === 'True';
      for (const key of first!.parameters.keys()) if (!PROFILE_PARAMETERS.has(key)) throw new PsSyntaxError(`Set-NetFirewallProfile -${key} is outside the model`);
      const logAllowed = first!.parameters.get('logallowed');
      if (logAllowed !== undefined) this.logAllowed = enumOf(one(logAllowed), ['True', 'False', 'NotConfigured']) === 'True';
      const logBlocked = first!.parameters.get('logblocked');
      if (logBlocked !== undefined) this.logBlocked = enumOf(one(logBlocked), ['True', 'False', 'NotConfigured']) === 'True';
      const logFile = first!.parameters.get('logfilename');
      if (logFile !== undefined) this.logFileName = one(logFile);
      const logSize = first!.parameters.get('logmaxsizekilobytes');
      // The cmdlet takes 1–32767 KB.
      if (logSize !== undefined) numberIn(one(logSize), 1, 32767);
    } else {
      throw new PsSyntaxError(`a statement outside the model: ${statement.commands.map((command) => command.name).join(' | ')}`);
    }
  }

  /** Would a packet from `remote` to this host, on `protocol` and local `port`, be let in (a new connection)? */
  allowsInbound(remote: string, protocol: number, port: number): boolean {
    if (!this.enabled) return true;
    const matching = this.rules.filter((rule) => rule.enabled && rule.direction === 'Inbound' && matches(rule, remote, protocol, port));
    if (matching.some((rule) => rule.action === 'Block')) return false;
    if (matching.some((rule) => rule.action === 'Allow')) return true;
    return this.defaultInboundAction === 'Allow';
  }

  /** A reply to a connection this host opened: the firewall is stateful, and outbound follows the untouched default (Allow). */
  allowsReply(): boolean {
    return true;
  }
}

function newRule(command: PsCommand): FirewallRule {
  for (const key of command.parameters.keys()) if (!NEW_RULE_PARAMETERS.has(key)) throw new PsSyntaxError(`New-NetFirewallRule -${key} is outside the model`);
  const get = (key: string, fallback: string): string => (command.parameters.has(key) ? one(command.parameters.get(key)!) : fallback);
  const profile = get('profile', 'Any');
  if (profile.toLowerCase() !== 'any') throw new PsSyntaxError(`profile ${profile}: the model covers rules for every profile only`);
  const protocolText = get('protocol', 'Any');
  const protocol = protocolText.toLowerCase() === 'any' ? null : (PROTOCOL_NAMES[protocolText.toLowerCase()] ?? numberIn(protocolText, 0, 255));
  const localPort = command.parameters.get('localport');
  if (localPort !== undefined && protocol !== 6 && protocol !== 17) throw new PsSyntaxError('a local port on a protocol other than TCP or UDP: New-NetFirewallRule refuses it');
  const remote = command.parameters.get('remoteaddress');
  return {
    name: get('name', ''),
    displayName: one(required(command, 'displayname')),
    description: get('description', ''),
    group: get('group', ''),
    enabled: enumOf(get('enabled', 'True'), ['True', 'False']) === 'True',
    direction: enumOf(get('direction', 'Inbound'), ['Inbound', 'Outbound']),
    action: enumOf(get('action', 'Allow'), ['Allow', 'Block']),
    protocol,
    localPorts: localPort === undefined || (localPort.length === 1 && localPort[0]!.toLowerCase() === 'any') ? null : localPort.map(portRange),
    remoteAddresses: remote === undefined || (remote.length === 1 && remote[0]!.toLowerCase() === 'any') ? null : remote.map(checkedAddress),
  };
}

function matches(rule: FirewallRule, remote: string, protocol: number, port: number): boolean {
  if (rule.protocol !== null && rule.protocol !== protocol) return false;
  if (rule.localPorts !== null && !rule.localPorts.some(([from, to]) => port >= from && port <= to)) return false;
  if (rule.remoteAddresses !== null) {
    const address = ipaddr.parse(remote);
    if (!rule.remoteAddresses.some((entry) => addressIn(address, entry))) return false;
  }
  return true;
}

/** Parsed addresses and networks, kept: a rule may list hundreds, asked about again and again. */
const parsedEntries = new Map<string, [ipaddr.IPv4 | ipaddr.IPv6, number]>();

function addressIn(address: ipaddr.IPv4 | ipaddr.IPv6, entry: string): boolean {
  let network = parsedEntries.get(entry);
  if (network === undefined) {
    network = entry.includes('/') ? ipaddr.parseCIDR(entry) : [ipaddr.parse(entry), ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128];
    parsedEntries.set(entry, network);
  }
  return address.kind() === network[0].kind() && address.match(network);
}

/** Addresses and CIDRs only: keywords (LocalSubnet, DNS…) and ranges are outside the model. */
function checkedAddress(entry: string): string {
  const valid = entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
  if (!valid) throw new PsSyntaxError(`remote address ${entry} is outside the model`);
  return entry;
}

function portRange(text: string): readonly [number, number] {
  const [from, to = from] = text.split('-') as [string, string?];
  const range = [numberIn(from, 1, 65535), numberIn(to, 1, 65535)] as const;
  if (range[0] > range[1]) throw new PsSyntaxError(`port range ${text} runs backwards`);
  return range;
}

function numberIn(text: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(text)) throw new PsSyntaxError(`${text} is not a number`);
  const value = Number(text);
  if (value < min || value > max) throw new PsSyntaxError(`${text} is not within ${min}–${max}`);
  return value;
}

function enumOf<T extends string>(text: string, values: readonly T[]): T {
  const found = values.find((value) => value.toLowerCase() === text.toLowerCase());
  if (found === undefined) throw new PsSyntaxError(`${text} is none of ${values.join(', ')}`);
  return found;
}

function one(value: PsValue): string {
  if (value.length !== 1) throw new PsSyntaxError(`one value expected, got ${value.length}`);
  return value[0]!;
}

function required(command: PsCommand, key: string): PsValue {
  const value = command.parameters.get(key);
  if (value === undefined) throw new PsSyntaxError(`${command.name} without -${key}`);
  return value;
}
