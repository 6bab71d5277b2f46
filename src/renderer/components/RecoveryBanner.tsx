import { useEffect, useState } from 'react';
import type { WorkspaceController } from '../analysis/workspace-controller';
import type { EngineInputFile } from '../engine/protocol';
import { formatUtc } from '../format/numbers';
import type { RecoveredWork } from '../../shared/ipc';

/**
 * In the desktop app, work autosaved before Flowfence last stopped without
 * it being saved: offered back once at start, to reopen or to discard.
 */
export function RecoveryBanner({ workspace, onOpen }: { readonly workspace: WorkspaceController; readonly onOpen: (files: EngineInputFile[]) => void }) {
  const [found, setFound] = useState<RecoveredWork | null>(null);
  useEffect(() => {
    let live = true;
    workspace.recover().then(
      (work) => {
        if (live) setFound(work);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [workspace]);
  if (found === null) return null;
  return (
    <div className="notice notice-info recovery" role="alert">
      <span>Work autosaved at {formatUtc(found.savedAt)} was not saved before Flowfence closed.</span>
      <button
        type="button"
        className="button primary"
        onClick={() => {
          const name = `recovered-${found.savedAt.slice(0, 19).replace(/[:T]/g, '-')}.flowfence`;
          onOpen([{ file: new File([found.bytes as Uint8Array<ArrayBuffer>], name), path: name }]);
          setFound(null);
        }}
      >
        Reopen it
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          void workspace.discardRecovered();
          setFound(null);
        }}
      >
        Discard
      </button>
    </div>
  );
}
