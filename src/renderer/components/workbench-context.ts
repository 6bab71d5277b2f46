import { createContext, useContext } from 'react';
import type { WorkbenchController } from '../analysis/workbench-controller';

/** The controller every editing view sends its edits through (one per page). */
export const WorkbenchContext = createContext<WorkbenchController | null>(null);

export function useWorkbench(): WorkbenchController {
  const controller = useContext(WorkbenchContext);
  if (controller === null) throw new Error('WorkbenchContext is not provided: wrap the views in <WorkbenchContext.Provider>');
  return controller;
}
