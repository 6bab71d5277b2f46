import { sha256Hex } from '../policy/canonical-json';
import type { Policy, PolicyService } from '../policy/policy-model';
import type { ExportNote, StageCoverage } from './export-types';
import type { GcpAddressFamily, GcpFirewallRule, GcpProtocolMatch } from './gcp-model';
import { GCP_LIMITS } from './gcp-validate';
import { printableAscii } from './safe-text';
import { describeServices, listedServiceMatch, portRangeText, stageCoverage } from './stage-plan';

/**
 * Staged groups as VPC firewall rules, on the group's network tag: the
 * lowest priority number that matches decides (cloud.google.com VPC
 * firewall rules, priority order). The policy's allows stay at 1000; a
 * selective group's listed services are denied from every address at 2000,
 * so only the rules' clients reach them; every other connection to the
 * group is allowed at 3000 with Firewall Rules Logging on (log_config,
 * FirewallLogConfig in the Compute API), so the log holds exactly the
 * connections enforcement would drop; the deny-all stays at 65000.
 */

const STAGE_DENY_PRIORITY = 2000;
const STAGE_OPEN_PRIORITY = 3000;
const FAMILIES: readonly [GcpAddressFamily, string, string][] = [
  ['ipv4', '0.0.0.0/0', 'v4'],
  ['ipv6', '::/0', 'v6'],
];
const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 1: 'icmp', 4: 'ipip', 6: 'tcp', 17: 'udp', 50: 'esp', 51: 'ah', 132: 'sctp' };
const PORT_PROTOCOLS = new Set([6, 17, 132]);
const ONLY_FAMILY: Readonly<Record<number, GcpAddressFamily>> = { 1: 'ipv4', 58: 'ipv6' };

export function stageRules(policy: Policy, tagOf: ReadonlyMap<string, string>, tagged: ReadonlyMap<string, number>): { rules: GcpFirewallRule[]; notes: ExportNote[]; coverage: StageCoverage } {
  const rules: GcpFirewallRule[] = [];
  const notes: ExportNote[] = [];
  const { coverage } = stageCoverage(policy, 'gcp', (staged) => {
    const tag = tagOf.get(staged.group.id)!;
    const stem = `ff-stage-${sha256Hex(staged.group.id).slice(0, 12)}`;
    const base = { direction: 'INGRESS', sourceTags: [], targetTags: [tag] } as const;
    for (const [family, range, kind] of FAMILIES) {
      const denied = staged.services.flatMap((service) => serviceMatch(service, family));
      if (denied.length > 0) {
        rules.push({ ...base, name: `${stem}-deny-${kind}`, priority: STAGE_DENY_PRIORITY, action: 'deny', matches: denied, sourceRanges: [range], family, description: describe(`selective ${staged.group.id}: ${describeServices(staged.services)} only from the rules' clients (allowed at 1000)`) });
      }
      rules.push({ ...base, name: `${stem}-open-${kind}`, priority: STAGE_OPEN_PRIORITY, action: 'allow', matches: [{ protocol: 'all', ports: [] }], sourceRanges: [range], family, description: describe(`${staged.stage} ${staged.group.id}: what enforcement would deny, allowed and logged`), log: true });
    }
    if ((tagged.get(staged.group.id) ?? 0) === 0) notes.push({ target: 'gcp', rule: null, what: `${staged.stage} group ${staged.group.id}: no listed instance`, action: 'narrowed', instead: `its stage rules reach instances tagged ${tag}, and instance-tags.csv lists none` });
    return {
      expressed:
        staged.stage === 'observe'
          ? `instances tagged ${tag}: every connection the policy's allows (1000) do not cover is allowed and logged (Firewall Rules Logging) at ${STAGE_OPEN_PRIORITY}, before the deny-all`
          : `instances tagged ${tag}: ${describeServices(staged.services)} denied at ${STAGE_DENY_PRIORITY} to all but the rules' clients; the rest allowed and logged at ${STAGE_OPEN_PRIORITY}`,
    };
  });
  for (const staged of coverage.selective) {
    const unmatched = policy.groups.find((group) => group.id === staged.group)?.stage?.services.filter((id) => {
      const service = policy.services.find((candidate) => candidate.id === id);
      return service === undefined || FAMILIES.every(([family]) => serviceMatch(service, family).length === 0);
    });
    if (unmatched !== undefined && unmatched.length > 0) notes.push({ target: 'gcp', rule: null, what: `selective group ${staged.group}: listed service ${unmatched.join(', ')}`, action: 'left-open', instead: 'no port of it can be matched (a port protocol without ports), so it is allowed and logged like the group\'s other services' });
  }
  return { rules, notes, coverage };
}

/** A listed service as a deny match in one family; none when it cannot occur there or covers no port. */
function serviceMatch(service: PolicyService, family: GcpAddressFamily): GcpProtocolMatch[] {
  const only = ONLY_FAMILY[service.proto];
  if (only !== undefined && only !== family) return [];
  const match = listedServiceMatch(service, PORT_PROTOCOLS);
  if (match === null) return [];
  const protocol = PROTOCOL_NAMES[service.proto] ?? String(service.proto);
  return [{ protocol, ports: match.kind === 'ports' ? [portRangeText(match.ports)] : [] }];
}

const describe = (text: string): string => printableAscii(text).slice(0, GCP_LIMITS.descriptionLength);
