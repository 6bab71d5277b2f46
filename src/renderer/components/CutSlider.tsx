import { useEffect, useState } from 'react';
import { useWorkbench } from './workbench-context';

/**
 * Where discovery's tree is cut: fewer clusters merge similar groups, more
 * split them. The groups follow when the slider is released, on Enter or
 * when it loses focus, not at every step of a drag or arrow key, so one
 * choice is one regrouping (and one undo).
 * Hosts the analyst pinned stay where they are.
 */
export function CutSlider({ profiles, discovered, clusters }: { readonly profiles: number; readonly discovered: number; readonly clusters: number | null }) {
  const controller = useWorkbench();
  const current = clusters ?? discovered;
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);
  if (profiles < 2) return null;
  const commit = () => {
    if (value !== current) void controller.edit({ kind: 'group', op: { op: 'cut', clusters: value } });
  };
  return (
    <label className="cut-slider">
      Cut: {value} clusters{' '}
      <input
        type="range"
        min={1}
        max={profiles}
        value={value}
        aria-valuetext={`${value} clusters of ${profiles} host profiles (discovery chose ${discovered}); Enter applies`}
        onChange={(event) => setValue(Number(event.target.value))}
        onPointerUp={commit}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
    </label>
  );
}
