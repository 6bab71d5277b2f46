import { describe, expect, it } from 'vitest';
import { pageState, restorePageState } from '../../../src/renderer/model/page-state';

const engine = { undo: ['Moved 10.0.0.1 to web', 'Renamed web to shop'], redo: ['Cut the tree into 5 clusters'] };

describe('the page state of a workspace', () => {
  it('comes back as it was saved when it matches the engine history', () => {
    const saved = pageState({
      positions: { g1: { x: 10, y: -5 } },
      expandedGroups: ['g1'],
      undoStack: [{ kind: 'engine', label: engine.undo[0]! }, { kind: 'layout', label: 'Moved web on the map', node: 'g1', from: null, to: { x: 10, y: -5 } }, { kind: 'engine', label: engine.undo[1]! }],
      redoStack: [{ kind: 'engine', label: engine.redo[0]! }],
    });
    expect(restorePageState(JSON.parse(JSON.stringify(saved)), engine)).toEqual(saved);
  });

  it('drops what is malformed, and rebuilds a history that does not match the engine from its labels', () => {
    const restored = restorePageState(
      { positions: { g1: { x: 'a', y: 1 }, g2: { x: 3, y: 4 } }, expandedGroups: ['g2', 7], undoStack: [{ kind: 'engine', label: 'other' }], redoStack: 'nope' },
      engine,
    );
    expect(restored.positions).toEqual({ g2: { x: 3, y: 4 } });
    expect(restored.expandedGroups).toEqual(['g2']);
    expect(restored.undoStack).toEqual(engine.undo.map((label) => ({ kind: 'engine', label })));
    expect(restored.redoStack).toEqual([{ kind: 'engine', label: engine.redo[0] }]);
    expect(restorePageState(null, { undo: [], redo: [] })).toEqual(pageState({ positions: {}, expandedGroups: [], undoStack: [], redoStack: [] }));
  });
});
