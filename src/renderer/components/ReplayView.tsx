import type { AnalysisSummary } from '../../core/report/summary';
import type { WorkbenchView } from '../../core/workbench/workbench';
import { formatCount, formatPercent } from '../format/numbers';
import { HoldoutPicker } from './HoldoutPicker';
import { BlockedEdgesTable } from './BlockedEdgesTable';

/**
 * The policy replayed on the flows: what it permits, what it would block
 * (each blocked edge with its reason), what was refused already, and the
 * exposure it leaves (host pairs, admin paths, the hosts whose compromise
 * reaches furthest). Follows every edit; the hold-out figures are those of
 * the analysis run.
 */
export function ReplayView({ view, summary }: { readonly view: WorkbenchView; readonly summary: AnalysisSummary }) {
  const { simulation, exposure } = view;
  const rows = [
    { key: 'permitted', label: 'Permitted', edges: simulation.permittedEdges, flows: simulation.permitted },
    { key: 'escaped', label: 'Would be blocked', edges: simulation.escapedEdges, flows: simulation.escaped },
    // Under the groups' stages the blocked split in two: what an observing stage only logs, and what is blocked now.
    ...(view.stages.logged.edges === 0
      ? []
      : [
          { key: 'stage-logged', label: '… of which only logged (stage)', edges: view.stages.logged.edges, flows: view.stages.logged.flows },
          { key: 'stage-blocked', label: '… of which blocked now (stage)', edges: view.stages.blocked.edges, flows: view.stages.blocked.flows },
        ]),
    { key: 'rejected', label: 'Refused today', edges: simulation.rejectedEdges, flows: simulation.rejected },
  ];
  return (
    <section className="replay" aria-label="Replay">
      <HoldoutPicker summary={summary} />
      <div className="replay-figures">
        <table className="data-table">
          <caption>Replay of the flows against the policy: {formatPercent(simulation.coverage)} of allowed flows permitted</caption>
          <thead>
            <tr>
              <th scope="col">Verdict</th>
              <th scope="col" className="num">
                Edges
              </th>
              <th scope="col" className="num">
                Flows
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-verdict={row.key}>
                <th scope="row">{row.label}</th>
                <td className="num">{formatCount(row.edges)}</td>
                <td className="num">{formatCount(row.flows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data-table">
          <caption>Exposure</caption>
          <tbody>
            <tr data-exposure="pairs">
              <th scope="row">Host pairs allowed</th>
              <td className="num">
                {formatCount(exposure.policyPairs)} of {formatCount(exposure.flatPairs)} ({formatPercent(exposure.reduction)} fewer than a flat network)
              </td>
            </tr>
            <tr data-exposure="admin">
              <th scope="row">Admin paths</th>
              <td className="num">{formatCount(exposure.adminPaths)}</td>
            </tr>
            <tr>
              <th scope="row">Blast radius ({exposure.blastRadius.hops} hops)</th>
              <td className="num">
                mean {exposure.blastRadius.mean.toFixed(1)}, worst {formatCount(exposure.blastRadius.max)} hosts
              </td>
            </tr>
          </tbody>
        </table>
        {summary.holdout !== undefined && (
          <table className="data-table">
            <caption>Hold-out of the analysis run (flows after the split)</caption>
            <tbody>
              <tr>
                <th scope="row">Known-service edges that would break</th>
                <td className="num">
                  {formatCount(summary.holdout.escapedEdges)} of {formatCount(summary.holdout.replayedEdges)} ({(summary.holdout.wouldBreakRate * 100).toFixed(2)}%)
                </td>
              </tr>
              <tr>
                <th scope="row">New services blocked (drift)</th>
                <td className="num">{formatCount(summary.holdout.newServices)}</td>
              </tr>
            </tbody>
          </table>
        )}
      </div>
      {exposure.blastRadius.top.length > 0 && (
        <table className="data-table">
          <caption>Hosts whose compromise reaches furthest</caption>
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col" className="num">
                Reachable hosts
              </th>
            </tr>
          </thead>
          <tbody>
            {exposure.blastRadius.top.map((host) => (
              <tr key={host.ip}>
                <td className="mono">{host.ip}</td>
                <td className="num">{formatCount(host.reachable)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <BlockedEdgesTable edges={view.escaped} total={simulation.escapedEdges} empty="The policy permits every allowed flow of the replay." />
    </section>
  );
}
