import { useState } from 'react';
import type { AnalysisSummary } from '../../core/report/summary';
import type { WorkbenchView } from '../../core/workbench/workbench';
import { formatCount } from '../format/numbers';
import { DecisionForm } from './DecisionForm';
import { useWorkbench } from './workbench-context';

/**
 * Traffic discovery left out because it looked like an attack or a
 * mistake, each with its evidence. The analyst keeps it flagged or accepts
 * it as legitimate with a reason; an accepted anomaly's edges then count as
 * evidence for rules like any other.
 */
export function AnomaliesView({ view, summary }: { readonly view: WorkbenchView; readonly summary: AnalysisSummary }) {
  const controller = useWorkbench();
  const [accepting, setAccepting] = useState<number | null>(null);
  // After accepting, or cancelling, the focus goes back to the anomaly's row button, not to the top of the page.
  const finish = (number: number) => {
    setAccepting(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-anomaly="${number}"] button`)?.focus());
  };
  if (summary.anomalies.length === 0) return <p className="muted-text">No anomalies were found in this traffic.</p>;
  return (
    <table className="data-table anomalies">
      <caption>
        {formatCount(summary.anomalies.length)} anomalies, {formatCount(Object.keys(view.acceptedAnomalies).length)} accepted
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Kind</th>
          <th scope="col">Source</th>
          <th scope="col">Destination</th>
          <th scope="col">Ports</th>
          <th scope="col" className="num">
            Flows
          </th>
          <th scope="col">Evidence</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {summary.anomalies.map((anomaly, number) => {
          const accepted = view.acceptedAnomalies[String(number)];
          return (
            <tr key={number} data-anomaly={number} className={accepted === undefined ? 'is-flagged' : 'is-accepted'}>
              <td>{number + 1}</td>
              <td>{anomaly.kind}</td>
              <td className="mono">{anomaly.src}</td>
              <td className="mono">{anomaly.dst}</td>
              <td>{anomaly.ports.length > 8 ? `${anomaly.ports.slice(0, 8).join(', ')} +${anomaly.ports.length - 8}` : anomaly.ports.join(', ')}</td>
              <td className="num">{formatCount(anomaly.flows)}</td>
              <td>{anomaly.reason}</td>
              <td className="decision-cell">
                {accepted === undefined ? (
                  accepting === number ? (
                    <DecisionForm
                      what={`anomaly ${number + 1}`}
                      decision="accepted"
                      onSubmit={(reason) =>
                        controller.edit({ kind: 'anomaly', anomaly: number, accepted: true, reason }).then((done) => {
                          if (done) finish(number);
                        })
                      }
                      onCancel={() => finish(number)}
                    />
                  ) : (
                    <>
                      Flagged{' '}
                      <button type="button" onClick={() => setAccepting(number)} aria-label={`accept anomaly ${number + 1} as legitimate`}>
                        Accept…
                      </button>
                    </>
                  )
                ) : (
                  <>
                    Accepted: {accepted}{' '}
                    <button type="button" onClick={() => void controller.edit({ kind: 'anomaly', anomaly: number, accepted: false, reason: '' })} aria-label={`flag anomaly ${number + 1} again`}>
                      Flag again
                    </button>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
