import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useNodesState, useReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { StageSetting } from '../../core/policy/policy-model';
import type { AnalysisSummary } from '../../core/report/summary';
import type { WorkbenchView } from '../../core/workbench/workbench';
import type { HostFact } from '../engine/protocol';
import { formatCount } from '../format/numbers';
import { groupMap, MAP_LIMITS, type MapNode } from '../model/group-map';
import { groupStages, stageText } from '../model/group-stages';
import { expandedHeight, expandedHosts, HOST_ROW, type ExpandedGroup } from '../model/map-hosts';
import { LAYOUT, layoutMap } from '../model/map-layout';
import { isActive, matchingGroups, NO_QUERY, type MapQuery } from '../model/map-search';
import { useAppStore } from '../store/app-store';
import { GroupInspector } from './GroupInspector';
import { MapToolbar } from './MapToolbar';
import { StageBadge, StageLegend } from './StageBadge';
import { useWorkbench } from './workbench-context';

/**
 * The groups on a map: one node per group in its tier column, one edge per
 * pair of groups labelled with the services its rules open and weighted by
 * their flows. A group expands in place to its hosts; a host dragged onto
 * another group moves there (through the engine, like every regrouping).
 * Groups the analyst drags stay where they were put. Each internal group
 * carries its enforcement stage (a legend says what each means). The map
 * says when it left groups, links or hosts out.
 */
export const GroupMapView = memo(function GroupMapView(props: { readonly view: WorkbenchView; readonly summary: AnalysisSummary; readonly hosts: readonly HostFact[] }) {
  return (
    <ReactFlowProvider>
      <GroupMapCanvas {...props} />
    </ReactFlowProvider>
  );
});

const HOST_PREFIX = 'host:';

