import { useEffect } from 'react';
import type { EngineInputFile } from '../engine/protocol';
import { filesFromBytes } from '../files/picked-files';
import { desktopApi } from '../platform/desktop';

/** In the desktop app, File › Open… shows the native dialog and analyses the chosen files. */
export function useDesktopMenu(onFiles: (files: EngineInputFile[]) => void, onError: (message: string) => void): void {
  useEffect(() => {
    const desktop = desktopApi();
    if (desktop === undefined) return;
    return desktop.onOpenFilesRequested(() => {
      desktop.openFiles().then(
        (result) => {
          if (!result.canceled) onFiles(filesFromBytes(result.files));
        },
        (error: unknown) => onError(error instanceof Error ? error.message : String(error)),
      );
    });
  }, [onFiles, onError]);
}
