import { useState, type DragEvent } from 'react';
import type { EngineInputFile } from '../engine/protocol';
import { filesFromDrop } from '../files/dropped-files';
import { useAppStore } from '../store/app-store';
import { selectIsBusy, selectSummary } from '../store/selectors';

interface DropZoneProps {
  readonly onFiles: (files: EngineInputFile[]) => void;
  readonly onOpen: () => void;
}

/** Where exports are dropped (files or whole folders); large until there is a result, then compact. */
export function DropZone({ onFiles, onOpen }: DropZoneProps) {
  const busy = useAppStore(selectIsBusy);
  const hasResult = useAppStore(selectSummary) !== null;
  const [over, setOver] = useState(false);

  const accepts = (event: DragEvent) => !busy && event.dataTransfer.types.includes('Files');
  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setOver(false);
    if (busy) return;
    void filesFromDrop(event.dataTransfer).then(onFiles);
  };

  return (
    <section
      className={`dropzone${over ? ' is-over' : ''}${hasResult ? ' is-compact' : ''}${busy ? ' is-disabled' : ''}`}
      aria-label="Drop flow exports"
      onDragEnter={(event) => {
        if (accepts(event)) setOver(true);
      }}
      onDragOver={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={onDrop}
    >
      <p className="dropzone-title">Drop flow exports or folders here</p>
      <p className="dropzone-hint">
        AWS, Azure and GCP flow logs, NetFlow/IPFIX (nfdump, pmacct), Zeek, Suricata, Hubble, Argus or CSV, plain, gzip or Parquet. Files are read on
        this machine and never uploaded.
      </p>
      <button type="button" className="button" onClick={onOpen} disabled={busy}>
        Choose files…
      </button>
    </section>
  );
}
