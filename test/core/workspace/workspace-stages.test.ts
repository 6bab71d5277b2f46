import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/core/analyze';
import { movedOrder } from '../../../src/core/workbench/promotion-order';
import { Workbench } from '../../../src/core/workbench/workbench';
import { readWorkspace, writeWorkspace } from '../../../src/core/workspace/workspace-file';
import { WorkspaceError } from '../../../src/core/workspace/workspace-model';
import { analyseDemo } from '../../helpers/demo-analysis';

let analysis: Analysis;

beforeAll(async () => {
  analysis = await analyseDemo();
});

const AT = '2026-12-04T10:00:00.000Z';

/** Three groups observed (one a canary, one selective), the promotion order changed twice, the last change undone. */
function stagedWorkbench(): Workbench {
  const bench = Workbench.of(analysis);
  const groups = [...bench.state.grouping.groups.values()].map((group) => group.id).slice(0, 3);
  for (const group of groups) bench.edit({ kind: 'stage', request: { group, stage: 'observe', by: 'ana', why: `watch ${group}` }, at: AT });
  bench.edit({ kind: 'stage', request: { group: groups[0]!, canary: true, by: 'ana', why: 'least risk', ticket: 'CHG-7' }, at: AT });
  const service = analysis.policy.policy.services[0]!.id;
  bench.edit({ kind: 'stage', request: { group: groups[1]!, stage: 'selective', services: [service], override: true, by: 'bo', why: 'owner asked' }, at: AT });
  for (const direction of ['down', 'up'] as const) {
    const rows = bench.promotion().rows.map((row) => row.group);
    const moved = direction === 'down' ? rows[0]! : rows[rows.length - 1]!;
    bench.edit({ kind: 'promotion-order', order: movedOrder(rows, moved, direction)!, moved, direction });
  }
  bench.undo();
  return bench;
}

const save = (bench: Workbench): Uint8Array => writeWorkspace({ summary: analysis.summary, material: bench.material, log: bench.log(), page: null });

describe('stages and the promotion order in the workspace file', () => {
  it('come back exactly after save and reopen, redo included, and save again to the same bytes', () => {
    const bench = stagedWorkbench();
    expect(bench.promotion().custom).toBe(true);
    const bytes = save(bench);
    const restored = Workbench.restore(readWorkspace(bytes).material, readWorkspace(bytes).log);
    expect(restored.view()).toEqual(bench.view());
    expect(restored.policy()).toEqual(bench.policy());
    expect(restored.policy().audit).toHaveLength(5);
    expect(restored.promotion()).toEqual(bench.promotion());
    expect(restored.exports()).toEqual(bench.exports());
    expect(Buffer.from(save(restored))).toEqual(Buffer.from(bytes));
    expect(restored.redo()!.description).toBe(bench.redo()!.description);
    expect(restored.promotion()).toEqual(bench.promotion());
  });

  it('a workspace saved before stages (no stage or order edit) opens with every group enforced and the proposed order', () => {
    const bench = Workbench.of(analysis);
    const restored = Workbench.restore(readWorkspace(save(bench)).material, readWorkspace(save(bench)).log);
    expect(restored.promotion().custom).toBe(false);
    expect(restored.policy()).toEqual(analysis.policy.policy);
  });

  it('refuses a forged stage edit, saying which edit and what is wrong', () => {
    const entries = unzipSync(save(stagedWorkbench()));
    const log = JSON.parse(strFromU8(entries['edits.json']!)) as { edits: Record<string, unknown>[] };
    log.edits[0] = { kind: 'stage', request: { group: 'g1', stage: 'block-all', by: 'x', why: 'y' }, at: AT };
    entries['edits.json'] = strToU8(JSON.stringify(log));
    const manifest = JSON.parse(strFromU8(entries['manifest.json']!)) as { entries: Record<string, { bytes: number; sha256: string }> };
    manifest.entries['edits.json'] = { bytes: entries['edits.json'].length, sha256: createHash('sha256').update(entries['edits.json']).digest('hex') };
    entries['manifest.json'] = strToU8(JSON.stringify(manifest));
    expect(() => readWorkspace(zipSync(entries))).toThrow(WorkspaceError);
    expect(() => readWorkspace(zipSync(entries))).toThrow(/edit 1: stage must be one of observe, selective, enforce/);
  });
});
