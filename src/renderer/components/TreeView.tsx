import { useEffect, useMemo, useState } from 'react';
import type { DendrogramTop } from '../../core/discover/dendrogram';
import type { AnalysisSummary } from '../../core/report/summary';
import type { WorkbenchView } from '../../core/workbench/workbench';
import { formatCount } from '../format/numbers';
import { drawTree } from '../model/tree-drawing';
import { CutSlider } from './CutSlider';
import { useWorkbench } from './workbench-context';

/** Clusters at the bottom of the drawn tree: enough to see its shape, few enough to read. */
export const TREE_LEAVES = 60;
const WIDTH = 1000;
const HEIGHT = 360;
const MARGIN = 24;

/**
 * Discovery's tree (its top: the last merges above the 60-cluster cut,
 * as a truncated dendrogram) with the current cut drawn across it; the
 * slider moves the cut, which regroups through the what-if engine.
 */
export function TreeView({ view, summary }: { readonly view: WorkbenchView; readonly summary: AnalysisSummary }) {
  const controller = useWorkbench();
  const [tree, setTree] = useState<DendrogramTop | null>(null);
  const clusters = view.clusters ?? summary.clustering.clusters;
  useEffect(() => {
    let live = true;
    void controller.tree(TREE_LEAVES).then((found) => {
      if (live) setTree(found);
    });
    return () => {
      live = false;
    };
  }, [controller]);
  const drawing = useMemo(() => (tree === null ? null : drawTree(tree, clusters)), [tree, clusters]);
  const px = (x: number) => MARGIN + x * (WIDTH - 2 * MARGIN);
  const py = (y: number) => HEIGHT - MARGIN - y * (HEIGHT - 2 * MARGIN);
  return (
    <section className="tree" aria-label="Discovery's tree">
      <div className="table-tools">
        <CutSlider profiles={summary.clustering.profiles} discovered={summary.clustering.clusters} clusters={view.clusters} />
        <span className="muted-text">
          {formatCount(summary.clustering.profiles)} host profiles; discovery cut at {formatCount(summary.clustering.clusters)} clusters ({summary.clustering.criterion}).
        </span>
      </div>
      {drawing === null ? (
        <p className="table-count">Building the tree…</p>
      ) : (
        <svg className="tree-drawing" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`The top of the tree down to ${drawing.leaves.length} clusters; the cut is at ${clusters} clusters`}>
          {drawing.segments.map((segment, index) => (
            <line key={index} x1={px(segment.x1)} y1={py(segment.y1)} x2={px(segment.x2)} y2={py(segment.y2)} className="tree-link" />
          ))}
          {drawing.leaves.map((leaf, index) => (
            <circle key={index} cx={px(leaf.x)} cy={py(0) + 6} r={2 + Math.min(6, Math.log2(1 + leaf.hosts))} className="tree-leaf">
              <title>{formatCount(leaf.hosts)} hosts</title>
            </circle>
          ))}
          {drawing.cut !== null && <line x1={MARGIN} x2={WIDTH - MARGIN} y1={py(drawing.cut)} y2={py(drawing.cut)} className="tree-cut" data-figure="cut" />}
        </svg>
      )}
    </section>
  );
}