function GroupMapCanvas({ view, summary, hosts }: { readonly view: WorkbenchView; readonly summary: AnalysisSummary; readonly hosts: readonly HostFact[] }) {
  const controller = useWorkbench();
  const flow = useReactFlow();
  const positions = useAppStore((state) => state.positions);
  const expanded = useAppStore((state) => state.expandedGroups);
  const selected = useAppStore((state) => state.selectedGroup);
  const groupSelected = useAppStore((state) => state.groupSelected);
  const groupExpanded = useAppStore((state) => state.groupExpanded);
  const openedAggregates = useAppStore((state) => state.openedAggregates);
  const aggregateOpened = useAppStore((state) => state.aggregateOpened);
  const [query, setQuery] = useState<MapQuery>(NO_QUERY);
  const deferredQuery = useDeferredValue(query);
  const { policy } = view;
  const map = useMemo(() => groupMap(policy, summary, MAP_LIMITS, new Set(openedAggregates)), [policy, summary, openedAggregates]);
  const hostIndex = useMemo(() => new Map(hosts.map((host) => [host.ip, host])), [hosts]);
  const matches = useMemo(() => (isActive(deferredQuery) ? matchingGroups(map, policy, hostIndex, view.wouldBreak, deferredQuery) : null), [map, policy, hostIndex, view.wouldBreak, deferredQuery]);
  const opened = useMemo(() => expandedHosts(policy, map.nodes, expanded, MAP_LIMITS.nodes - map.nodes.length), [policy, map, expanded]);
  const stages = useMemo(() => groupStages(policy.groups), [policy]);
  const computed = useMemo(
    () => mapNodes(map.nodes, opened, positions, view.wouldBreak, matches, selected, hostIndex, stages),
    [map, opened, positions, view.wouldBreak, matches, selected, hostIndex, stages],
  );
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>(computed.map((entry) => entry.node));
  const signatures = useRef(new Map<string, string>());
  // After every step only the nodes whose drawing changed are new objects: the flow re-renders those alone (on a
  // large map, re-rendering every node after each regrouping is what keeps the page busy). A changed node keeps
  // what the flow measured: a node it must measure again is hidden meanwhile, and a click would fall through it.
  const refresh = useCallback(
    (reset?: string) => {
      const drawn = signatures.current;
      if (reset !== undefined) drawn.delete(reset);
      // The updater runs later: it must compare with what was drawn, not with the signatures set just below.
      setNodes((current) => reuseUnchanged(current, computed, drawn));
      signatures.current = new Map(computed.map((entry) => [entry.node.id, entry.signature]));
    },
    [computed, setNodes],
  );
  useEffect(() => refresh(), [refresh]);
  const edgeCache = useRef(new Map<string, Edge>());
  const edges = useMemo(() => (edgeCache.current = reuseEdges(mapEdges(map.links), edgeCache.current)), [map]);
  const edgeList = useMemo(() => [...edges.values()], [edges]);
  const names = useMemo(() => new Map(map.nodes.map((node) => [node.id, node])), [map]);

  const onNodeDragStop = useCallback(
    (_event: unknown, node: Node) => {
      if (node.id.startsWith(HOST_PREFIX)) {
        const ip = node.id.slice(HOST_PREFIX.length);
        const target = flow.getIntersectingNodes(node).find((other) => !other.id.startsWith(HOST_PREFIX) && other.id !== node.parentId && isInternalGroup(names.get(other.id)));
        // The host goes back into its group until the engine says where it now is.
        refresh(node.id);
        if (target !== undefined) void controller.edit({ kind: 'group', op: { op: 'move', ip, to: target.id } });
        return;
      }
      controller.moveNode(node.id, `Moved ${names.get(node.id)?.name ?? node.id} on the map`, { x: Math.round(node.position.x), y: Math.round(node.position.y) });
    },
    [flow, names, refresh, controller],
  );
  const onNodeClick = useCallback(
    (_event: unknown, node: Node) => {
      if (names.get(node.id)?.aggregate !== undefined) return;
      groupSelected(node.id.startsWith(HOST_PREFIX) ? (node.parentId ?? null) : node.id);
    },
    [groupSelected, names],
  );
  const onNodeDoubleClick = useCallback(
    (_event: unknown, node: Node) => {
      if (names.get(node.id)?.aggregate !== undefined) {
        aggregateOpened(node.id);
        return;
      }
      if (node.id.startsWith(HOST_PREFIX) || !isInternalGroup(names.get(node.id))) return;
      groupExpanded(node.id, !expanded.includes(node.id));
    },
    [names, expanded, groupExpanded, aggregateOpened],
  );
  const zoomTo = useCallback((ids: readonly string[]) => {
    if (ids.length > 0) void flow.fitView({ nodes: ids.map((id) => ({ id })), duration: 300, maxZoom: 1.5 });
  }, [flow]);

  const hiddenHosts = opened.reduce((sum, group) => sum + group.hidden, 0);
  return (
    <section className="group-map" aria-label="Group map">
      <MapToolbar
        map={map}
        query={query}
        onQuery={setQuery}
        matches={matches}
        onZoomToMatches={() => zoomTo(matches === null ? [] : [...matches])}
        onZoomToSelection={() => zoomTo(selected === null ? [] : [selected])}
        onSelectFirstMatch={() => {
          // An address typed whole finds its own group first (10.1.0.1 is also part of 10.1.0.10).
          const exact = policy.groups.find((group) => group.kind !== 'all-internal' && group.members.includes(query.text.trim()));
          const first = exact !== undefined && map.nodes.some((node) => node.id === exact.id) ? exact : matches === null ? undefined : map.nodes.find((node) => matches.has(node.id));
          if (first !== undefined) {
            groupSelected(first.id);
            zoomTo([first.id]);
          }
        }}
        profiles={summary.clustering.profiles}
        discoveredClusters={summary.clustering.clusters}
        clusters={view.clusters}
      />
      {map.aggregated !== null && (
        <p className="map-banner" role="status">
          {formatCount(map.aggregated.groups)} groups are drawn together as {formatCount(map.aggregated.into)} nodes (outside networks as one, the analyst&apos;s groups by the
          traffic community they belong to), since at most {formatCount(MAP_LIMITS.nodes)} nodes are drawn: double-click one to open it; search finds the groups inside.
          {openedAggregates.length > 0 && (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => aggregateOpened(null)}>
                Close the {formatCount(openedAggregates.length)} opened
              </button>
            </>
          )}
        </p>
      )}
      {(map.omitted !== null || hiddenHosts > 0) && (
        <p className="map-banner" role="status">
          {map.omitted !== null &&
            `Showing the ${formatCount(map.nodes.length)} largest groups and ${formatCount(map.links.length)} busiest links of ${formatCount(map.nodes.length + map.omitted.nodes)} groups and ${formatCount(map.links.length + map.omitted.links)} links (at most ${formatCount(MAP_LIMITS.nodes)} and ${formatCount(MAP_LIMITS.links)} are drawn). `}
          {hiddenHosts > 0 && `${formatCount(hiddenHosts)} hosts of expanded groups are not drawn: the inspector lists every member.`}
        </p>
      )}
      <StageLegend />
      <div className="map-body">
        <div className="map-canvas">
          <ReactFlow
            nodes={nodes}
            edges={edgeList}
            onNodesChange={onNodesChange}
            onNodeDragStop={onNodeDragStop}
            onNodeClick={onNodeClick}
            onNodeDoubleClick={onNodeDoubleClick}
            onPaneClick={() => groupSelected(null)}
            colorMode="system"
            fitView
            minZoom={0.05}
            nodesConnectable={false}
            zoomOnDoubleClick={false}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <MiniMap pannable zoomable />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        {selected !== null && <GroupInspector key={selected} group={selected} view={view} summary={summary} hosts={hostIndex} expanded={expanded.includes(selected)} />}
      </div>
    </section>
  );
}

