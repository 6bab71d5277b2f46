import { strToU8, zipSync, type Zippable } from 'fflate';
import { exportPolicy, type ExportReport } from '../export/export-policy';
import { EXPORT_TARGETS, POD_TARGETS, type ExportTargetName } from '../export/export-types';
import type { Policy } from '../policy/policy-model';


/**
 * The targets the workbench offers for a policy: every one, but those that
 * select pods only when the analysis knew pods (pod lists given to it, or
 * pods the flow records named): without them there is nothing to select.
 */
export function workbenchTargets(podCount: number): readonly ExportTargetName[] {
  return podCount > 0 ? EXPORT_TARGETS : EXPORT_TARGETS.filter((target) => !POD_TARGETS.includes(target));
}

/** Zip entries carry this date, whatever the day: the same policy and targets give the same bytes. */
const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1));

export interface RuleSetBundle {
  /** A zip of every target's files, export-report.json and export-notes.csv. */
  readonly bytes: Uint8Array;
  readonly report: ExportReport;
}

/** The workbench's policy as it now stands, compiled for the chosen targets into one zip. */
export function ruleSetBundle(policy: Policy, targets: readonly ExportTargetName[], logDrops: boolean): RuleSetBundle {
  const offered = workbenchTargets(policy.pods?.length ?? 0);
  const unknown = targets.filter((target) => !offered.includes(target));
  if (unknown.length > 0) {
    const why = unknown.every((target) => POD_TARGETS.includes(target)) ? 'the analysis knew no pods: add the pod lists (kubectl get pods -A -o json) to the files analysed' : 'no such target';
    throw new Error(`the workbench cannot export ${unknown.join(', ')}: ${why}`);
  }
  if (targets.length === 0) throw new Error('choose at least one target');
  // The pods are the policy's own (policy.pods): exportPolicy falls back to them.
  const result = exportPolicy(policy, { targets, logDrops });
  const zippable: Zippable = {};
  for (const file of result.files) zippable[file.path] = [strToU8(file.content), { mtime: FIXED_MTIME, level: 6 }];
  return { bytes: zipSync(zippable), report: result.report };
}
