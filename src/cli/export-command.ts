import { readFile } from 'node:fs/promises';
import { parseKubernetesList, type PodEntry } from '../core/enrich/kubernetes';
import { exportPolicy, parseTargets } from '../core/export/export-policy';
import { versionRules } from '../core/export/export-version';
import { newFileReport } from '../core/ingest/file-report';
import { RowTally } from '../core/ingest/row-tally';
import { EXPORT_TARGETS, POD_TARGETS, type StageCoverage } from '../core/export/export-types';
import { canonicalJson, sha256Hex } from '../core/policy/canonical-json';
import type { CommandIo } from './analyze-command';
import { UsageError, parseCommandLine } from './args';
import { EXIT } from './exit-codes';
import { versionChangesText } from './export-changes-text';
import { rollBack, writeExportVersion, type WrittenVersion } from './export-versions';
import { checkOutFolder } from './out-folder';
import { policyWarnings, readPolicy } from './replay-flows';
import { terminalText } from './terminal-text';

export const EXPORT_USAGE = `Usage: flowfence export --policy P --target T[,T…] --out DIR [options]
       flowfence export --rollback --out DIR [--to N] [--json]

Compiles a policy into the rule sets of enforcement points. Every exported
rule names its policy rule id and a line of evidence; what a target cannot
express (time windows, identity conditions, just-in-time access, clients
placed by label) is listed per rule in export-report.json and
export-notes.csv with what was done instead.

Targets:
  nftables             nftables/<ip>.nft per host (inet table, input policy drop,
                       established/related, loopback and IPv6 neighbour discovery
                       accepted, each rule's clients by set) and nftables/all.nft
                       for every host (rules also match their servers)
  k8s                  k8s/networkpolicies.yaml: a networking.k8s.io/v1 NetworkPolicy
                       per group and namespace, selecting the group's pods by the
                       labels they carry (policy.json's pods, or --pods), default deny
                       both ways, numeric ports, DNS to the cluster DNS, other
                       hosts and outside networks as ipBlocks
  iptables             iptables/<ip>.v4.rules and .v6.rules per host (a complete filter
                       table for iptables-restore / ip6tables-restore, INPUT policy
                       drop, each rule's clients in a chain of their own) and
                       iptables/all.v4.rules / all.v6.rules for every host
  azure-nsg            azure-nsg/azuredeploy.json: an ARM template with an application
                       security group and a network security group per group,
                       priorities 100-4096 in steps of 10, deny-all at 4096
  gcp                  gcp/firewall.tf: Terraform google_compute_firewall ingress rules
                       by network tag per group, one address family per rule,
                       deny-all at 65000; gcp/instance-tags.csv: the tag of each host
  windows              windows/<ip>.ps1 per host and windows/groups/<group>.ps1: PowerShell
                       New-NetFirewallRule per rule (remote address lists), inbound
                       blocked by default, just-in-time rules created disabled
  cilium               cilium/ciliumnetworkpolicies.yaml: a cilium.io/v2
                       CiliumNetworkPolicy per group and namespace (pods as for k8s), default
                       deny both ways, at most 40 ports per toPorts
  aws-sg               aws-sg/main.tf (Terraform aws_security_group and one
                       aws_vpc_security_group_ingress/egress_rule per rule) and
                       aws-sg/template.json (CloudFormation): a security group per
                       group, referencing each other inside the VPC, CIDRs outside;
                       EC2's quotas checked, CIDRs merged, overflows reported
  csv                  csv/rules.csv: every rule with the addresses of both ends

Options:
  --policy P           policy.json written by "flowfence analyze --out" (required)
  --target T[,T…]      one or more of: ${EXPORT_TARGETS.join(', ')} (required)
  --out DIR            folder to write into (required); files from earlier exports
                       are replaced only when every file of this one is written
  --pods FILE          k8s, cilium: a pod list (kubectl get pods -A -o json); repeatable.
                       Without it, the pods the analysis knew (the pod lists it was
                       given and the pods Hubble flows named, kept in policy.json)
  --aws-rules-per-group N       aws-sg: the account's rules per security group
                       quota, per direction and address family (default 60)
  --aws-groups-per-interface N  aws-sg: security groups per network interface (default 5)
  --log-drops          nftables, iptables: log what the input chain drops
                       ("flowfence drop: ")
  --json               print the export report as JSON on stdout, with the version
                       written ("exportVersion") and what it changes ("changes")
  -h, --help           show this help

Versions: every export is a version of DIR (1, 2, 3…): export-version.json names
it, the SHA-256 of the policy, the SHA-256 of the manifest of the version it
replaced, every file with its SHA-256, and the rules each target opens. Each
version is kept as a zip in DIR/.flowfence-versions/ (a zip, so that tools
deploying every rule file below DIR never pick up an old one). When a version
replaces another, the rules that open, close or change are listed per target
by policy rule id, and files of the old version the new one lacks are removed.

  --rollback           write the version before the current one again, byte for
                       byte, as a new version, after listing the rules that will
                       open and close; takes --out, --to and --json only
  --to N               with --rollback: write version N again instead

Exit codes: 0 written; 2 bad arguments, an unreadable policy, nothing to roll back
to or a damaged version; 1 unexpected failure.`;

