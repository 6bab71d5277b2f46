import { useEffect, useState } from 'react';
import type { EvidenceEdge } from '../../core/policy/policy-model';
import type { RuleView } from '../../core/workbench/policy-view';
import type { RuleDecision } from '../../core/workbench/workbench-state';
import { formatCount } from '../format/numbers';
import { useWorkbench } from './workbench-context';

/** Evidence edges listed at once under a rule. */
export const EVIDENCE_SHOWN = 50;

/**
 * Why a rule exists: the edges it was learned from (asked of the engine
 * when the evidence is opened, and again when an edit changes the rule),
 * and each generalisation step that widened it.
 */
export function RuleEvidence({ rule, decision }: { readonly rule: RuleView; readonly decision: RuleDecision | undefined }) {
  const { evidence } = rule;
  const controller = useWorkbench();
  const [edges, setEdges] = useState<readonly EvidenceEdge[] | null | 'loading'>('loading');
  useEffect(() => {
    let live = true;
    setEdges('loading');
    void controller.evidence(rule.id).then((found) => {
      if (live) setEdges(found);
    });
    return () => {
      live = false;
    };
  }, [controller, rule]);
  return (
    <div className="rule-evidence" aria-label={`Evidence of ${rule.id}`}>
      <p>
        <span className="mono">{rule.id}</span>: {formatCount(evidence.flows)} flows, {formatCount(evidence.bytes)} bytes, {formatCount(evidence.clients)} clients, {formatCount(evidence.servers)} servers.
        {decision !== undefined && ` ${decision.state === 'approved' ? 'Approved' : 'Rejected'}: ${decision.reason}`}
        {rule.jit !== null && ` Just in time for ${rule.jit.requesters.map((requester) => requester.user).join(', ') || 'named requesters'}.`}
      </p>
      {evidence.steps.length > 0 && (
        <ol className="evidence-steps">
          {evidence.steps.map((step, index) => (
            <li key={index}>
              <strong>{step.step}</strong>: {step.detail}
            </li>
          ))}
        </ol>
      )}
      {edges === 'loading' && <p className="table-count">Reading the {formatCount(evidence.edgeCount)} evidence edges…</p>}
      {edges === null && <p className="table-count">This rule no longer exists in the current grouping.</p>}
      {edges !== 'loading' && edges !== null && (
        <table className="data-table evidence-edges">
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Server</th>
              <th scope="col">Port</th>
              <th scope="col" className="num">
                Flows
              </th>
              <th scope="col" className="num">
                Bytes
              </th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {edges.slice(0, EVIDENCE_SHOWN).map((edge) => (
              <tr key={`${edge.client}|${edge.server}|${edge.port}`}>
                <td className="mono">{edge.client}</td>
                <td className="mono">{edge.server}</td>
                <td>{edge.port}</td>
                <td className="num">{formatCount(edge.flows)}</td>
                <td className="num">{formatCount(edge.bytes)}</td>
                <td>{edge.firstSeen ?? ''}</td>
                <td>{edge.lastSeen ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {evidence.edgeCount > EVIDENCE_SHOWN && <p className="table-count">The first {formatCount(EVIDENCE_SHOWN)} of {formatCount(evidence.edgeCount)} edges; policy.json holds them all.</p>}
    </div>
  );
}
