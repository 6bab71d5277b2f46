import { createHash } from 'node:crypto';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/core/analyze';
import { membersOf } from '../../../src/core/policy/whatif/grouping-state';
import { Workbench } from '../../../src/core/workbench/workbench';
import { readWorkspace, writeWorkspace } from '../../../src/core/workspace/workspace-file';
import { WorkspaceError } from '../../../src/core/workspace/workspace-model';
import { analyseDemo } from '../../helpers/demo-analysis';

let analysis: Analysis;
let heldOut: Analysis;

beforeAll(async () => {
  analysis = await analyseDemo();
  heldOut = await analyseDemo({ policy: { trainUntilMs: Date.parse('2026-01-05T16:00:00Z') } });
});

/** A workbench with one edit of every kind, the last one undone (so the log has something to redo). */
function editedWorkbench(from: Analysis): Workbench {
  const bench = Workbench.of(from);
  const members = membersOf(bench.state.grouping);
  const [a, b] = [...members.keys()].filter((id) => members.get(id)!.length > 1);
  const rules = bench.view().policy.rules;
  bench.edit({ kind: 'group', op: { op: 'move', ip: members.get(a!)![0]!, to: b! } });
  bench.edit({ kind: 'group', op: { op: 'rename', group: b!, name: 'payments, "prod" <b>' } });
  bench.edit({ kind: 'rules', rules: [rules[0]!.id, rules[1]!.id], decision: 'approved', reason: 'owner: yes' });
  bench.edit({ kind: 'rules', rules: [rules[2]!.id], decision: 'rejected', reason: 'no longer used' });
  if (from.anomalies.length > 0) bench.edit({ kind: 'anomaly', anomaly: 0, accepted: true, reason: 'scanner' });
  bench.edit({ kind: 'approve-group', group: b!, approved: true });
  bench.edit({ kind: 'group', op: { op: 'split', group: b!, hosts: [membersOf(bench.state.grouping).get(b!)![0]!], name: 'split off' } });
  bench.edit({ kind: 'group', op: { op: 'cut', clusters: 20 } });
  bench.undo();
  return bench;
}

const REJECTS = { 'flows.log': [{ line: 3, reason: 'not an address: "<b>x</b>"' }] };

function save(bench: Workbench, from: Analysis, page: unknown = { positions: { g1: { x: 1, y: 2 } } }): Uint8Array {
  return writeWorkspace({ summary: from.summary, material: bench.material, log: bench.log(), page, rejects: REJECTS });
}

