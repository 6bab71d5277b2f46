// npm run bench:whatif — what-if regrouping on 5,000 hosts and 50,000 edges:
// a seeded mix of operations (move, merge, split, rename, pin, cut) applied
// one by one, each followed by the incremental update of rules, replay and
// exposure. Prints the time per operation (p50, p95, max) overall and per kind.
// A cut moves like the analyst's slider, up to 10 clusters per step; ten
// jumps far across the tree (nearly every host regrouped) are timed apart.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Dendrogram } from '../../src/core/discover/dendrogram';
import { DEFAULT_POLICY_SETTINGS } from '../../src/core/policy/policy-model';
import type { GroupingOp } from '../../src/core/policy/whatif/grouping-ops';
import { membersOf } from '../../src/core/policy/whatif/grouping-state';
import { WhatIfSession } from '../../src/core/policy/whatif/whatif-session';
import { Random } from '../../src/core/util/random';
import { whatIfScale } from '../../src/core/synth/whatif-scale';

const HOSTS = 5_000;
const EDGES = 50_000;
const OPERATIONS = 600;

const setupStarted = performance.now();
const scale = whatIfScale(HOSTS, EDGES);
const dendrogram = new Dendrogram({
  hosts: [...scale.assignment.keys()].map((ip) => ({ ip, sortKey: scale.hosts.get(ip)!.sortKey, labels: scale.hosts.get(ip)!.labels })),
  edges: scale.edges.filter((edge) => edge.action !== 2),
});
const session = new WhatIfSession({
  edges: scale.edges,
  flagged: new Set(),
  hosts: scale.hosts,
  logons: [],
  settings: DEFAULT_POLICY_SETTINGS,
  grouping: { groups: scale.groups, assignment: scale.assignment },
  dendrogram,
});
const setupMs = performance.now() - setupStarted;

const random = new Random(3);
const kinds = ['move', 'move', 'move', 'merge', 'split', 'rename', 'pin', 'undo', 'redo', 'cut'] as const;
const times = new Map<string, number[]>();
let clusters = 100;
const record = (kind: string, ms: number): void => {
  const list = times.get(kind) ?? [];
  list.push(ms);
  times.set(kind, list);
};
for (let k = 0; k < OPERATIONS; k++) {
  const kind = kinds[k % kinds.length]!;
  const members = membersOf(session.state);
  const groups = [...members.keys()].sort();
  const hosts = [...session.state.assignment.keys()];
  let op: GroupingOp | 'undo' | 'redo';
  if (kind === 'move') op = { op: 'move', ip: random.pick(hosts), to: random.pick(groups) };
  else if (kind === 'merge') {
    const from = random.pick(groups);
    op = { op: 'merge', from, into: random.pick(groups.filter((group) => group !== from)) };
  } else if (kind === 'split') {
    const group = random.pick(groups.filter((id) => members.get(id)!.length > 1));
    const list = members.get(group)!;
    op = { op: 'split', group, hosts: list.filter((_, index) => index % 2 === 0) };
  } else if (kind === 'rename') op = { op: 'rename', group: random.pick(groups), name: `renamed ${k}` };
  else if (kind === 'pin') op = { op: 'pin', ip: random.pick(hosts), pinned: true };
  else if (kind === 'cut') {
    clusters = Math.min(140, Math.max(60, clusters + random.pick([-1, 1]) * random.int(1, 10)));
    op = { op: 'cut', clusters };
  }
  else op = kind;
  const started = performance.now();
  if (op === 'undo') session.undo();
  else if (op === 'redo') session.redo();
  else session.apply(op);
  record(kind, performance.now() - started);
}

// A jump far across the tree regroups nearly every host: timed on its own, and counted in "all".
for (let k = 0; k < 10; k++) {
  const started = performance.now();
  session.apply({ op: 'cut', clusters: k % 2 === 0 ? 40 : 160 });
  record('cut jump (40 ↔ 160 clusters)', performance.now() - started);
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
const all = [...times.values()].flat();
const ms = (value: number): string => `${value.toFixed(1)} ms`;
console.log(`cores: ${availableParallelism()}, node ${process.version}; ${HOSTS.toLocaleString('en')} hosts, ${scale.edges.length.toLocaleString('en')} edges, ${scale.groups.length} groups; setup ${ms(setupMs)} (dendrogram and first rules)`);
console.log(`final state: ${new Set(session.state.assignment.values()).size} groups, ${session.rules.length} rules, coverage ${(session.simulation.coverage * 100).toFixed(2)}%`);
console.log('');
console.log('| operation | count | p50 | p95 | max |');
console.log('|---|---|---|---|---|');
for (const [kind, values] of [...times.entries(), ['all', all] as const]) {
  console.log(`| ${kind} | ${values.length} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.95))} | ${ms(Math.max(...values))} |`);
}
const p95 = quantile(all, 0.95);
console.log('');
console.log(`${p95 <= 100 ? 'met    ' : 'MISSED '} p95 ≤ 100 ms per operation (${ms(p95)})`);