/** flowfence export: the policy as enforcement points' rule sets, with a report of what each could not express. */
export async function exportCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    policy: { type: 'string' },
    target: { type: 'string' },
    out: { type: 'string' },
    'log-drops': { type: 'boolean' },
    pods: { type: 'string', multiple: true },
    'aws-rules-per-group': { type: 'string' },
    'aws-groups-per-interface': { type: 'string' },
    json: { type: 'boolean' },
    rollback: { type: 'boolean' },
    to: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    io.stdout.write(`${EXPORT_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`export reads no flow files (got ${positionals[0]})`);
  if (values.rollback === true) {
    const given = (['policy', 'target', 'pods', 'log-drops', 'aws-rules-per-group', 'aws-groups-per-interface'] as const).filter((name) => values[name] !== undefined);
    if (given.length > 0) throw new UsageError(`--rollback writes a kept version as it was: it takes no --${given.join(', --')}`);
    if (values.out === undefined) throw new UsageError('--out DIR is required');
    const to = values.to === undefined ? undefined : wholeNumber('--to', values.to);
    await checkOutFolder(values.out);
    const written = await rollBack(values.out, to, io);
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(versionJson(written), null, 2)}\n`);
      return EXIT.ok;
    }
    const lines = [terminalText(`Version ${written.rollbackOf} written again to ${values.out} as version ${written.version} (it replaces version ${written.previousVersion}):`), ...versionChangesText(written.changes!)];
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  }
  if (values.to !== undefined) throw new UsageError('--to N goes with --rollback');
  if (values.policy === undefined) throw new UsageError('--policy P is required');
  if (values.target === undefined) throw new UsageError(`--target is required (${EXPORT_TARGETS.join(', ')})`);
  if (values.out === undefined) throw new UsageError('--out DIR is required');
  let targets;
  try {
    targets = parseTargets(values.target);
  } catch (error) {
    throw new UsageError(`--target: ${error instanceof Error ? error.message : String(error)}`);
  }
  await checkOutFolder(values.out);
  const file = await readPolicy(values.policy);
  for (const warning of policyWarnings(values.policy, file)) io.stderr.write(`flowfence: warning: ${terminalText(warning)}\n`);
  const podTargets = targets.filter((target) => POD_TARGETS.includes(target));
  if (podTargets.length > 0 && (values.pods ?? []).length === 0 && (file.policy.pods ?? []).length === 0) {
    throw new UsageError(`--target ${podTargets.join(',')} needs pods: the analysis behind ${values.policy} knew none, so give --pods FILE (kubectl get pods -A -o json): the pod lists say which addresses are pods and what labels select them`);
  }
  // Pod lists given here describe the cluster as it is now: they replace the pods the analysis knew.
  const pods = values.pods === undefined ? undefined : await readPodLists(values.pods, io);
  const awsQuotas = {
    ...(values['aws-rules-per-group'] === undefined ? {} : { rulesPerSecurityGroup: wholeNumber('--aws-rules-per-group', values['aws-rules-per-group']) }),
    ...(values['aws-groups-per-interface'] === undefined ? {} : { securityGroupsPerInterface: wholeNumber('--aws-groups-per-interface', values['aws-groups-per-interface']) }),
  };
  let result;
  try {
    result = exportPolicy(file.policy, { targets, logDrops: values['log-drops'] === true, ...(pods === undefined ? {} : { pods }), awsQuotas });
  } catch (error) {
    // A quota the account cannot have is the caller's mistake, not a failure of the export.
    if (error instanceof Error && /rules per security group|security groups per network interface/.test(error.message)) throw new UsageError(error.message);
    throw error;
  }
  const written = await writeExportVersion(
    values.out,
    {
      policySha256: result.report.policySha256,
      targets,
      // The pods given here shape the k8s and cilium files as much as the policy does: their digest is part of the version.
      options: { logDrops: values['log-drops'] === true, podsSha256: pods === undefined ? null : sha256Hex(canonicalJson(pods)), awsQuotas },
      rules: versionRules(file.policy, result.report),
    },
    result.files,
    io,
  );
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify({ ...result.report, ...versionJson(written) }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`Policy ${values.policy} (${file.policy.rules.length} rules) exported to ${values.out} as version ${written.version}${written.previousVersion === null ? '' : ` (it replaces version ${written.previousVersion})`}:`];
  for (const target of result.report.targets) {
    lines.push(`  ${target.target}: ${target.rulesExported} rules, ${target.rulesSkipped} left out, ${target.files.length} file${target.files.length === 1 ? '' : 's'}`);
    if (target.stages !== undefined) lines.push(...stageLines(target.stages));
  }
  const byAction = new Map<string, number>();
  for (const note of result.report.notes) byAction.set(note.action, (byAction.get(note.action) ?? 0) + 1);
  if (byAction.size > 0) lines.push(`  not expressible as asked: ${[...byAction].map(([action, count]) => `${count} ${action}`).join(', ')} (export-notes.csv says which and why)`);
  const changes = written.changes === null ? [] : [terminalText(`Changes from version ${written.previousVersion}:`), ...versionChangesText(written.changes)];
  io.stdout.write(`${[...lines.map(terminalText), ...changes].join('\n')}\n`);
  return EXIT.ok;
}

