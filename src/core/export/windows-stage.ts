import { excludeCidr } from 'cidr-tools';
import { sha256Hex } from '../policy/canonical-json';
import type { PortRange } from '../policy/policy-model';
import { compareText } from '../util/compare';
import type { PlanEntry, StageTail, Transport } from './host-firewall-plan';
import { WINDOWS_MAX_REMOTE_ADDRESSES, type WindowsFirewallRule, type WindowsProtocol } from './windows-model';

/**
 * A staged host's Windows Firewall, after its allow rules: the inbound
 * default stays Allow, with allowed and blocked connections logged
 * (pfirewall.log), and for a selective group a block rule per listed
 * service. Windows lets a matching block rule win over every allow rule
 * (learn.microsoft.com, "Windows Firewall rules": rule precedence), so
 * "block the service except from the clients the rules allow" is a block
 * whose remote addresses are every address less those clients
 * (cidr-tools excludeCidr), split at WINDOWS_MAX_REMOTE_ADDRESSES (block
 * rules add up as allow rules do). Where the rules allow different
 * clients on parts of a service's port range, each part gets its own block.
 */

const EVERY_ADDRESS = { ip: '0.0.0.0/0', ip6: '::/0' } as const;

/** The block rules of a selective host's listed services; none for an observed host. */
export function selectiveBlocks(tail: StageTail, entries: readonly PlanEntry[]): { rules: WindowsFirewallRule[]; unexpressed: string[] } {
  const rules: WindowsFirewallRule[] = [];
  const unexpressed: string[] = [];
  for (const transport of tail.enforced) {
    const protocol = windowsProtocol(transport);
    if (transport.kind === 'ports' && transport.proto !== 'tcp' && transport.proto !== 'udp') {
      // Windows matches ports for TCP and UDP only: a block on every port of SCTP or DCCP would block more than the service.
      unexpressed.push(`${transport.proto} ports ${describePorts(transport.ports)}`);
      continue;
    }
    for (const family of ['ip', 'ip6'] as const) {
      if (transport.kind === 'protocol' && ((transport.number === 1 && family === 'ip6') || (transport.number === 58 && family === 'ip'))) continue;
      const open = entries.filter((entry) => !entry.closed && entry.family === family && sameProtocol(entry.transport, transport));
      for (const { ports, sources } of segments(transport, open)) {
        const blocked = excludeCidr([EVERY_ADDRESS[family]], [...sources]).sort(compareText);
        if (blocked.length === 0) continue;
        const base = `Flowfence-stage-${sha256Hex(`${tail.staged.group.id}|${describeTransport(transport)}|${describePorts(ports)}`).slice(0, 16)}-${family === 'ip' ? 'v4' : 'v6'}`;
        const chunks: string[][] = [];
        for (let start = 0; start < blocked.length; start += WINDOWS_MAX_REMOTE_ADDRESSES) chunks.push(blocked.slice(start, start + WINDOWS_MAX_REMOTE_ADDRESSES));
        chunks.forEach((remoteAddresses, index) => {
          const part = chunks.length > 1 ? ` part ${index + 1} of ${chunks.length}` : '';
          rules.push({
            name: chunks.length > 1 ? `${base}-${index + 1}` : base,
            displayName: `Flowfence selective ${tail.staged.group.id} ${describeTransport(transport)}${ports === null ? '' : ` ${describePorts(ports)}`} IP${family === 'ip' ? 'v4' : 'v6'}${part}`,
            description: `${tail.comment}: blocks the service from every client the policy's rules do not allow.`,
            enabled: true,
            action: 'Block',
            protocol,
            localPorts: ports,
            remoteAddresses,
            remark: `selective ${tail.staged.group.id}: block ${describeTransport(transport)} ${describePorts(ports)} except from the rules' clients${part}`,
          });
        });
      }
    }
  }
  return { rules, unexpressed };
}

function sameProtocol(entry: Transport, service: Transport): boolean {
  if (entry.kind === 'ports' && service.kind === 'ports') return entry.proto === service.proto;
  return entry.kind === 'protocol' && service.kind === 'protocol' && entry.number === service.number;
}

/** The service's port range cut where the rules' ranges start and end: each part with the clients every rule covering it allows. */
function segments(service: Transport, entries: readonly PlanEntry[]): { ports: PortRange | null; sources: Set<string> }[] {
  if (service.kind === 'protocol' || service.ports === null) return [{ ports: null, sources: new Set(entries.flatMap((entry) => entry.sources)) }];
  const { from, to } = service.ports;
  const cuts = new Set([from, to + 1]);
  for (const entry of entries) {
    if (entry.transport.kind !== 'ports' || entry.transport.ports === null) continue;
    const range = entry.transport.ports;
    if (range.from > from && range.from <= to) cuts.add(range.from);
    if (range.to + 1 > from && range.to + 1 <= to) cuts.add(range.to + 1);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const parts: { ports: PortRange; sources: Set<string> }[] = [];
  for (let index = 0; index + 1 < points.length; index++) {
    const ports = { from: points[index]!, to: points[index + 1]! - 1 };
    const sources = new Set(
      entries.filter((entry) => entry.transport.kind === 'ports' && (entry.transport.ports === null || (entry.transport.ports.from <= ports.from && entry.transport.ports.to >= ports.to))).flatMap((entry) => entry.sources),
    );
    const last = parts.at(-1);
    // Neighbouring parts with the same clients are one block.
    if (last !== undefined && last.ports.to + 1 === ports.from && sameSet(last.sources, sources)) parts[parts.length - 1] = { ports: { from: last.ports.from, to: ports.to }, sources };
    else parts.push({ ports, sources });
  }
  return parts;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((item) => b.has(item));

function windowsProtocol(transport: Transport): WindowsProtocol {
  if (transport.kind === 'ports') return transport.proto === 'tcp' ? { kind: 'name', name: 'TCP' } : { kind: 'name', name: 'UDP' };
  if (transport.number === 1) return { kind: 'name', name: 'ICMPv4' };
  if (transport.number === 58) return { kind: 'name', name: 'ICMPv6' };
  return { kind: 'number', number: transport.number };
}

const describeTransport = (transport: Transport): string => (transport.kind === 'ports' ? transport.proto.toUpperCase() : `protocol ${transport.number}`);
const describePorts = (ports: PortRange | null): string => (ports === null ? 'any port' : ports.from === ports.to ? `port ${ports.from}` : `ports ${ports.from}-${ports.to}`);
