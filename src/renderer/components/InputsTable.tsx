import { Fragment, memo, useState } from 'react';
import { REJECT_SAMPLES_PER_FILE } from '../../core/report/reject-samples';
import type { InputSummary } from '../../core/report/summary';
import { formatCount } from '../format/numbers';
import { useAppStore } from '../store/app-store';
import { useAnalysis } from './analysis-context';
import { ColumnMapDialog } from './ColumnMapDialog';

/**
 * One row per input file: its detected format, the row accounting (read =
 * accepted + rejected) and what went wrong. A file's rejected count opens
 * its first rejected lines, each with its line number and reason.
 */
export const InputsTable = memo(function InputsTable({ inputs }: { readonly inputs: readonly InputSummary[] }) {
  const [open, setOpen] = useState<string | null>(null);
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
            <Fragment key={input.path}>
              <InputRow input={input} open={open === input.path} onToggle={() => setOpen(open === input.path ? null : input.path)} />
              {open === input.path && <RejectedLines input={input} />}
            </Fragment>
          ))}
        </tbody>
      </table>
    </section>
  );
});

function InputRow({ input, open, onToggle }: { readonly input: InputSummary; readonly open: boolean; readonly onToggle: () => void }) {
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
        {input.rejected > 0 ? (
          <button type="button" className="link-button" aria-expanded={open} aria-label={`${formatCount(input.rejected)} rejected lines of ${input.path}: show their reasons and line numbers`} onClick={onToggle}>
            {formatCount(input.rejected)}
          </button>
        ) : (
          formatCount(input.rejected)
        )}
      </td>
      <td className="cell-issues" data-column="issues">
        <Issues input={input} />
        {(input.format === null || input.format === 'csv') && <MapColumnsButton path={input.path} />}
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

function RejectedLines({ input }: { readonly input: InputSummary }) {
  const lines = useAppStore((state) => state.rejects[input.path]) ?? [];
  return (
    <tr className="rejected-lines">
      <td colSpan={6}>
        <table className="data-table" aria-label={`Rejected lines of ${input.path}`}>
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((entry) => (
              <tr key={`${entry.line}|${entry.reason}`}>
                <td className="num">{entry.line}</td>
                <td>{entry.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="table-count">
          {lines.length === 0
            ? 'The rejected lines of this file are not kept here (a workspace saved before they were); rejects.csv of the CLI lists them.'
            : input.rejected > lines.length
              ? `The first ${formatCount(lines.length)} of ${formatCount(input.rejected)} rejected lines (at most ${REJECT_SAMPLES_PER_FILE} per file are kept here); rejects.csv of the CLI lists them all.`
              : `All ${formatCount(lines.length)} rejected lines.`}
        </p>
      </td>
    </tr>
  );
}

/** A generic or unrecognised CSV: its columns can be mapped by hand, and the files analysed again. */
function MapColumnsButton({ path }: { readonly path: string }) {
  const analysis = useAnalysis();
  const [open, setOpen] = useState(false);
  if (!analysis.canReanalyse || analysis.fileAt(path) === null) return null;
  return (
    <>
      <button type="button" className="link-button" onClick={() => setOpen(true)} aria-label={`map the columns of ${path}`}>
        Map columns…
      </button>
      {open && <ColumnMapDialog path={path} onClose={() => setOpen(false)} />}
    </>
  );
}
