import type { StateCreator } from 'zustand';
import type { DriftCheck } from '../../core/workbench/drift-check';
import type { WorkbenchStep } from '../../core/workbench/workbench';
import type { AppState } from './app-store';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * One entry of the page's undo history. Edits of the analysis are undone
 * by the engine (it keeps their states); a node the analyst moved on the
 * map is undone here, so both share one history in the order they were made.
 */
export type HistoryEntry =
  | { readonly kind: 'engine'; readonly label: string }
  | { readonly kind: 'layout'; readonly label: string; readonly node: string; readonly from: Point | null; readonly to: Point };

/** The analyst's work on the current analysis that only the page holds: history, layout, selection, the last change. */
export interface WorkbenchSlice {
  readonly undoStack: readonly HistoryEntry[];
  readonly redoStack: readonly HistoryEntry[];
  /** Where the analyst put map nodes; other nodes stay where the layout places them. */
  readonly positions: Readonly<Record<string, Point>>;
  readonly lastStep: WorkbenchStep | null;
  /** Edits sent to the engine and not yet answered. */
  readonly editsInFlight: number;
  readonly selectedGroup: string | null;
  readonly expandedGroups: readonly string[];
  /** Aggregate nodes of the map the analyst opened (drawn as their groups again). */
  readonly openedAggregates: readonly string[];
  /** The last drift check of this work and the files it read (kept when the Drift tab is left). */
  readonly drift: { readonly check: DriftCheck; readonly files: string } | null;
  /** Who signed the last stage decision: the next one starts with it (kept across analyses, like the analyst at the keyboard). */
  readonly decidedBy: string;
  decidedBySet(by: string): void;
  historyPushed(entry: HistoryEntry): void;
  /** Moves the top entry from one stack to the other (undo: from undo to redo). */
  historyShifted(direction: 'undo' | 'redo'): void;
  positionSet(node: string, position: Point | null): void;
  stepReceived(step: WorkbenchStep | null): void;
  editStarted(): void;
  editEnded(): void;
  groupSelected(group: string | null): void;
  groupExpanded(group: string, expanded: boolean): void;
  aggregateOpened(aggregate: string | null): void;
  driftChecked(drift: { readonly check: DriftCheck; readonly files: string }): void;
  workbenchCleared(): void;
  /** The page's part of an opened workspace: layout, expanded groups, history. */
  workRestored(page: Pick<WorkbenchSlice, 'positions' | 'expandedGroups' | 'undoStack' | 'redoStack'>): void;
}

const EMPTY = {
  undoStack: [],
  redoStack: [],
  positions: {},
  lastStep: null,
  editsInFlight: 0,
  selectedGroup: null,
  expandedGroups: [],
  openedAggregates: [],
  drift: null,
} as const;

export const createWorkbenchSlice: StateCreator<AppState, [], [], WorkbenchSlice> = (set) => ({
  ...EMPTY,
  decidedBy: '',
  decidedBySet: (by) => set({ decidedBy: by }),
  // A new edit makes the undone ones unreachable, as in every editor.
  historyPushed: (entry) => set((state) => ({ undoStack: [...state.undoStack, entry], redoStack: [] })),
  historyShifted: (direction) =>
    set((state) => {
      const [from, to] = direction === 'undo' ? [state.undoStack, state.redoStack] : [state.redoStack, state.undoStack];
      const entry = from[from.length - 1];
      if (entry === undefined) return state;
      const moved = { from: from.slice(0, -1), to: [...to, entry] };
      return direction === 'undo' ? { undoStack: moved.from, redoStack: moved.to } : { redoStack: moved.from, undoStack: moved.to };
    }),
  positionSet: (node, position) =>
    set((state) => {
      const positions = { ...state.positions };
      if (position === null) delete positions[node];
      else positions[node] = position;
      return { positions };
    }),
  stepReceived: (step) => set({ lastStep: step }),
  editStarted: () => set((state) => ({ editsInFlight: state.editsInFlight + 1 })),
  editEnded: () => set((state) => ({ editsInFlight: Math.max(0, state.editsInFlight - 1) })),
  groupSelected: (group) => set({ selectedGroup: group }),
  groupExpanded: (group, expanded) =>
    set((state) => ({ expandedGroups: expanded ? [...new Set([...state.expandedGroups, group])] : state.expandedGroups.filter((id) => id !== group) })),
  // null closes every opened aggregate.
  aggregateOpened: (aggregate) => set((state) => ({ openedAggregates: aggregate === null ? [] : [...new Set([...state.openedAggregates, aggregate])] })),
  driftChecked: (drift) => set({ drift }),
  workbenchCleared: () => set(EMPTY),
  workRestored: ({ positions, expandedGroups, undoStack, redoStack }) => set({ ...EMPTY, positions, expandedGroups, undoStack, redoStack }),
});
