import { Background, Controls, MiniMap, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useMemo } from 'react';
import type { Policy } from '../../core/policy/policy-model';
import type { AnalysisSummary } from '../../core/report/summary';
import { formatCount } from '../format/numbers';
import { groupMap, MAP_LIMITS, type MapNode } from '../model/group-map';
import { layoutMap } from '../model/map-layout';

/**
 * The groups on a map: one node per group in its tier column, one edge per
 * pair of groups labelled with the services its rules open and weighted by
 * their flows. The map says when it left groups or links out.
 */
export const GroupMapView = memo(function GroupMapView({ policy, summary }: { readonly policy: Policy; readonly summary: AnalysisSummary }) {
  const map = useMemo(() => groupMap(policy, summary), [policy, summary]);
  const { nodes, edges } = useMemo(() => {
    const positions = layoutMap(map.nodes);
    const heaviest = Math.max(1, ...map.links.map((link) => link.flows));
    const flowNodes: Node[] = map.nodes.map((node) => ({
      id: node.id,
      position: positions.get(node.id)!,
      data: { label: <GroupLabel node={node} /> },
      className: `map-node map-${node.column}${node.environment === null ? '' : ` env-${environmentClass(node.environment)}`}`,
      ariaLabel: `${node.name}: ${node.hosts} hosts${node.anomalies > 0 ? `, ${node.anomalies} anomalies` : ''}`,
      draggable: true,
      connectable: false,
    }));
    const flowEdges: Edge[] = map.links.map((link) => ({
      id: link.id,
      source: link.from,
      target: link.to,
      label: link.services.length > 3 ? `${link.services.slice(0, 3).join(', ')} +${link.services.length - 3}` : link.services.join(', '),
      className: 'map-link',
      // Width grows with the logarithm of the flows: a busy link stands out without hiding the rest.
      style: { strokeWidth: 1 + 3 * (Math.log1p(link.flows) / Math.log1p(heaviest)) },
    }));
    return { nodes: flowNodes, edges: flowEdges };
  }, [map]);

  return (
    <section className="group-map" aria-label="Group map">
      {map.omitted !== null && (
        <p className="map-banner" role="status">
          Showing the {formatCount(map.nodes.length)} largest groups and {formatCount(map.links.length)} busiest links of {formatCount(map.nodes.length + map.omitted.nodes)} groups and{' '}
          {formatCount(map.links.length + map.omitted.links)} links (at most {formatCount(MAP_LIMITS.nodes)} and {formatCount(MAP_LIMITS.links)} are drawn).
        </p>
      )}
      <div className="map-canvas">
        <ReactFlow nodes={nodes} edges={edges} colorMode="dark" fitView minZoom={0.05} nodesConnectable={false} proOptions={{ hideAttribution: true }}>
          <Background />
          <MiniMap pannable zoomable />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </section>
  );
});

function GroupLabel({ node }: { readonly node: MapNode }) {
  return (
    <div className="map-node-label" data-group={node.id}>
      <span className="map-node-name">{node.name}</span>
      <span className="map-node-facts">
        {formatCount(node.hosts)} {node.hosts === 1 ? 'host' : 'hosts'}
        {node.anomalies > 0 && <span className="badge badge-anomaly"> {formatCount(node.anomalies)} anomalies</span>}
      </span>
    </div>
  );
}

const ENVIRONMENT_CLASSES: Readonly<Record<string, string>> = {
  prod: 'prod', production: 'prod', prd: 'prod',
  dev: 'dev', development: 'dev',
  test: 'test', testing: 'test', qa: 'test', uat: 'test', staging: 'test', stage: 'test',
};

/** The colour class of an environment label value; a value of the data never becomes a class name itself. */
function environmentClass(environment: string): string {
  return ENVIRONMENT_CLASSES[environment.toLowerCase()] ?? 'other';
}
