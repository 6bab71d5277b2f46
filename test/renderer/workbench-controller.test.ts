import { describe, expect, it } from 'vitest';
import type { WorkbenchStep, WorkbenchView } from '../../src/core/workbench/workbench';
import type { WorkbenchEdit } from '../../src/core/workbench/workbench-state';
import { WorkbenchController } from '../../src/renderer/analysis/workbench-controller';
import type { EditResult, ExportFile } from '../../src/renderer/engine/protocol';
import { createAppStore } from '../../src/renderer/store/app-store';

/** An engine that keeps a history of edit labels the way the worker keeps states, and can refuse an edit. */
class FakeEngine {
  readonly applied: string[] = [];
  private undone: string[] = [];
  refuse: string | null = null;

  async edit(edit: WorkbenchEdit | 'undo' | 'redo' | 'drop-redo'): Promise<EditResult> {
    await Promise.resolve();
    if (edit === 'drop-redo') {
      this.undone = [];
      return { step: null, view: this.view() };
    }
    if (edit === 'undo' || edit === 'redo') {
      const from = edit === 'undo' ? this.applied : this.undone;
      const label = from.pop();
      if (label === undefined) return { step: null, view: this.view() };
      (edit === 'undo' ? this.undone : this.applied).push(label);
      return { step: step(`${edit === 'undo' ? 'Undid' : 'Redid'}: ${label}`), view: this.view() };
    }
    const label = edit.kind === 'group' && edit.op.op === 'rename' ? `Renamed to ${edit.op.name}` : edit.kind;
    if (this.refuse === label) throw new Error(`refused: ${label}`);
    this.applied.push(label);
    this.undone = [];
    return { step: step(label), view: this.view() };
  }

  async saveWorkspace(page: unknown): Promise<Uint8Array> {
    return new TextEncoder().encode(JSON.stringify({ applied: this.applied, page }));
  }

  async evidence(rule: string) {
    return rule === 'r1' ? [{ client: '10.0.0.1', server: '10.0.0.2', port: 443, flows: this.applied.length, bytes: 1, firstSeen: null, lastSeen: null }] : null;
  }

  traffic(): never {
    throw new Error('not used here');
  }

  drift(): never {
    throw new Error('not used here');
  }

  tree(): never {
    throw new Error('not used here');
  }

  promotion(): never {
    throw new Error('not used here');
  }

  measures(): never {
    throw new Error('not used here');
  }

  async exports(): Promise<readonly ExportFile[]> {
    return [{ name: 'policy.json', mimeType: 'application/json', text: JSON.stringify(this.applied) }];
  }

  async ruleSets(targets: readonly string[], logDrops: boolean) {
    if (targets.length === 0) throw new Error('choose at least one target');
    const bytes = new TextEncoder().encode(JSON.stringify({ applied: this.applied, targets, logDrops }));
    return { bytes, report: { format: 'flowfence-export-report' as const, policySha256: 'x', targets: [], notes: [] } };
  }

  private view(): WorkbenchView {
    return { applied: [...this.applied] } as unknown as WorkbenchView;
  }
}

function step(description: string): WorkbenchStep {
  const none = { edges: 0, flows: 0 };
  return { edit: 'undo', description, rules: { added: [], removed: [], changed: [] }, newlyEscaped: none, newlyPermitted: none, exposureChange: { policyPairs: 0, adminPaths: 0 }, stageChange: { nowLogged: none, nowBlocked: none } };
}

function setUp() {
  const store = createAppStore();
  store.getState().resultReceived({ summary: {} as never, view: {} as WorkbenchView, hosts: [], rejects: {}, restored: null });
  const engine = new FakeEngine();
  return { store, engine, controller: new WorkbenchController(engine, store) };
}

const rename = (name: string): WorkbenchEdit => ({ kind: 'group', op: { op: 'rename', group: 'g1', name } });

