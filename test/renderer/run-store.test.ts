import { describe, expect, it } from 'vitest';
import type { Policy } from '../../src/core/policy/policy-model';
import type { AnalysisSummary } from '../../src/core/report/summary';
import type { WorkbenchView } from '../../src/core/workbench/workbench';
import { createAppStore } from '../../src/renderer/store/app-store';
import { selectInputs, selectIsBusy, selectOutcome, selectPolicy, selectProgress } from '../../src/renderer/store/selectors';

const summary: AnalysisSummary = {
  inputs: [{ path: 'a.log', format: 'aws-vpc', read: 3, accepted: 2, rejected: 1, rejectReasons: { bad: 1 } }],
  hosts: 2,
  edges: 1,
  window: { from: null, to: null },
  enrichment: { internalHosts: 2, externalHosts: 0, namedHosts: 0, labelledHosts: 0, logons: 0 },
  timingsMs: { ingest: 1, edges: 1, enrich: 1, discover: 0, policy: 0, total: 3 },
  anomalies: [],
  groups: [{ id: 'g1', name: 'clients', members: ['10.0.0.1', '10.0.0.2'], confidence: 0, labels: {}, rule: null, kind: 'clients', tier: 'clients', community: 0 }],
  assignments: { '10.0.0.1': 'g1', '10.0.0.2': 'g1' },
  labelConflicts: [],
  clustering: { criterion: 'fewer than three distinct profiles: one group per profile', height: 0, clusters: 1, silhouette: 0, profiles: 1 },
  graph: { communities: 1, modularity: 0, topReach: [] },
  rules: 0,
  simulation: { permitted: 0, escaped: 0, rejected: 0, coverage: 1, permittedEdges: 0, escapedEdges: 0, rejectedEdges: 0 },
  exposure: { flatPairs: 2, policyPairs: 0, reduction: 1, adminPaths: 0, blastRadius: { hops: 3, mean: 0, max: 0, top: [] } },
  policySha256: '0'.repeat(64),
};

describe('the app store', () => {
  it('runs idle → running → idle with the outcome', () => {
    const store = createAppStore();
    expect(selectIsBusy(store.getState())).toBe(false);
    store.getState().runStarted(2, 0);
    expect(selectIsBusy(store.getState())).toBe(true);
    store.getState().runProgressed({ stage: 'ingest', fraction: 0.5, detail: 'a.log' });
    expect(selectProgress(store.getState())).toEqual({ stage: 'ingest', fraction: 0.5, detail: 'a.log' });
    store.getState().runEnded({ kind: 'completed', elapsedMs: 12 });
    expect(store.getState().run.status).toBe('idle');
    expect(selectProgress(store.getState())).toBeNull();
    expect(selectOutcome(store.getState())).toEqual({ kind: 'completed', elapsedMs: 12 });
  });

  it('ignores late progress once cancelling or idle', () => {
    const store = createAppStore();
    store.getState().runStarted(1, 0);
    store.getState().runCancelling();
    store.getState().runProgressed({ stage: 'edges', fraction: 0.9 });
    expect(store.getState().run.status).toBe('cancelling');
    expect(selectProgress(store.getState())?.stage).toBe('engine');
    store.getState().runEnded({ kind: 'cancelled' });
    store.getState().runProgressed({ stage: 'edges', fraction: 0.95 });
    expect(selectProgress(store.getState())).toBeNull();
  });

  it('keeps the result separate from the run, and selectors stable between progress ticks', () => {
    const store = createAppStore();
    const policy = { rules: [], groups: [] } as unknown as Policy;
    const view = { policy } as unknown as WorkbenchView;
    store.getState().resultReceived({ summary, view, hosts: [], rejects: {}, restored: null });
    const inputs = selectInputs(store.getState());
    expect(selectPolicy(store.getState())).toBe(policy);
    store.getState().runStarted(1, 0);
    store.getState().runProgressed({ stage: 'ingest', fraction: 0.1 });
    expect(selectInputs(store.getState())).toBe(inputs);
    store.getState().resultCleared();
    expect(selectInputs(store.getState())).toBeNull();
    expect(selectPolicy(store.getState())).toBeNull();
  });
});
