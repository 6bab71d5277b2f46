import type { HistoryEntry, Point } from '../store/workbench-slice';

/**
 * What a workspace keeps of the page itself: where the analyst put map
 * nodes, which groups were expanded, and the undo history (the engine keeps
 * the edits; the page keeps their order among map moves). Read back
 * defensively: a workspace file may have been altered, and a history that
 * does not match the engine's edits is rebuilt from the engine's labels.
 */
export interface PageState {
  readonly version: 1;
  readonly positions: Readonly<Record<string, Point>>;
  readonly expandedGroups: readonly string[];
  readonly undoStack: readonly HistoryEntry[];
  readonly redoStack: readonly HistoryEntry[];
}

export function pageState(state: Omit<PageState, 'version'>): PageState {
  return { version: 1, positions: state.positions, expandedGroups: state.expandedGroups, undoStack: state.undoStack, redoStack: state.redoStack };
}

/** The engine's history labels: undo (oldest first) and redo (next first). */
export interface EngineHistory {
  readonly undo: readonly string[];
  readonly redo: readonly string[];
}

export function restorePageState(value: unknown, engine: EngineHistory): PageState {
  const source = isObject(value) ? value : {};
  const positions: Record<string, Point> = {};
  if (isObject(source.positions)) {
    for (const [id, point] of Object.entries(source.positions)) if (isPoint(point)) positions[id] = { x: point.x, y: point.y };
  }
  const expandedGroups = Array.isArray(source.expandedGroups) ? source.expandedGroups.filter((id): id is string => typeof id === 'string') : [];
  let undoStack = entries(source.undoStack);
  let redoStack = entries(source.redoStack);
  const engineCount = (stack: readonly HistoryEntry[]) => stack.filter((entry) => entry.kind === 'engine').length;
  if (engineCount(undoStack) !== engine.undo.length || engineCount(redoStack) !== engine.redo.length) {
    // Map moves cannot be placed among edits the page did not record: the engine's history is kept, theirs dropped.
    undoStack = engine.undo.map((label) => ({ kind: 'engine', label }));
    redoStack = [...engine.redo].reverse().map((label) => ({ kind: 'engine', label }));
  }
  return { version: 1, positions, expandedGroups, undoStack, redoStack };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isPoint = (value: unknown): value is Point => isObject(value) && Number.isFinite(value.x) && Number.isFinite(value.y);

function entries(value: unknown): HistoryEntry[] {
  if (!Array.isArray(value)) return [];
  const list: HistoryEntry[] = [];
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.label !== 'string') continue;
    if (entry.kind === 'engine') list.push({ kind: 'engine', label: entry.label });
    else if (entry.kind === 'layout' && typeof entry.node === 'string' && isPoint(entry.to) && (entry.from === null || isPoint(entry.from))) {
      list.push({ kind: 'layout', label: entry.label, node: entry.node, from: entry.from, to: entry.to });
    }
  }
  return list;
}