describe('the workspace file', () => {
  it('brings every state back exactly: view, decisions, history, exports, page; and saves again to the same bytes', () => {
    for (const from of [analysis, heldOut]) {
      const bench = editedWorkbench(from);
      const bytes = save(bench, from);
      const content = readWorkspace(bytes);
      const restored = Workbench.restore(content.material, content.log);
      expect(restored.view()).toEqual(bench.view());
      expect(restored.state).toEqual(bench.state);
      expect(restored.log()).toEqual(bench.log());
      expect(restored.exports()).toEqual(bench.exports());
      expect(content.summary).toEqual(from.summary);
      expect(content.page).toEqual({ positions: { g1: { x: 1, y: 2 } } });
      expect(content.rejects).toEqual(REJECTS);
      // Redo still reaches the edit undone before saving.
      expect(restored.redo()!.description).toBe(bench.redo()!.description);
      expect(restored.view()).toEqual(bench.view());
      expect(Buffer.from(save(restored, from))).toEqual(Buffer.from(save(bench, from)));
    }
  });

  it('keeps a hold-out replay apart from the training edges, and the training replay as one table', () => {
    const held = unzipSync(save(Workbench.of(heldOut), heldOut));
    expect(Object.keys(held)).toContain('replay-edges.arrow');
    const whole = unzipSync(save(Workbench.of(analysis), analysis));
    expect(Object.keys(whole)).not.toContain('replay-edges.arrow');
    expect(Object.keys(whole).sort()).toEqual(['analysis.json', 'discovery-edges.arrow', 'edits.json', 'hosts.arrow', 'manifest.json', 'page.json', 'policy-edges.arrow', 'rejects.json', 'summary.json']);
  });

  it('refuses what is not a workspace, a damaged one, one from a newer Flowfence and a forged edit log, saying which', () => {
    const bytes = save(editedWorkbench(analysis), analysis);
    expect(() => readWorkspace(strToU8('not a zip'), 'x.flowfence')).toThrow(/x\.flowfence is not a Flowfence workspace \(not a readable zip/);
    expect(() => readWorkspace(zipSync({ 'a.txt': strToU8('hi') }))).toThrow(/no manifest\.json/);
    const files = unzipSync(bytes);
    const damaged = { ...files, 'policy-edges.arrow': files['policy-edges.arrow']!.slice(0, -1) };
    expect(() => readWorkspace(zipSync(damaged))).toThrow(WorkspaceError);
    expect(() => readWorkspace(zipSync(damaged))).toThrow(/policy-edges\.arrow does not match its digest/);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    expect(() => readWorkspace(zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify({ ...manifest, version: 99 })) }))).toThrow(/saved by a newer Flowfence \(workspace version 99/);
    // A forged log whose digests were recomputed: the shape of each edit is still checked.
    const forged = strToU8(JSON.stringify({ edits: [{ kind: 'group', op: { op: 'teleport' } }], position: 1 }));
    const entries = { ...manifest.entries, 'edits.json': { bytes: forged.length, sha256: sha256(forged) } };
    expect(() => readWorkspace(zipSync({ ...files, 'edits.json': forged, 'manifest.json': strToU8(JSON.stringify({ ...manifest, entries })) }))).toThrow(/edit 1: unknown grouping operation "teleport"/);
  });

  it('refuses a log whose edits cannot be made again, naming the edit', () => {
    const content = readWorkspace(save(Workbench.of(analysis), analysis));
    expect(() => Workbench.restore(content.material, { edits: [{ kind: 'group', op: { op: 'move', ip: '10.255.255.254', to: 'g1' } }], position: 1 })).toThrow(/edit 1 of the log cannot be made again: 10\.255\.255\.254 is not an internal host/);
    expect(() => Workbench.restore(content.material, { edits: [], position: 3 })).toThrow(/position 3 is outside its 0 edits/);
  });
  it('refuses crafted content whose digests were recomputed: a summary or an analysis of the wrong shape, a column of the wrong type', () => {
    const files = unzipSync(save(Workbench.of(analysis), analysis));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    const forge = (name: string, bytes: Uint8Array) =>
      zipSync({ ...files, [name]: bytes, 'manifest.json': strToU8(JSON.stringify({ ...manifest, entries: { ...manifest.entries, [name]: { bytes: bytes.length, sha256: sha256(bytes) } } })) });
    expect(() => readWorkspace(forge('summary.json', strToU8('{}')))).toThrow(/summary\.json lacks/);
    expect(() => readWorkspace(forge('summary.json', strToU8('null')))).toThrow(/summary\.json lacks/);
    const entry = JSON.parse(strFromU8(files['analysis.json']!));
    expect(() => readWorkspace(forge('analysis.json', strToU8(JSON.stringify({ ...entry, groups: [{ id: 1 }] }))))).toThrow(/group 1 is not/);
    expect(() => readWorkspace(forge('analysis.json', strToU8(JSON.stringify({ ...entry, anomalies: [{ kind: 'scan', edges: [5] }] }))))).toThrow(/anomaly 1 is not/);
    const textFlows = tableToIPC(tableFromArrays({ client: ['10.0.0.1'], server: ['10.0.0.2'], proto: Int32Array.of(6), port: Int32Array.of(443), action: Int32Array.of(1), flows: ['many'] }), 'file');
    expect(() => readWorkspace(forge('policy-edges.arrow', textFlows))).toThrow(/policy-edges\.arrow: column \w+ holds/);
    const badPod = { namespace: 'shop', pod: 'web-1', ips: ['10.0.1.1'], labels: { app: 7 }, owner: null, hostIp: null, hostNetwork: false, source: 'pod-list' };
    expect(() => readWorkspace(forge('analysis.json', strToU8(JSON.stringify({ ...entry, parts: { ...entry.parts, pods: [badPod] } }))))).toThrow(/pod 1 is not \{namespace/);
    expect(() => readWorkspace(forge('analysis.json', strToU8(JSON.stringify({ ...entry, parts: { ...entry.parts, pods: 'all' } }))))).toThrow(/lists its pods in something other than a list/);
  });

  it('keeps the pods the analysis knew, so the Kubernetes targets export from a reopened workspace', () => {
    const pods = [{ namespace: 'shop', pod: 'web-1', ips: ['10.0.1.1'], labels: { app: 'web' }, owner: { kind: 'Deployment', name: 'web' }, hostIp: '192.168.0.5', hostNetwork: false, source: 'pod-list' as const }];
    const bench = Workbench.of(analysis);
    const material = { ...bench.material, policy: { ...bench.material.policy, parts: { ...bench.material.policy.parts, pods } } };
    const bytes = writeWorkspace({ summary: analysis.summary, material, log: bench.log(), page: null });
    const reopened = readWorkspace(bytes);
    expect(reopened.material.policy.parts.pods).toEqual(pods);
    expect(new Workbench(reopened.material).policy().pods).toEqual(pods);
    // Without pods nothing is added: a workspace of hosts alone keeps its bytes.
    expect(JSON.parse(strFromU8(unzipSync(save(bench, analysis))['analysis.json']!)).parts.pods).toBeUndefined();
  });
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
