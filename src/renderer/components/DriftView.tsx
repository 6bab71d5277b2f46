import { useRef, useState } from 'react';
import type { Progress } from '../../core/progress';
import type { DriftCheck } from '../../core/workbench/drift-check';
import type { WorkbenchView } from '../../core/workbench/workbench';
import { isAbortError } from '../engine/errors';
import { filesFromList } from '../files/picked-files';
import { formatCount, formatPercent } from '../format/numbers';
import { stageLabel } from '../format/stages';
import { groupNames } from '../model/rule-filter';
import { useAppStore } from '../store/app-store';
import { BlockedEdgesTable } from './BlockedEdgesTable';
import { useWorkbench } from './workbench-context';

type DriftState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: Progress | null; readonly cancel: () => void }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Newer exports against the policy as the work now has it: the edges it
 * would block (new or changed behaviour), the rules nothing used (removal
 * candidates) and where the hosts that appeared since belong. The exports
 * are read by the engine like an analysis's, in a database of their own.
 */
export function DriftView({ view }: { readonly view: WorkbenchView }) {
  const controller = useWorkbench();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<DriftState>({ kind: 'idle' });
  // The result lives in the store: it is still there when the analyst comes back to this tab.
  const done = useAppStore((store) => store.drift);
  const driftChecked = useAppStore((store) => store.driftChecked);
  const nameOf = groupNames(view.policy);
  const start = (files: ReturnType<typeof filesFromList>) => {
    if (files.length === 0) return;
    // The check belongs to the work it was started on: a result arriving after new work replaced it is dropped.
    const work = useAppStore.getState().summary;
    const handle = controller.drift(files, (progress) => setState((before) => (before.kind === 'running' ? { ...before, progress } : before)));
    setState({ kind: 'running', progress: null, cancel: handle.cancel });
    handle.result.then(
      (check) => {
        if (useAppStore.getState().summary === work) driftChecked({ check, files: files.map((file) => file.path).join(', ') });
        setState({ kind: 'idle' });
      },
      (error: unknown) => setState(isAbortError(error) ? { kind: 'idle' } : { kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  };
  return (
    <section className="drift" aria-label="Drift">
      <div className="table-tools">
        <input
          ref={input}
          className="visually-hidden"
          type="file"
          multiple
          tabIndex={-1}
          aria-label="Newer flow exports"
          onChange={(event) => {
            const files = filesFromList(event.currentTarget.files);
            event.currentTarget.value = '';
            start(files);
          }}
        />
        <button type="button" disabled={state.kind === 'running'} onClick={() => input.current?.click()}>
          Check newer exports…
        </button>
        {state.kind === 'running' && (
          <>
            <span role="status">
              {stageLabel(state.progress?.stage ?? 'engine')} {formatPercent(state.progress?.fraction ?? 0)}
            </span>
            <button type="button" onClick={state.cancel}>
              Cancel
            </button>
          </>
        )}
        {state.kind === 'failed' && (
          <span role="alert" className="is-warn">
            The check failed: {state.message}
          </span>
        )}
        {state.kind === 'idle' && done === null && <span className="muted-text">Load flow exports from after the analysed window to see what the policy would break, which rules went unused, and where new hosts belong.</span>}
      </div>
      {state.kind !== 'running' && done !== null && <DriftResult drift={done.check} names={done.files} nameOf={nameOf} />}
    </section>
  );
}

function DriftResult({ drift, names, nameOf }: { readonly drift: DriftCheck; readonly names: string; readonly nameOf: ReadonlyMap<string, string> }) {
  const placed = drift.newHosts.filter((host) => host.group !== null).length;
  return (
    <>
      <p role="status" data-figure="drift">
        {names}: {formatPercent(drift.simulation.coverage)} of allowed flows permitted; {formatCount(drift.blockedTotal)} edges the policy would block, {formatCount(drift.unusedRules.length)} rules unused,{' '}
        {formatCount(drift.newHosts.length)} new hosts ({formatCount(placed)} placed). Checked against the policy as it was then: check again after regrouping or deciding.
      </p>
      <BlockedEdgesTable edges={drift.blocked} total={drift.blockedTotal} />
      <table className="data-table">
        <caption>Rules no traffic used (removal candidates)</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Service</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {drift.unusedRules.map((rule) => (
            <tr key={rule.id}>
              <td className="mono">{rule.id}</td>
              <td>{nameOf.get(rule.from) ?? rule.from}</td>
              <td>{nameOf.get(rule.to) ?? rule.to}</td>
              <td>{rule.service}</td>
              <td>{rule.lastSeen ?? 'never'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data-table">
        <caption>New hosts and where they belong</caption>
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Group</th>
            <th scope="col" className="num">
              Confidence
            </th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {drift.newHosts.map((host) => (
            <tr key={host.ip}>
              <td className="mono">{host.ip}</td>
              <td>{host.group === null ? 'unassigned' : (nameOf.get(host.group) ?? host.group)}</td>
              <td className="num">{Math.round(host.confidence * 100)}%</td>
              <td>{host.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