/** The version written and what it changes, as --json prints them. */
function versionJson(written: WrittenVersion): { exportVersion: Omit<WrittenVersion, 'changes'>; changes: WrittenVersion['changes'] } {
  const { changes, ...exportVersion } = written;
  return { exportVersion, changes };
}

/** The pods of the given lists; an unreadable list is a usage error, pods the list cannot describe are warned about. */
async function readPodLists(paths: readonly string[], io: CommandIo): Promise<PodEntry[]> {
  const pods: PodEntry[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`--pods ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const report = newFileReport(path);
    const reasons: string[] = [];
    let objects;
    try {
      objects = parseKubernetesList(text, new RowTally(report, (_line, reason) => reasons.push(reason)));
    } catch (error) {
      throw new UsageError(`--pods ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (reasons.length > 0) io.stderr.write(`flowfence: warning: ${terminalText(`${path}: ${reasons.length} item${reasons.length === 1 ? '' : 's'} left out (${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''})`)}\n`);
    for (const pod of objects.pods) pods.push(pod);
  }
  return pods;
}

function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${option}: a whole number, not "${text}"`);
  return Number(text);
}

/** A target's staged groups in the summary: how many it observes or enforces selectively, and every group it leaves open, by name. */
function stageLines(stages: StageCoverage): string[] {
  const counts = `    stages: ${stages.enforced.length} enforced, ${stages.observed.length} observed (logged), ${stages.selective.length} selective`;
  if (stages.leftOpen.length === 0) return [counts];
  return [`${counts}, ${stages.leftOpen.length} left open (not isolated by this target until enforced):`, ...stages.leftOpen.map((open) => `      ${open.group} (${open.stage})`)];
}
