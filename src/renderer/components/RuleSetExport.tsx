import { useState } from 'react';
import type { ExportReport } from '../../core/export/export-policy';
import type { ExportTargetName, StageCoverage } from '../../core/export/export-types';
import { POD_TARGETS } from '../../core/export/export-types';
import { workbenchTargets } from '../../core/workbench/rule-set-bundle';
import { saveArchive } from '../platform/save-archive';
import { useAppStore } from '../store/app-store';
import { useWorkbench } from './workbench-context';

const WHAT: Readonly<Record<ExportTargetName, string>> = {
  'aws-sg': 'AWS security groups: Terraform and CloudFormation',
  'azure-nsg': 'Azure network and application security groups: an ARM template',
  cilium: 'CiliumNetworkPolicies',
  csv: 'every rule flattened, for anything else',
  gcp: 'Google Cloud VPC firewall rules: Terraform, with the tag of each host',
  iptables: 'iptables-restore tables per host, IPv4 and IPv6',
  k8s: 'Kubernetes NetworkPolicies',
  nftables: 'an nftables ruleset per host, and one for all',
  windows: 'Windows Defender Firewall: a PowerShell script per host and per group',
};

/** Notes shown on the page; the zip's export-notes.csv has them all. */
const NOTES_SHOWN = 12;

/**
 * The policy as the analyst's edits left it, compiled for the enforcement
 * points they choose, saved as one zip with the export report. What a
 * target could not express is listed after the save, as the CLI lists it.
 * Kubernetes targets are offered when the analysis knew pods.
 */
export function RuleSetExport({ pods }: { readonly pods: number }) {
  const controller = useWorkbench();
  const noticeShown = useAppStore((state) => state.noticeShown);
  const [chosen, setChosen] = useState<readonly ExportTargetName[]>(['nftables']);
  const [logDrops, setLogDrops] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ExportReport | null>(null);
  const offered = workbenchTargets(pods);
  const toggle = (target: ExportTargetName) => setChosen((current) => (current.includes(target) ? current.filter((entry) => entry !== target) : [...current, target]));
  const save = async () => {
    setBusy(true);
    try {
      const bundle = await controller.ruleSets(offered.filter((target) => chosen.includes(target)), logDrops);
      if (bundle === null) return;
      const outcome = await saveArchive('flowfence-rule-sets.zip', bundle.bytes);
      if (!outcome.saved) return;
      setReport(bundle.report);
      noticeShown({ tone: 'info', text: `Saved ${outcome.fileName}` });
    } catch (error) {
      noticeShown({ tone: 'error', text: `Could not save the rule sets: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="rule-set-export" aria-label="Rule sets">
      <h3>Rule sets for enforcement points</h3>
      <fieldset disabled={busy}>
        <legend>Targets</legend>
        {offered.map((target) => (
          <label key={target} className="target-choice">
            <input type="checkbox" checked={chosen.includes(target)} onChange={() => toggle(target)} /> <code>{target}</code> <span className="muted-text">{WHAT[target]}</span>
          </label>
        ))}
        <label className="target-choice">
          <input type="checkbox" checked={logDrops} onChange={() => setLogDrops(!logDrops)} /> log what host firewalls drop (nftables, iptables)
        </label>
      </fieldset>
      {pods === 0 ? (
        <p className="muted-text">
          {POD_TARGETS.join(' and ')}: this analysis knew no Kubernetes pods. Add the pod lists (kubectl get pods -A -o json) to the files analysed, or export with the CLI (flowfence export --pods …).
        </p>
      ) : (
        <p className="muted-text">
          {POD_TARGETS.join(' and ')} select the {pods.toLocaleString('en')} pod{pods === 1 ? '' : 's'} this analysis knew by their labels.
        </p>
      )}
      <button type="button" disabled={busy || !offered.some((target) => chosen.includes(target))} onClick={() => void save()}>
        {busy ? 'Compiling…' : 'Save rule sets (.zip)'}
      </button>
      {report !== null && <RuleSetReport report={report} />}
    </section>
  );
}

function RuleSetReport({ report }: { readonly report: ExportReport }) {
  const staged = report.targets.some((target) => target.stages !== undefined);
  const leftOpen = report.targets.flatMap((target) => (target.stages?.leftOpen ?? []).map((entry) => ({ target: target.target, ...entry })));
  return (
    <div className="rule-set-report">
      <table aria-label="Exported rule sets">
        <thead>
          <tr>
            <th>Target</th>
            <th>Rules</th>
            <th>Left out</th>
            <th>Files</th>
            {staged && <th>Stages</th>}
          </tr>
        </thead>
        <tbody>
          {report.targets.map((target) => (
            <tr key={target.target}>
              <td>{target.target}</td>
              <td>{target.rulesExported}</td>
              <td>{target.rulesSkipped}</td>
              <td>{target.files.length}</td>
              {staged && <td>{target.stages === undefined ? 'stages not applicable' : stageCounts(target.stages)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {leftOpen.length > 0 && (
        <>
          <p>
            {leftOpen.length} staged group{leftOpen.length === 1 ? ' is' : 's are'} left open by targets that cannot express {leftOpen.length === 1 ? 'its' : 'their'} stage (not isolated until promoted to enforce):
          </p>
          <ul className="export-notes" aria-label="Groups left open">
            {leftOpen.slice(0, NOTES_SHOWN).map((entry) => (
              <li key={`${entry.target}|${entry.group}`}>
                <code>{entry.target}</code> {entry.group} ({entry.stage}): {entry.why}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        {report.notes.length === 0 ? 'Every rule was expressed as asked.' : `${report.notes.length} thing${report.notes.length === 1 ? '' : 's'} not expressible as asked (export-notes.csv in the zip lists them all):`}
      </p>
      {report.notes.length > 0 && (
        <ul className="export-notes">
          {report.notes.slice(0, NOTES_SHOWN).map((note, index) => (
            <li key={index}>
              <code>{note.target}</code> {note.rule ?? 'export'}: {note.what}; {note.action}: {note.instead}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "3 enforced · 1 observed (logged) · 1 selective · 2 left open": how one target expressed the stages. */
function stageCounts(stages: StageCoverage): string {
  const parts = [`${stages.enforced.length} enforced`];
  if (stages.observed.length > 0) parts.push(`${stages.observed.length} observed (logged)`);
  if (stages.selective.length > 0) parts.push(`${stages.selective.length} selective`);
  if (stages.leftOpen.length > 0) parts.push(`${stages.leftOpen.length} left open`);
  return parts.join(' · ');
}
