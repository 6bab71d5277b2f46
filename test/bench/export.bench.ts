// npm run bench:export — every export target on the 5,000-host what-if data
// set (50,000 edges, about 100 groups): the time each target takes, its
// files and bytes, the rules it carries and leaves out, and for AWS the
// largest security group against its quota, before and after CIDR merging.
// Pods for the Kubernetes targets: each host as a pod labelled by its group.
import { performance } from 'node:perf_hooks';
import type { PodEntry } from '../../src/core/enrich/kubernetes';
import { awsSecurityGroupUsage } from '../../src/core/export/aws-sg-target';
import { exportPolicy } from '../../src/core/export/export-policy';
import { EXPORT_TARGETS } from '../../src/core/export/export-types';
import { DEFAULT_POLICY_SETTINGS } from '../../src/core/policy/policy-model';
import { WhatIfSession } from '../../src/core/policy/whatif/whatif-session';
import { whatIfScale } from '../../src/core/synth/whatif-scale';

const HOSTS = 5_000;
const EDGES = 50_000;
const RUNS = 3;

const scale = whatIfScale(HOSTS, EDGES);
const session = new WhatIfSession({ edges: scale.edges, flagged: new Set(), hosts: scale.hosts, logons: [], settings: DEFAULT_POLICY_SETTINGS, grouping: { groups: scale.groups, assignment: scale.assignment } });
const policy = session.policy({ settings: DEFAULT_POLICY_SETTINGS, analysis: null, inputs: [], window: { from: null, to: null }, hosts: scale.hosts }, (groups) => groups.map(() => null));
const pods: PodEntry[] = [...scale.assignment].map(([ip, group]) => ({ ips: [ip], pod: `pod-${ip.replaceAll('.', '-')}`, namespace: 'bench', labels: { app: group }, owner: null }));
const internalGroups = policy.groups.filter((group) => group.kind !== 'external' && group.kind !== 'all-internal').length;

console.log(`Export of a ${HOSTS.toLocaleString('en')}-host policy: ${internalGroups} groups, ${policy.rules.length} rules (median of ${RUNS} runs per target)`);
console.log('target      time (ms)  files  bytes        rules exported  left out  notes');
for (const target of EXPORT_TARGETS) {
  const times: number[] = [];
  let result = exportPolicy(policy, { targets: [target], logDrops: false, pods });
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    result = exportPolicy(policy, { targets: [target], logDrops: false, pods });
    times.push(performance.now() - started);
  }
  const report = result.report.targets[0]!;
  const bytes = report.files.reduce((sum, file) => sum + file.bytes, 0);
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  console.log(`${target.padEnd(11)} ${median.toFixed(0).padStart(9)}  ${String(report.files.length).padStart(5)}  ${bytes.toLocaleString('en').padStart(11)}  ${String(report.rulesExported).padStart(14)}  ${String(report.rulesSkipped).padStart(8)}  ${result.report.notes.length}`);
}

// AWS: EC2 counts rules per security group, direction and address family. The
// policy's rule sides per group before any merging; then what exact CIDR
// merging leaves (needed) and what was exported after widening or leaving out.
const usage = awsSecurityGroupUsage(policy);
const sides = new Map<string, number>();
for (const rule of policy.rules) for (const end of [rule.from, rule.to]) sides.set(end, (sides.get(end) ?? 0) + 1);
const fullest = usage.groups[0]!;
const total = (pick: (entry: (typeof usage.groups)[number]) => { inboundIpv4: number; inboundIpv6: number; outboundIpv4: number; outboundIpv6: number }): number =>
  usage.groups.reduce((sum, entry) => { const counts = pick(entry); return sum + counts.inboundIpv4 + counts.inboundIpv6 + counts.outboundIpv4 + counts.outboundIpv6; }, 0);
console.log(`aws-sg: ${usage.groups.length} security groups, ${total((entry) => entry.needed).toLocaleString('en')} EC2 rules after exact merging, ${total((entry) => entry.exported).toLocaleString('en')} exported; at most ${usage.securityGroupsPerInterface} security groups per interface (quota ${usage.quotas.securityGroupsPerInterface})`);
console.log(`aws-sg largest: ${fullest.name} (${fullest.group}, ${sides.get(fullest.group) ?? 0} policy rule sides before merging): inbound ${fullest.needed.inboundIpv4}+${fullest.needed.inboundIpv6}, outbound ${fullest.needed.outboundIpv4}+${fullest.needed.outboundIpv6} (IPv4+IPv6) needed against ${usage.quotas.rulesPerSecurityGroup} per direction and family; exported ${fullest.exported.inboundIpv4}+${fullest.exported.inboundIpv6} in, ${fullest.exported.outboundIpv4}+${fullest.exported.outboundIpv6} out`);
