import { useEffect, useRef, useState } from 'react';
import { CSV_FIELDS, type ColumnMap, type CsvField } from '../../core/ingest/format';
import { csvPreview, missingRequired, type CsvPreview } from '../model/csv-preview';
import { useAnalysis } from './analysis-context';

/** Bytes of the file read for the preview: a header and ten rows of any real export fit easily. */
const PREVIEW_BYTES = 64 * 1024;

const FIELD_LABELS: Readonly<Record<CsvField, string>> = {
  src: 'Source address',
  dst: 'Destination address',
  sport: 'Source port',
  dport: 'Destination port',
  proto: 'Protocol',
  packets: 'Packets',
  bytes: 'Bytes',
  start: 'Start time',
  end: 'End time',
  action: 'Action (allow/deny)',
  rpackets: 'Reply packets',
  rbytes: 'Reply bytes',
  flags: 'TCP flags',
};

/**
 * The column mapping of a generic CSV export: its first rows as the engine
 * splits them, and for each field the column that holds it (the engine's
 * own guess first). Applying it analyses the same files again with the
 * mapping, as the CLI's --map does (it applies to every generic CSV of the
 * run).
 */
export function ColumnMapDialog({ path, onClose }: { readonly path: string; readonly onClose: () => void }) {
  const analysis = useAnalysis();
  const dialog = useRef<HTMLDialogElement>(null);
  const [preview, setPreview] = useState<CsvPreview | null | 'loading' | 'unreadable'>('loading');
  const [map, setMap] = useState<ColumnMap>({});
  useEffect(() => {
    dialog.current?.showModal();
    const file = analysis.fileAt(path);
    if (file === null) {
      setPreview('unreadable');
      return;
    }
    let live = true;
    previewText(file).then(
      (text) => {
        if (!live) return;
        const found = csvPreview(text);
        setPreview(found);
        if (found !== null) setMap({ ...found.suggested, ...(analysis.options.csvMap ?? {}) });
      },
      () => live && setPreview('unreadable'),
    );
    return () => {
      live = false;
    };
  }, [analysis, path]);
  const missing = missingRequired(map);
  return (
    <dialog ref={dialog} className="column-map-dialog" aria-labelledby="column-map-title" onClose={onClose}>
      <h2 id="column-map-title">Columns of {path}</h2>
      {preview === 'loading' && <p>Reading the first rows…</p>}
      {preview === 'unreadable' && <p role="alert">This file cannot be read again here: open the files once more.</p>}
      {preview === null && <p role="alert">This file does not look like a table with a header line (no separator splits its first line in two).</p>}
      {typeof preview === 'object' && preview !== null && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (missing.length > 0) return;
            const chosen: ColumnMap = Object.fromEntries(Object.entries(map).filter(([, column]) => column !== undefined && column !== ''));
            dialog.current?.close();
            analysis.reanalyse({ csvMap: chosen });
          }}
        >
          <div className="preview-scroll">
            <table className="data-table" aria-label="First rows">
              <thead>
                <tr>
                  {preview.header.map((name, index) => (
                    <th key={index} scope="col">
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, rowIndex) => (
                  <tr key={rowIndex}>
                    {preview.header.map((_, index) => (
                      <td key={index}>{row[index] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="field-grid">
            {CSV_FIELDS.map((field) => (
              <label key={field}>
                {FIELD_LABELS[field]}
                {missing.includes(field) ? ' (required)' : ''}{' '}
                <select value={map[field] ?? ''} onChange={(event) => setMap({ ...map, [field]: event.target.value === '' ? undefined : event.target.value })}>
                  <option value="">—</option>
                  {preview.header.map((name, index) => (
                    <option key={index} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <p className="muted-text">The mapping applies to every generic CSV file of this analysis, which runs again.</p>
          <button type="submit" disabled={missing.length > 0}>
            Analyse again with these columns
          </button>{' '}
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </form>
      )}
      {(preview === null || preview === 'unreadable') && (
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      )}
    </dialog>
  );
}

/** The first bytes of a file as text, through gzip when it is compressed (a partial gzip read yields what it decoded). */
async function previewText(file: File): Promise<string> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (head[0] !== 0x1f || head[1] !== 0x8b) return file.slice(0, PREVIEW_BYTES).text();
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < PREVIEW_BYTES) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text;
}
