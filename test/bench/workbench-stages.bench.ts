// npm run bench:workbench-stages — what stages add to a workbench step on
// 2,000 hosts and 20,000 edges (the what-if benchmark's synthetic network):
// a rename (the cheapest edit) followed by the view the page receives,
// timed with every group enforced and again with a quarter of the groups
// observed, one of them selective; and the promotion gate (the Promotion
// view asks for it after each step while it is open). Prints medians and
// their ratios (one run, one machine: compare the ratios, not the ms).
import { performance } from 'node:perf_hooks';
import { DEFAULT_POLICY_SETTINGS } from '../../src/core/policy/policy-model';
import { membersOf } from '../../src/core/policy/whatif/grouping-state';
import { whatIfScale } from '../../src/core/synth/whatif-scale';
import { Workbench } from '../../src/core/workbench/workbench';

const HOSTS = 2_000;
const EDGES = 20_000;
const STEPS = 15;
const AT = '2026-12-04T10:00:00.000Z';

const scale = whatIfScale(HOSTS, EDGES);
const members = new Map<string, string[]>();
for (const [ip, group] of scale.assignment) members.set(group, [...(members.get(group) ?? []), ip]);
const bench = new Workbench({
  policy: {
    edges: scale.edges,
    replay: scale.edges,
    flagged: new Set(),
    hosts: scale.hosts,
    logons: [],
    groups: scale.groups.map((group) => ({ ...group, members: members.get(group.id) ?? [], match: null })),
    assignment: scale.assignment,
    parts: { settings: DEFAULT_POLICY_SETTINGS, analysis: null, inputs: [], window: { from: null, to: null }, hosts: scale.hosts, pods: [] },
  },
  discoveryInput: { hosts: [], edges: [] },
  assignments: [],
  anomalies: [],
});

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function stepTimes(): number[] {
  const times: number[] = [];
  const group = [...membersOf(bench.state.grouping).keys()][2]!;
  for (let k = 0; k < STEPS; k++) {
    const started = performance.now();
    bench.edit({ kind: 'group', op: { op: 'rename', group, name: `renamed ${k}` } });
    bench.view();
    times.push(performance.now() - started);
  }
  return times;
}

const enforced = median(stepTimes());
const groups = [...membersOf(bench.state.grouping).keys()].sort();
const staged = groups.filter((_, index) => index % 4 === 0);
for (const group of staged) bench.edit({ kind: 'stage', request: { group, stage: 'observe', by: 'bench', why: 'timing' }, at: AT });
const served = bench.view().policy.rules.find((rule) => rule.to === staged[0])?.service;
if (served !== undefined) bench.edit({ kind: 'stage', request: { group: staged[0]!, stage: 'selective', services: [served], by: 'bench', why: 'timing' }, at: AT });
const withStages = median(stepTimes());
const gate: number[] = [];
for (let k = 0; k < STEPS; k++) {
  const started = performance.now();
  bench.promotion();
  gate.push(performance.now() - started);
}
const gateMs = median(gate);
const view = bench.view();

console.log(`hosts ${HOSTS}, edges ${EDGES}, groups ${groups.length}, staged ${staged.length}, steps ${STEPS} each`);
console.log(`rename + view, every group enforced: median ${enforced.toFixed(1)} ms`);
console.log(`rename + view, ${staged.length} groups staged: median ${withStages.toFixed(1)} ms (${(withStages / enforced).toFixed(2)}× enforced)`);
console.log(`promotion gate (Workbench.promotion): median ${gateMs.toFixed(1)} ms (${(gateMs / withStages).toFixed(2)}× a staged step)`);
console.log(`under the stages: ${view.stages.logged.edges} edges logged, ${view.stages.blocked.edges} blocked; ${bench.promotion().rows.length} groups to promote`);
