// npm run bench:layout — the map's layout (src/renderer/model/map-layout.ts)
// on its own: 500 nodes (the most the map draws) and 5,000 (ten times more,
// to show how it grows), with every tenth group expanded to a taller node.
// Prints p50, p95 and max over repeated runs. It runs on the page's main
// thread, so this is the figure that says whether it needs a worker.
import { performance } from 'node:perf_hooks';
import type { MapColumn, MapNode } from '../../src/renderer/model/group-map';
import { LAYOUT, layoutMap } from '../../src/renderer/model/map-layout';
import { Random } from '../../src/core/util/random';

const COLUMNS: readonly MapColumn[] = ['clients', 'web', 'app', 'data', 'external', 'infrastructure', 'all-internal'];
const RUNS = 200;

function nodes(count: number, random: Random): MapNode[] {
  return Array.from({ length: count }, (_, index) => {
    const column = COLUMNS[Math.min(COLUMNS.length - 1, Math.floor(random.next() * (COLUMNS.length - 0.5)))]!;
    return {
      id: `g${index}`,
      name: `group ${Math.floor(random.next() * 1e6)}`,
      kind: column === 'infrastructure' ? 'infrastructure' : column === 'external' ? 'external' : column === 'clients' ? 'clients' : 'application',
      column,
      hosts: 1 + Math.floor(random.next() * 40),
      environment: random.next() < 0.5 ? 'prod' : random.next() < 0.5 ? 'dev' : null,
      anomalies: 0,
    };
  });
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

for (const count of [500, 5_000]) {
  const list = nodes(count, new Random(count));
  const heights = new Map(list.filter((_, index) => index % 10 === 0).map((node) => [node.id, LAYOUT.nodeHeight + 24 * node.hosts]));
  const heightOf = (id: string) => heights.get(id) ?? LAYOUT.nodeHeight;
  for (let warm = 0; warm < 20; warm++) layoutMap(list, heightOf);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const positions = layoutMap(list, heightOf);
    times.push(performance.now() - started);
    if (positions.size !== count) throw new Error(`laid out ${positions.size} of ${count} nodes`);
  }
  times.sort((a, b) => a - b);
  console.log(`layout of ${count} nodes: p50 ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms (${RUNS} runs)`);
}
