import { sha256Hex } from '../policy/canonical-json';
import type { Policy } from '../policy/policy-model';
import { csvLine } from '../report/csv-line';
import { csvTarget } from './csv-target';
import { EXPORT_TARGETS, type ExportFile, type ExportNote, type ExportTargetName, type StageCoverage, type TargetOutput } from './export-types';
import type { PodEntry } from '../enrich/kubernetes';
import { awsSgTarget } from './aws-sg-target';
import type { AwsSgQuotas } from './aws-sg-quotas';
import { azureNsgTarget } from './azure-nsg-target';
import { ciliumTarget } from './cilium-target';
import { gcpTarget } from './gcp-target';
import { iptablesTarget } from './iptables-target';
import { k8sTarget } from './k8s-target';
import { nftablesTarget } from './nftables-target';
import { windowsTarget } from './windows-target';
import { stagedGroups } from './stage-plan';

export interface ExportOptions {
  readonly targets: readonly ExportTargetName[];
  readonly logDrops: boolean;
  /**
   * The cluster's pods, from `kubectl get pods -A -o json` lists (the k8s
   * and cilium targets select pods by their labels); the pods the policy
   * recorded from its analysis (policy.pods) when not given.
   */
  readonly pods?: readonly PodEntry[];
  /** AWS quotas the account has raised (rules per security group, security groups per interface); the defaults otherwise. */
  readonly awsQuotas?: Partial<AwsSgQuotas>;
}

export interface ExportReport {
  readonly format: 'flowfence-export-report';
  readonly policySha256: string;
  readonly targets: readonly {
    readonly target: ExportTargetName;
    readonly rulesExported: number;
    readonly rulesSkipped: number;
    readonly files: readonly { readonly path: string; readonly sha256: string; readonly bytes: number }[];
    /** How the target expressed the groups' stages; present only when some group is in observe or selective. */
    readonly stages?: StageCoverage;
  }[];
  readonly notes: readonly ExportNote[];
}

export interface PolicyExport {
  /** Every target's files, then export-report.json and export-notes.csv. */
  readonly files: readonly ExportFile[];
  readonly report: ExportReport;
}

/** Parses "nftables,csv"; throws with the list of targets on an unknown name. */
export function parseTargets(text: string): ExportTargetName[] {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  if (names.length === 0) throw new Error(`no target named; targets: ${EXPORT_TARGETS.join(', ')}`);
  for (const name of names) if (!(EXPORT_TARGETS as readonly string[]).includes(name)) throw new Error(`unknown target "${name}"; targets: ${EXPORT_TARGETS.join(', ')}`);
  return [...new Set(names)] as ExportTargetName[];
}

function compile(policy: Policy, target: ExportTargetName, options: ExportOptions): TargetOutput {
  switch (target) {
    case 'csv':
      return csvTarget(policy);
    case 'aws-sg':
      return awsSgTarget(policy, options.awsQuotas === undefined ? {} : { quotas: options.awsQuotas });
    case 'azure-nsg':
      return azureNsgTarget(policy);
    case 'cilium':
      return ciliumTarget(policy, { pods: options.pods ?? policy.pods ?? [] });
    case 'gcp':
      return gcpTarget(policy);
    case 'iptables':
      return iptablesTarget(policy, { logDrops: options.logDrops });
    case 'k8s':
      return k8sTarget(policy, { pods: options.pods ?? policy.pods ?? [] });
    case 'nftables':
      return nftablesTarget(policy, { logDrops: options.logDrops });
    case 'windows':
      return windowsTarget(policy);
  }
}

/**
 * Compiles the policy for each target (in EXPORT_TARGETS order, whatever
 * order they were asked in, so the output is the same) and writes the
 * export report: per target the rules carried and left out and each file's
 * digest, and per rule what a target could not express and what it did
 * instead. Every target expresses the groups' enforcement stages, or leaves
 * a staged group open and names it (export-report.json: stages per target).
 */
export function exportPolicy(policy: Policy, options: ExportOptions): PolicyExport {
  const anyStaged = stagedGroups(policy).length > 0;
  const outputs: [ExportTargetName, TargetOutput][] = [];
  for (const target of EXPORT_TARGETS) {
    if (!options.targets.includes(target)) continue;
    outputs.push([target, compile(policy, target, options)]);
  }
  const encoder = new TextEncoder();
  const report: ExportReport = {
    format: 'flowfence-export-report',
    policySha256: policy.contentSha256,
    targets: outputs.map(([target, output]) => ({
      target,
      rulesExported: output.rulesExported,
      rulesSkipped: output.rulesSkipped,
      files: output.files.map((file) => ({ path: file.path, sha256: sha256Hex(file.content), bytes: encoder.encode(file.content).length })),
      ...(anyStaged && output.stages !== undefined ? { stages: output.stages } : {}),
    })),
    notes: outputs.flatMap(([, output]) => output.notes),
  };
  const notesCsv = [csvLine(['target', 'rule', 'what', 'action', 'instead']), ...report.notes.map((note) => csvLine([note.target, note.rule ?? '', note.what, note.action, note.instead]))].join('');
  return {
    files: [...outputs.flatMap(([, output]) => output.files), { path: 'export-report.json', content: `${JSON.stringify(report, null, 2)}\n` }, { path: 'export-notes.csv', content: notesCsv }],
    report,
  };
}
