import { strToU8, zipSync, type Zippable } from 'fflate';
import { exportPolicy, type ExportReport } from '../export/export-policy';
import { EXPORT_TARGETS, type ExportTargetName } from '../export/export-types';
import type { Policy } from '../policy/policy-model';

/**
 * The targets the workbench exports: every one but those that select pods
 * by the labels of the pod lists (k8s, cilium), which the workbench does not
 * keep; the CLI exports those (flowfence export --pods).
 */
export const WORKBENCH_TARGETS: readonly ExportTargetName[] = EXPORT_TARGETS.filter((target) => target !== 'k8s' && target !== 'cilium');

/** Zip entries carry this date, whatever the day: the same policy and targets give the same bytes. */
const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1));

export interface RuleSetBundle {
  /** A zip of every target's files, export-report.json and export-notes.csv. */
  readonly bytes: Uint8Array;
  readonly report: ExportReport;
}

/** The workbench's policy as it now stands, compiled for the chosen targets into one zip. */
export function ruleSetBundle(policy: Policy, targets: readonly ExportTargetName[], logDrops: boolean): RuleSetBundle {
  const unknown = targets.filter((target) => !WORKBENCH_TARGETS.includes(target));
  if (unknown.length > 0) throw new Error(`the workbench does not export ${unknown.join(', ')}: ${unknown.some((target) => target === 'k8s' || target === 'cilium') ? 'Kubernetes targets need the pod lists, use flowfence export --pods' : 'no such target'}`);
  if (targets.length === 0) throw new Error('choose at least one target');
  const result = exportPolicy(policy, { targets, logDrops });
  const zippable: Zippable = {};
  for (const file of result.files) zippable[file.path] = [strToU8(file.content), { mtime: FIXED_MTIME, level: 6 }];
  return { bytes: zipSync(zippable), report: result.report };
}
