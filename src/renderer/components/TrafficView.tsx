import { useDeferredValue, useEffect, useState } from 'react';
import type { WorkbenchView } from '../../core/workbench/workbench';
import type { TrafficPage, TrafficQuery, TrafficSort } from '../../core/workbench/traffic-table';
import { formatCount } from '../format/numbers';
import { useWorkbench } from './workbench-context';

/** Rows per page: a screenful or two; DuckDB does the filtering, sorting and paging. */
export const TRAFFIC_ROWS = 100;

const COLUMNS: readonly { readonly sort: TrafficSort; readonly label: string; readonly numeric?: boolean }[] = [
  { sort: 'client', label: 'Client' },
  { sort: 'client_group', label: 'Client group' },
  { sort: 'server', label: 'Server' },
  { sort: 'server_group', label: 'Server group' },
  { sort: 'service', label: 'Service' },
  { sort: 'flows', label: 'Flows', numeric: true },
  { sort: 'bytes', label: 'Bytes', numeric: true },
  { sort: 'first_seen', label: 'First seen' },
  { sort: 'last_seen', label: 'Last seen' },
  { sort: 'verdict', label: 'Verdict' },
];

/**
 * Every replayed edge with its groups and verdict under the current work,
 * filtered, sorted and paged in the engine's DuckDB: hundreds of thousands
 * of edges never pass through the page whole. A new edit refreshes the page.
 */
export function TrafficView({ view }: { readonly view: WorkbenchView }) {
  const controller = useWorkbench();
  const [text, setText] = useState('');
  const deferredText = useDeferredValue(text);
  const [verdict, setVerdict] = useState<TrafficQuery['verdict']>('any');
  const [sort, setSort] = useState<TrafficSort>('flows');
  const [descending, setDescending] = useState(true);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<TrafficPage | null>(null);
  useEffect(() => setOffset(0), [deferredText, verdict, sort, descending]);
  useEffect(() => {
    let live = true;
    void controller.traffic({ text: deferredText, verdict, sort, descending, offset, limit: TRAFFIC_ROWS }).then((next) => {
      if (live && next !== null) setPage(next);
    });
    return () => {
      live = false;
    };
    // The view changes with every edit: the page is read again for the new groups and verdicts.
  }, [controller, deferredText, verdict, sort, descending, offset, view]);
  const total = page?.total ?? 0;
  const last = Math.min(total, offset + TRAFFIC_ROWS);
  return (
    <section className="traffic" aria-label="Traffic">
      <div className="table-tools">
        <label>
          Filter edges <input type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="address, group or service" />
        </label>
        <label>
          Verdict{' '}
          <select value={verdict} onChange={(event) => setVerdict(event.target.value as TrafficQuery['verdict'])}>
            <option value="any">any</option>
            <option value="permitted">permitted</option>
            <option value="logged">only logged (stage)</option>
            <option value="blocked">would be blocked</option>
            <option value="refused">refused today</option>
          </select>
        </label>
        <span className="table-count" role="status">
          {page === null ? 'Reading…' : total === 0 ? 'No edge matches' : `Edges ${formatCount(offset + 1)}–${formatCount(last)} of ${formatCount(total)}`}
        </span>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - TRAFFIC_ROWS))}>
          Previous
        </button>
        <button type="button" disabled={last >= total} onClick={() => setOffset(offset + TRAFFIC_ROWS)}>
          Next
        </button>
      </div>
      <table className="data-table">
        <caption className="visually-hidden">Replayed edges</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.sort} scope="col" className={column.numeric ? 'num' : undefined} aria-sort={sort === column.sort ? (descending ? 'descending' : 'ascending') : 'none'}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    if (sort === column.sort) setDescending(!descending);
                    else {
                      setSort(column.sort);
                      setDescending(column.numeric === true);
                    }
                  }}
                >
                  {column.label}
                  {sort === column.sort ? (descending ? ' ▾' : ' ▴') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((row, index) => (
            <tr key={`${offset + index}`} className={`verdict-${row.verdict}`}>
              <td className="mono">{row.client}</td>
              <td>{row.clientGroup}</td>
              <td className="mono">{row.server}</td>
              <td>{row.serverGroup}</td>
              <td>{row.service}</td>
              <td className="num">{formatCount(row.flows)}</td>
              <td className="num">{formatCount(row.bytes)}</td>
              <td>{row.firstSeen ?? ''}</td>
              <td>{row.lastSeen ?? ''}</td>
              <td>{row.verdict === 'blocked' ? 'would be blocked' : row.verdict === 'logged' ? 'logged, would be blocked under enforce' : row.verdict === 'refused' ? 'refused today' : 'permitted'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
