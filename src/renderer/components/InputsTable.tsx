import { memo } from 'react';
import type { InputSummary } from '../../core/report/summary';
import { formatCount } from '../format/numbers';

/** One row per input file: its detected format, the row accounting (read = accepted + rejected) and what went wrong. */
export const InputsTable = memo(function InputsTable({ inputs }: { readonly inputs: readonly InputSummary[] }) {
  return (
    <section className="inputs" aria-labelledby="inputs-caption">
      <table className="data-table">
        <caption id="inputs-caption">Input files</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Format</th>
            <th scope="col" className="num">
              Read
            </th>
            <th scope="col" className="num">
              Accepted
            </th>
            <th scope="col" className="num">
              Rejected
            </th>
            <th scope="col">Issues</th>
          </tr>
        </thead>
        <tbody>
          {inputs.map((input) => (
            <InputRow key={input.path} input={input} />
          ))}
        </tbody>
      </table>
    </section>
  );
});

function InputRow({ input }: { readonly input: InputSummary }) {
  const status = input.error !== undefined ? 'error' : input.rejected > 0 || (input.warnings?.length ?? 0) > 0 ? 'warn' : 'ok';
  return (
    <tr className={`row-${status}`} data-path={input.path}>
      <th scope="row" className="cell-path" title={input.path}>
        {input.path}
      </th>
      <td data-column="format">
        <span className={`format-tag${input.format === null ? ' is-unknown' : ''}`}>{input.format ?? 'unknown'}</span>
        {input.compression !== undefined && <span className="format-note">{input.compression}</span>}
        {input.container !== undefined && <span className="format-note">{input.container}</span>}
      </td>
      <td className="num" data-column="read">
        {formatCount(input.read)}
      </td>
      <td className="num" data-column="accepted">
        {formatCount(input.accepted)}
      </td>
      <td className={`num${input.rejected > 0 ? ' is-warn' : ''}`} data-column="rejected">
        {formatCount(input.rejected)}
      </td>
      <td className="cell-issues" data-column="issues">
        <Issues input={input} />
      </td>
    </tr>
  );
}

function Issues({ input }: { readonly input: InputSummary }) {
  const reasons = Object.entries(input.rejectReasons).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (input.error === undefined && reasons.length === 0 && (input.warnings?.length ?? 0) === 0) return <span className="muted">—</span>;
  return (
    <ul className="issues">
      {input.error !== undefined && <li className="issue issue-error">{input.error}</li>}
      {input.warnings?.map((warning) => (
        <li key={warning} className="issue issue-warning">
          {warning}
        </li>
      ))}
      {reasons.map(([reason, count]) => (
        <li key={reason} className="issue issue-reject">
          <span className="issue-count">{formatCount(count)}×</span> {reason}
        </li>
      ))}
    </ul>
  );
}
