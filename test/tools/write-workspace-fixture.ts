/**
 * Writes test/fixtures/workspace/demo.v<version>.flowfence: the demo,
 * analysed, with one edit of every kind (the last undone). Run it once per
 * workspace version, when that version is current, and never again for it:
 * the file stands for workspaces analysts already saved (see SOURCE.txt).
 *   npx tsx test/tools/write-workspace-fixture.ts
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { membersOf } from '../../src/core/policy/whatif/grouping-state';
import { Workbench } from '../../src/core/workbench/workbench';
import { writeWorkspace } from '../../src/core/workspace/workspace-file';
import { WORKSPACE_VERSION } from '../../src/core/workspace/workspace-model';
import { analyseDemo } from '../helpers/demo-analysis';

const target = fileURLToPath(new URL(`../fixtures/workspace/demo.v${WORKSPACE_VERSION}.flowfence`, import.meta.url));
if (existsSync(target)) throw new Error(`${target} exists: a fixture stands for files already written, so it is never regenerated`);
const analysis = await analyseDemo();
const bench = Workbench.of(analysis);
const members = membersOf(bench.state.grouping);
const [a, b] = [...members.keys()].filter((id) => members.get(id)!.length > 1);
const rules = bench.view().policy.rules;
bench.edit({ kind: 'group', op: { op: 'move', ip: members.get(a!)![0]!, to: b! } });
bench.edit({ kind: 'group', op: { op: 'rename', group: b!, name: 'payments · "prod"' } });
bench.edit({ kind: 'rules', rules: [rules[0]!.id], decision: 'approved', reason: 'confirmed with the owner' });
bench.edit({ kind: 'rules', rules: [rules[2]!.id], decision: 'rejected', reason: 'no longer used' });
bench.edit({ kind: 'anomaly', anomaly: 0, accepted: true, reason: 'the quarterly scan' });
bench.edit({ kind: 'approve-group', group: b!, approved: true });
bench.edit({ kind: 'group', op: { op: 'pin', ip: members.get(b!)![0]!, pinned: true } });
bench.edit({ kind: 'group', op: { op: 'cut', clusters: 20 } });
bench.undo();
const page = { version: 1, positions: { [b!]: { x: 40, y: 80 } }, expandedGroups: [b], undoStack: [], redoStack: [] };
await writeFile(target, writeWorkspace({ summary: analysis.summary, material: bench.material, log: bench.log(), page }));
console.log(`wrote ${target}`);