interface DrawnNode {
  readonly node: Node;
  /** Everything the node's drawing depends on: equal signatures, same drawing. */
  readonly signature: string;
}

function reuseUnchanged(current: readonly Node[], next: readonly DrawnNode[], signatures: ReadonlyMap<string, string>): Node[] {
  const byId = new Map(current.map((node) => [node.id, node]));
  return next.map(({ node, signature }) => {
    const old = byId.get(node.id);
    if (old === undefined) return node;
    if (signatures.get(node.id) === signature) return old;
    return old.measured === undefined ? node : { ...node, measured: old.measured };
  });
}

/** The edges as drawn before where nothing about them changed, so the flow re-renders only changed ones. */
function reuseEdges(next: readonly Edge[], before: ReadonlyMap<string, Edge>): Map<string, Edge> {
  const edges = new Map<string, Edge>();
  for (const edge of next) {
    const old = before.get(edge.id);
    const same = old !== undefined && old.label === edge.label && old.source === edge.source && old.target === edge.target && old.style?.strokeWidth === edge.style?.strokeWidth;
    edges.set(edge.id, same ? old : edge);
  }
  return edges;
}

function isInternalGroup(node: MapNode | undefined): boolean {
  return node !== undefined && node.aggregate === undefined && node.kind !== 'external' && node.kind !== 'all-internal';
}

