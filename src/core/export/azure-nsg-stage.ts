import { sha256Hex } from '../policy/canonical-json';
import type { Policy, PolicyService } from '../policy/policy-model';
import type { ExportNote, StageCoverage } from './export-types';
import type { NsgProtocol, NsgSecurityRule } from './azure-nsg-model';
import { describeServices, listedServiceMatch, portRangeText, stageCoverage } from './stage-plan';

/**
 * Staged groups in NSGs, which evaluate rules by priority, the lowest
 * number first, Deny as well as Allow ("Network security groups", security
 * rules). After the policy's allows and before the Deny-all at 4096: a
 * selective group's NSG denies its listed services inbound from anywhere;
 * a staged group's NSG then allows everything else in and out
 * (stage-open-in, stage-open-out), and NSG or VNet flow logs name the rule
 * that decided each flow, so the flows of stage-open-in are what
 * enforcement would deny. Each enforced group's NSG allows everything out
 * to a staged group's ASG, as the simulator lets the staged group's stage
 * decide what reaches it (enforcement-stage.ts). A selective group's
 * outbound traffic to outside networks is not held to its listed services.
 */

const PROTOCOLS: Readonly<Record<number, NsgProtocol>> = { 6: 'Tcp', 17: 'Udp', 1: 'Icmp', 50: 'Esp', 51: 'Ah' };
const PORT_PROTOCOLS = new Set([6, 17]);

export interface StageRulePlan {
  /** Per NSG (by group id), the stage rules of each direction, in priority order from the Deny-all down. */
  readonly inbound: ReadonlyMap<string, Omit<NsgSecurityRule, 'priority'>[]>;
  readonly outbound: ReadonlyMap<string, Omit<NsgSecurityRule, 'priority'>[]>;
  readonly notes: ExportNote[];
  readonly coverage: StageCoverage;
}

export function planStageRules(policy: Policy, asgOf: ReadonlyMap<string, string>): StageRulePlan {
  const inbound = new Map<string, Omit<NsgSecurityRule, 'priority'>[]>();
  const outbound = new Map<string, Omit<NsgSecurityRule, 'priority'>[]>();
  const push = (map: Map<string, Omit<NsgSecurityRule, 'priority'>[]>, group: string, rule: Omit<NsgSecurityRule, 'priority'>): void => void map.set(group, [...(map.get(group) ?? []), rule]);
  const notes: ExportNote[] = [];
  const { coverage } = stageCoverage(policy, 'azure-nsg', (staged) => {
    const asg = asgOf.get(staged.group.id);
    if (asg === undefined) return { leftOpen: 'no NSG of this export is attached to its hosts' };
    const own = { kind: 'asg' as const, names: [asg] };
    push(inbound, staged.group.id, { name: 'stage-open-in', direction: 'Inbound', access: 'Allow', protocol: '*', source: { kind: 'any' }, destination: own, destinationPorts: '*', description: `Flowfence: ${staged.stage} ${staged.group.id}: what enforcement would deny, allowed (flow logs name this rule)`.slice(0, 140) });
    push(outbound, staged.group.id, { name: 'stage-open-out', direction: 'Outbound', access: 'Allow', protocol: '*', source: own, destination: { kind: 'any' }, destinationPorts: '*', description: `Flowfence: ${staged.stage} ${staged.group.id}: outbound left open`.slice(0, 140) });
    const unexpressed: string[] = [];
    staged.services.forEach((service, index) => {
      const deny = denyOf(service);
      if (deny === null) {
        unexpressed.push(service.id);
        return;
      }
      push(inbound, staged.group.id, { name: `stage-deny-in-${index + 1}`, direction: 'Inbound', access: 'Deny', protocol: deny.protocol, source: { kind: 'any' }, destination: own, destinationPorts: deny.ports, description: `Flowfence: selective ${staged.group.id}: ${service.id} only from the rules' clients`.slice(0, 140) });
    });
    if (unexpressed.length > 0) notes.push({ target: 'azure-nsg', rule: null, what: `selective group ${staged.group.id}: listed service ${unexpressed.join(', ')}`, action: 'left-open', instead: 'not denied: an NSG rule matches Tcp, Udp, Icmp, Esp and Ah, and a port protocol by its ports' });
    if (staged.stage === 'selective') notes.push({ target: 'azure-nsg', rule: null, what: `selective group ${staged.group.id}: its outbound traffic to outside networks`, action: 'left-open', instead: `allowed on every service (stage-open-out), not only off ${describeServices(staged.services)}` });
    return {
      expressed:
        staged.stage === 'observe'
          ? `its NSG allows in and out what the policy's rules do not (stage-open-in, stage-open-out, before the Deny-all); flow logs name stage-open-in for each flow enforcement would deny`
          : `its NSG denies ${describeServices(staged.services)} inbound to all but the rules' clients, then allows the rest (stage-open-in, named in flow logs)`,
    };
  });
  for (const staged of [...coverage.observed, ...coverage.selective]) {
    const asg = asgOf.get(staged.group)!;
    const tag = sha256Hex(staged.group).slice(0, 12);
    for (const client of coverage.enforced) {
      const own = asgOf.get(client);
      if (own === undefined) continue;
      push(outbound, client, { name: `stage-open-to-${tag}`, direction: 'Outbound', access: 'Allow', protocol: '*', source: { kind: 'asg', names: [own] }, destination: { kind: 'asg', names: [asg] }, destinationPorts: '*', description: `Flowfence: ${staged.group} is staged: its own stage decides what reaches it`.slice(0, 140) });
    }
  }
  return { inbound, outbound, notes, coverage };
}

function denyOf(service: PolicyService): { protocol: NsgProtocol; ports: string } | null {
  const protocol = PROTOCOLS[service.proto];
  const match = listedServiceMatch(service, PORT_PROTOCOLS);
  if (protocol === undefined || match === null) return null;
  return { protocol, ports: match.kind === 'ports' ? portRangeText(match.ports) : '*' };
}
