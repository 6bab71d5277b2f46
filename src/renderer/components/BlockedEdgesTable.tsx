import type { EscapedEdge } from '../../core/policy/simulate';
import { formatCount } from '../format/numbers';

/** Edges a policy would block, busiest first, each with why: the Replay and Drift views list them alike. */
export function BlockedEdgesTable({ edges, total, empty }: { readonly edges: readonly EscapedEdge[]; readonly total: number; readonly empty?: string }) {
  return (
    <table className="data-table" aria-label="Edges the policy would block">
      <caption>Edges the policy would block{edges.length < total ? ` (the ${formatCount(edges.length)} busiest of ${formatCount(total)})` : ''}</caption>
      <thead>
        <tr>
          <th scope="col">Client</th>
          <th scope="col">Server</th>
          <th scope="col">Service</th>
          <th scope="col" className="num">
            Flows
          </th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {edges.length === 0 && empty !== undefined && (
          <tr>
            <td colSpan={5}>{empty}</td>
          </tr>
        )}
        {edges.map((edge) => (
          <tr key={`${edge.client}|${edge.server}|${edge.proto}|${edge.port}`}>
            <td className="mono">{edge.client}</td>
            <td className="mono">{edge.server}</td>
            <td>{edge.port === null ? edge.proto : `${edge.proto}/${edge.port}`}</td>
            <td className="num">{formatCount(edge.flows)}</td>
            <td>{edge.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