function mapNodes(
  groups: readonly MapNode[],
  opened: readonly ExpandedGroup[],
  moved: Readonly<Record<string, { x: number; y: number }>>,
  wouldBreak: Readonly<Record<string, number>>,
  matches: ReadonlySet<string> | null,
  selected: string | null,
  hosts: ReadonlyMap<string, HostFact>,
  stages: ReadonlyMap<string, StageSetting>,
): DrawnNode[] {
  const openedOf = new Map(opened.map((group) => [group.group, group]));
  const heights = new Map(opened.map((group) => [group.group, expandedHeight(group)]));
  const positions = layoutMap(groups, (id) => heights.get(id) ?? LAYOUT.nodeHeight);
  const nodes: DrawnNode[] = [];
  for (const node of groups) {
    const open = openedOf.get(node.id);
    const breaks = (node.aggregate ?? [node.id]).reduce((sum, id) => sum + (wouldBreak[id] ?? 0), 0);
    const stage = node.aggregate === undefined ? (stages.get(node.id) ?? null) : null;
    const classes = ['map-node', `map-${node.column}`, node.aggregate === undefined ? '' : 'is-aggregate', node.environment === null ? '' : `env-${environmentClass(node.environment)}`, open === undefined ? '' : 'is-expanded', matches !== null && !matches.has(node.id) ? 'is-dimmed' : '', node.id === selected ? 'is-selected' : ''];
    const position = moved[node.id] ?? positions.get(node.id)!;
    const className = classes.filter((name) => name !== '').join(' ');
    const ariaLabel = `${node.name}: ${node.hosts} hosts${node.anomalies > 0 ? `, ${node.anomalies} anomalies` : ''}${breaks > 0 ? `, ${breaks} edges the policy would block` : ''}${stage === null ? '' : `, stage ${stageText(stage)}${stage.canary ? ', canary' : ''}`}${node.aggregate === undefined ? '' : '; double-click to open'}`;
    const height = open === undefined ? null : heights.get(node.id)!;
    nodes.push({
      node: {
        id: node.id,
        position,
        data: { label: <GroupLabel node={node} wouldBreak={breaks} stage={stage} /> },
        className,
        ariaLabel,
        ...(height === null ? {} : { style: { height } }),
        draggable: true,
        connectable: false,
      },
      signature: JSON.stringify([position.x, position.y, className, ariaLabel, height, node.name, stage]),
    });
    if (open === undefined) continue;
    open.shown.forEach((ip, row) => {
      const name = hosts.get(ip)?.name;
      const ariaLabel = `host ${ip}${name ? ` (${name})` : ''} in ${node.name}: drag onto another group to move it`;
      nodes.push({
        node: {
          id: `${HOST_PREFIX}${ip}`,
          parentId: node.id,
          position: { x: 8, y: HOST_ROW.header + row * HOST_ROW.height },
          data: { label: name === null || name === undefined ? ip : `${ip} · ${name}` },
          className: 'map-host',
          ariaLabel,
          draggable: true,
          connectable: false,
        },
        signature: JSON.stringify([row, node.id, ariaLabel]),
      });
    });
  }
  return nodes;
}

function mapEdges(links: ReturnType<typeof groupMap>['links']): Edge[] {
  const heaviest = Math.max(1, ...links.map((link) => link.flows));
  return links.map((link) => ({
    id: link.id,
    source: link.from,
    target: link.to,
    label: link.services.length > 3 ? `${link.services.slice(0, 3).join(', ')} +${link.services.length - 3}` : link.services.join(', '),
    className: 'map-link',
    // Width grows with the logarithm of the flows: a busy link stands out without hiding the rest.
    style: { strokeWidth: 1 + 3 * (Math.log1p(link.flows) / Math.log1p(heaviest)) },
  }));
}

function GroupLabel({ node, wouldBreak, stage }: { readonly node: MapNode; readonly wouldBreak: number; readonly stage: StageSetting | null }) {
  return (
    <div className="map-node-label" data-group={node.id}>
      <span className="map-node-name">{node.name}</span>
      <span className="map-node-facts">
        {formatCount(node.hosts)} {node.hosts === 1 ? 'host' : 'hosts'}
        {node.anomalies > 0 && <span className="badge badge-anomaly"> {formatCount(node.anomalies)} anomalies</span>}
        {wouldBreak > 0 && <span className="badge badge-break"> {formatCount(wouldBreak)} would break</span>}
        {stage !== null && <StageBadge setting={stage} />}
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