describe('the workbench controller', () => {
  it('keeps engine edits and map moves in one history, undone and redone in order', async () => {
    const { store, engine, controller } = setUp();
    await controller.edit(rename('a'));
    controller.moveNode('g1', 'Moved g1 on the map', { x: 10, y: 20 });
    await controller.edit(rename('b'));
    expect(store.getState().undoStack.map((entry) => entry.label)).toEqual(['Renamed to a', 'Moved g1 on the map', 'Renamed to b']);
    expect(store.getState().positions).toEqual({ g1: { x: 10, y: 20 } });

    await controller.undo();
    await controller.undo();
    expect(engine.applied).toEqual(['Renamed to a']);
    expect(store.getState().positions).toEqual({});
    expect(store.getState().lastStep?.description).toBe('Undid: Renamed to b');
    await controller.redo();
    expect(store.getState().positions).toEqual({ g1: { x: 10, y: 20 } });
    expect(engine.applied).toEqual(['Renamed to a']);
    // A new edit drops what was undone, here and in the engine alike.
    await controller.edit(rename('c'));
    expect(store.getState().redoStack).toEqual([]);
    expect(await controller.redo()).toBe(false);
    expect(engine.applied).toEqual(['Renamed to a', 'Renamed to c']);
  });

  it('shows a refused edit as a notice and leaves the history as it was', async () => {
    const { store, engine, controller } = setUp();
    engine.refuse = 'Renamed to x';
    expect(await controller.edit(rename('x'))).toBe(false);
    expect(store.getState().undoStack).toEqual([]);
    expect(store.getState().notice).toEqual({ tone: 'error', text: 'refused: Renamed to x' });
    expect(store.getState().editsInFlight).toBe(0);
  });

  it('exports after the edits sent before it, and ignores answers about an analysis the page no longer shows', async () => {
    const { store, controller } = setUp();
    const edit = controller.edit(rename('a'));
    const files = controller.exports();
    expect(JSON.parse((await files)![0]!.text)).toEqual(['Renamed to a']);
    await edit;
    store.getState().resultCleared();
    expect(await controller.edit(rename('b'))).toBe(false);
    expect(store.getState().view).toBeNull();
  });

  it('compiles rule sets after the edits sent before it, and turns an engine refusal into a notice', async () => {
    const { store, controller } = setUp();
    void controller.edit(rename('a'));
    const bundle = await controller.ruleSets(['nftables'], true);
    expect(JSON.parse(new TextDecoder().decode(bundle!.bytes))).toEqual({ applied: ['Renamed to a'], targets: ['nftables'], logDrops: true });
    expect(await controller.ruleSets([], false)).toBeNull();
    expect(store.getState().notice).toMatchObject({ tone: 'error', text: 'Could not export rule sets: choose at least one target' });
  });

  it('saves the workspace after the edits made before, with the page state of that moment', async () => {
    const { controller } = setUp();
    void controller.edit(rename('a'));
    controller.moveNode('g1', 'Moved g1 on the map', { x: 1, y: 2 });
    const bytes = await controller.workspaceBytes();
    const saved = JSON.parse(new TextDecoder().decode(bytes!));
    expect(saved.applied).toEqual(['Renamed to a']);
    expect(saved.page).toMatchObject({ version: 1, positions: { g1: { x: 1, y: 2 } }, undoStack: [{ kind: 'engine', label: 'Renamed to a' }, { kind: 'layout', node: 'g1' }] });
  });

  it('reads a rule\'s evidence after the edits made before it', async () => {
    const { controller } = setUp();
    void controller.edit(rename('a'));
    expect((await controller.evidence('r1'))![0]!.flows).toBe(1);
    expect(await controller.evidence('gone')).toBeNull();
  });

  it('drops an edit queued for work the page no longer shows, instead of applying it to the next analysis', async () => {
    const { store, engine, controller } = setUp();
    const first = controller.edit(rename('a'));
    const queued = controller.edit(rename('b'));
    // A new analysis replaces the work while the first edit is still in flight.
    store.getState().resultCleared();
    store.getState().resultReceived({ summary: {} as never, view: {} as WorkbenchView, hosts: [], rejects: {}, restored: null });
    await first;
    expect(await queued).toBe(false);
    expect(engine.applied).not.toContain('Renamed to b');
  });

  it('a map move after an undo ends the engine\'s redo chain too, so both histories stay one', async () => {
    const { store, engine, controller } = setUp();
    await controller.edit(rename('a'));
    await controller.undo();
    controller.moveNode('g1', 'Moved g1 on the map', { x: 5, y: 5 });
    await controller.workspaceBytes();
    expect(store.getState().redoStack).toEqual([]);
    expect(engine.applied).toEqual([]);
    expect(await controller.redo()).toBe(false);
    // The last change shown is still the undo, not cleared by forgetting the chain.
    expect(store.getState().lastStep?.description).toBe('Undid: Renamed to a');
  });
});
