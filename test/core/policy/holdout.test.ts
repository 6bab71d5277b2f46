import { describe, expect, it } from 'vitest';
import { evaluateHoldout } from '../../../src/core/policy/holdout';
import type { PolicyEdge } from '../../../src/core/policy/policy-input';
import type { EdgeVerdict, EscapeCause, VerdictKind } from '../../../src/core/policy/simulate';
import { edge } from './fixtures';

function verdict(e: PolicyEdge, kind: VerdictKind, cause: EscapeCause | null = null, permittedFlows = kind === 'permitted' ? e.flows : 0): EdgeVerdict {
  return { edge: e, verdict: kind, permittedFlows, escapedFlows: kind === 'escaped' ? e.flows - permittedFlows : 0, loggedFlows: 0, stage: 'enforce', stageGroup: null, rule: null, cause, reason: '' };
}

const training = [edge('10.0.1.1', '10.0.2.1', 443), edge('10.0.1.1', '10.0.2.1', 22), edge('10.0.1.1', '10.0.2.1', 5432), edge('10.0.1.2', '10.0.2.1', 8443)];

describe('evaluateHoldout', () => {
  const verdicts = [
    // A known service (server, protocol, port) from a client never seen on it: still known.
    verdict(edge('10.0.1.3', '10.0.2.1', 443, { flows: 5 }), 'permitted'),
    verdict(edge('10.0.1.1', '10.0.2.1', 5432, { flows: 3 }), 'escaped', 'no-rule'),
    verdict(edge('10.0.1.1', '10.0.2.1', 22, { flows: 2 }), 'escaped', 'just-in-time'),
    verdict(edge('10.0.1.2', '10.0.2.1', 8443, { flows: 5 }), 'escaped', 'window', 3),
    // New services: drift, not breakage.
    verdict(edge('10.0.1.1', '10.0.2.1', 9999, { flows: 4 }), 'escaped', 'no-rule'),
    verdict(edge('10.0.1.2', '10.0.2.1', 9999, { flows: 4 }), 'escaped', 'no-rule'),
    verdict(edge('10.0.1.1', '10.0.2.2', 443), 'escaped', 'unplaced'),
    verdict(edge('10.0.1.1', '10.0.2.1', 443, { proto: 17 }), 'escaped', 'no-rule'),
    // A new service the policy permits anyway, and traffic refused today: neither counts.
    verdict(edge('10.0.1.1', '10.0.2.3', 443), 'permitted'),
    verdict(edge('10.0.1.1', '10.0.2.1', 443, { action: 2, flows: 9 }), 'rejected'),
  ];

  it('counts escaped known services as breakage, new ones as drift, and just-in-time edges apart', () => {
    expect(evaluateHoldout(verdicts, training)).toEqual({
      replayedEdges: 4,
      escapedEdges: 2,
      escapedFlows: 3 + 2,
      wouldBreakRate: 0.5,
      newServices: 3,
      newServiceEdges: 4,
      jitEdges: 1,
    });
  });

  it('is all zeros for no replay', () => {
    expect(evaluateHoldout([], training)).toEqual({ replayedEdges: 0, escapedEdges: 0, escapedFlows: 0, wouldBreakRate: 0, newServices: 0, newServiceEdges: 0, jitEdges: 0 });
  });

  it('treats everything as new without training edges', () => {
    expect(evaluateHoldout(verdicts, [])).toMatchObject({ replayedEdges: 0, escapedEdges: 0, wouldBreakRate: 0, newServices: 6, newServiceEdges: 7, jitEdges: 0 });
  });
});
