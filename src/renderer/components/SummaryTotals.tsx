import type { AnalysisSummary } from '../../core/report/summary';
import { formatCount, formatUtc } from '../format/numbers';

/** Totals over every input: what was read, what entered the model, and the time window it covers. */
export function SummaryTotals({ summary }: { readonly summary: AnalysisSummary }) {
  const read = summary.inputs.reduce((sum, input) => sum + input.read, 0);
  const accepted = summary.inputs.reduce((sum, input) => sum + input.accepted, 0);
  const rejected = summary.inputs.reduce((sum, input) => sum + input.rejected, 0);
  const failed = summary.inputs.filter((input) => input.error !== undefined).length;
  const totals: readonly { key: string; label: string; value: string; tone?: 'warn' }[] = [
    { key: 'files', label: 'Files', value: formatCount(summary.inputs.length) },
    { key: 'unreadable', label: 'Unreadable', value: formatCount(failed), ...(failed > 0 ? { tone: 'warn' as const } : {}) },
    { key: 'read', label: 'Rows read', value: formatCount(read) },
    { key: 'accepted', label: 'Accepted', value: formatCount(accepted) },
    { key: 'rejected', label: 'Rejected', value: formatCount(rejected), ...(rejected > 0 ? { tone: 'warn' as const } : {}) },
    { key: 'hosts', label: 'Hosts', value: formatCount(summary.hosts) },
    { key: 'edges', label: 'Edges', value: formatCount(summary.edges) },
  ];
  return (
    <section className="totals" aria-label="Totals">
      <dl className="totals-grid">
        {totals.map((total) => (
          <div key={total.key} className={`total${total.tone === 'warn' ? ' is-warn' : ''}`} data-total={total.key}>
            <dt>{total.label}</dt>
            <dd>{total.value}</dd>
          </div>
        ))}
        <div className="total total-window" data-total="window">
          <dt>Window</dt>
          <dd>
            <time dateTime={summary.window.from ?? undefined}>{formatUtc(summary.window.from)}</time>
            <span className="window-sep" aria-label="to">
              →
            </span>
            <time dateTime={summary.window.to ?? undefined}>{formatUtc(summary.window.to)}</time>
          </dd>
        </div>
      </dl>
    </section>
  );
}
