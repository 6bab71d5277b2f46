import { useState } from 'react';
import { saveText } from '../platform/save-text';
import { RuleSetExport } from './RuleSetExport';
import { useAppStore } from '../store/app-store';
import { useWorkbench } from './workbench-context';

const FILES = [
  { name: 'policy.json', what: 'the policy: groups, services and rules with their evidence and decisions (the format the CLI reads)' },
  { name: 'rules.csv', what: 'one line per rule, for review in a spreadsheet' },
  { name: 'groups.csv', what: 'every internal host with its group and the reason it is there' },
  { name: 'escaped.csv', what: 'every replayed edge the policy would block, with the reason' },
  { name: 'decisions.csv', what: 'each rule, anomaly and group decision with its reason' },
] as const;

/**
 * Saves the workbench's files as the analyst's edits left them, through the
 * desktop shell's save dialog or as a browser download. The engine writes
 * them (after any edit still in flight), so they match what the views show.
 */
export function ExportView({ pods }: { readonly pods: number }) {
  const controller = useWorkbench();
  const noticeShown = useAppStore((state) => state.noticeShown);
  const [busy, setBusy] = useState(false);
  const save = async (names: readonly string[]) => {
    setBusy(true);
    try {
      const files = await controller.exports();
      if (files === null) return;
      const saved: string[] = [];
      for (const name of names) {
        const file = files.find((entry) => entry.name === name);
        if (file === undefined) continue;
        const outcome = await saveText(file.name, file.text, file.mimeType);
        if (outcome.saved) saved.push(outcome.fileName);
      }
      if (saved.length > 0) noticeShown({ tone: 'info', text: `Saved ${saved.join(', ')}` });
    } catch (error) {
      noticeShown({ tone: 'error', text: `Could not save: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="exports" aria-label="Export">
      <ul className="export-list">
        {FILES.map((file) => (
          <li key={file.name}>
            <button type="button" disabled={busy} onClick={() => void save([file.name])}>
              Save {file.name}
            </button>{' '}
            <span className="muted-text">{file.what}</span>
          </li>
        ))}
      </ul>
      <button type="button" disabled={busy} onClick={() => void save(FILES.map((file) => file.name))}>
        Save all
      </button>
      <RuleSetExport pods={pods} />
    </section>
  );
}
