import { useAppStore } from '../store/app-store';
import { selectInputs, selectSummary } from '../store/selectors';
import { InputsTable } from './InputsTable';
import { SummaryTotals } from './SummaryTotals';

export function ResultsView() {
  const summary = useAppStore(selectSummary);
  const inputs = useAppStore(selectInputs);
  if (summary === null || inputs === null) return null;
  return (
    <>
      <SummaryTotals summary={summary} />
      <InputsTable inputs={inputs} />
    </>
  );
}
