import { useEffect, useState } from 'react';
import type { Measure, Measures } from '../../core/measures/measures-model';
import type { WorkbenchView } from '../../core/workbench/workbench';
import type { MeasuresOfWork } from '../engine/protocol';
import { formatCount, formatPercent } from '../format/numbers';
import { useWorkbench } from './workbench-context';

/**
 * The measures of success of the work as it now is: host pairs, admin paths
 * and blast radius flat / at the current stages / fully enforced, hosts per
 * stage, certifications, drift and anomalies, each with its chart. The
 * engine measures and draws (measure-charts.ts: ECharts' SVG, whose text it
 * escapes, with nothing interactive left in it); the page only places the
 * SVG. Measured again after every edit (the view changes with each).
 */
export function MeasuresView({ view }: { readonly view: WorkbenchView }) {
  const controller = useWorkbench();
  const [work, setWork] = useState<MeasuresOfWork | null>(null);
  useEffect(() => {
    let live = true;
    void controller.measures().then((found) => {
      if (live) setWork(found);
    });
    return () => {
      live = false;
    };
  }, [controller, view]);
  if (work === null) return <p className="table-count">Measuring…</p>;
  return (
    <section className="measures" aria-label="Measures of success">
      <FiguresTable measures={work.measures} />
      <p className="muted-text">A trend across weeks: save the workspace each week and run “flowfence measures” on the saved workspaces.</p>
      {work.charts.map((chart) => (
        <figure key={chart.id} className="measure-chart" data-chart={chart.id}>
          {/* SVG text drawn by the engine: ECharts escaped every label (measure-charts.test.ts parses it back). */}
          <div role="img" aria-label={chart.title} dangerouslySetInnerHTML={{ __html: chart.svg }} />
          <figcaption className="muted-text">{chart.caption}</figcaption>
        </figure>
      ))}
    </section>
  );
}

const triple = (measure: Measure<{ flat: number; currentStage: number; fullEnforcement: number }>, format: (value: number) => string): readonly string[] =>
  'unavailable' in measure ? ['unavailable', 'unavailable', 'unavailable'] : [format(measure.flat), format(measure.currentStage), format(measure.fullEnforcement)];

function FiguresTable({ measures }: { readonly measures: Measures }) {
  const blast = 'unavailable' in measures.blastRadius ? measures.blastRadius : measures.blastRadius.mean;
  const rows: readonly (readonly [string, readonly string[]])[] = [
    ['Host pairs reachable', triple(measures.reachablePairs, formatCount)],
    ['Admin paths', triple(measures.adminPaths, formatCount)],
    ['Mean blast radius (hosts)', triple(blast, (value) => value.toFixed(1))],
  ];
  const { share } = measures.hostsPerStage;
  const { certifications, drift, unusedRules, anomalies } = measures;
  return (
    <>
      <table className="measures-table">
        <thead>
          <tr>
            <th>Measure</th>
            <th>Flat network</th>
            <th>Current stages</th>
            <th>Full enforcement</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, values]) => (
            <tr key={label}>
              <td>{label}</td>
              {values.map((value, index) => (
                <td key={index} className="num" data-figure={`${label}-${index}`}>
                  {value}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="measures-list">
        <li data-figure="stages">
          Hosts per stage: {formatPercent(share.observe)} observe, {formatPercent(share.selective)} selective, {formatPercent(share.enforce)} enforce, {formatPercent(share.ungrouped)} ungrouped
        </li>
        <li data-figure="certifications">
          Rules certified {formatCount(certifications.certified)}, expired {formatCount(certifications.expired)}
        </li>
        <li data-figure="drift">{'unavailable' in drift ? `Drift: ${drift.unavailable}` : `Drift: ${formatCount(drift.newEdges)} new edges against the policy in ${(drift.weeks * 7).toFixed(1)} days of data${drift.perWeek === null ? '' : ` (${drift.perWeek.toFixed(1)} per week)`}`}</li>
        <li data-figure="unused">{'unavailable' in unusedRules ? `Unused rules: ${unusedRules.unavailable}` : `Rules unused for ${unusedRules.days} days: ${formatCount(unusedRules.count)}`}</li>
        <li data-figure="anomalies">{'unavailable' in anomalies ? `Anomalies: ${anomalies.unavailable}` : `Anomalies: ${formatCount(anomalies.found)} found, ${formatCount(anomalies.open)} still open`}</li>
      </ul>
    </>
  );
}
