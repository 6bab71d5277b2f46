import type { Ref } from 'react';
import type { EngineInputFile } from '../engine/protocol';
import { filesFromList } from '../files/picked-files';

interface FileInputProps {
  readonly ref: Ref<HTMLInputElement>;
  readonly onFiles: (files: EngineInputFile[]) => void;
}

/**
 * The one file input: hidden, opened by the Open buttons (in the desktop app
 * it shows the native dialog, and the picked files are streamed, not copied).
 */
export function FileInput({ ref, onFiles }: FileInputProps) {
  return (
    <input
      ref={ref}
      className="visually-hidden"
      type="file"
      multiple
      tabIndex={-1}
      aria-label="Flow export files"
      onChange={(event) => {
        const files = filesFromList(event.currentTarget.files);
        // Cleared so choosing the same files again still fires a change.
        event.currentTarget.value = '';
        onFiles(files);
      }}
    />
  );
}
