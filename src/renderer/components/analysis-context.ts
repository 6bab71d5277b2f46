import { createContext, useContext } from 'react';
import type { AnalysisController } from '../analysis/analysis-controller';

/** The controller that runs analyses (one per page), for views that start one again (the hold-out). */
export const AnalysisContext = createContext<AnalysisController | null>(null);

export function useAnalysis(): AnalysisController {
  const controller = useContext(AnalysisContext);
  if (controller === null) throw new Error('AnalysisContext is not provided');
  return controller;
}
