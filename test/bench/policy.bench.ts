// npm run bench:policy — the generated policy on the synthetic enterprise
// (the ingest benchmark's 30 days, ≈ 6 million records) against its ground
// truth: learn groups and rules on the first 20 days, replay the last 10.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './ingest-dataset';

interface Run {
  records: number; trainDays: number; replayDays: number; groups: number; rules: number; jitRules: number; liftedRules: number; rangeRules: number; windowRules: number;
  truthGroupPairs: number; policyGroupPairs: number; legitReplayed: number; legitEscaped: number; legitJit: number; attackEdges: number; attackBlocked: number;
  holdout: { newServices: number; newServiceEdges: number };
  flatPairs: number; policyPairs: number; idealPairs: number; reduction: number; adminPaths: number;
  timingsMs: Record<string, number>; maxRssMb: number;
}

// Builds (or refreshes) the CLI bundle, whose parse worker the run uses.
execFileSync(process.execPath, [join(ROOT, 'src', 'cli', 'flowfence.mjs'), '--help'], { cwd: ROOT, stdio: 'ignore' });
const output = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'bench', 'policy-enterprise.ts')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
const run = JSON.parse(output.trim().split('\n').pop()!) as Run;
const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;
const n = (value: number): string => value.toLocaleString('en');
const escapedShare = run.legitReplayed === 0 ? 0 : run.legitEscaped / run.legitReplayed;
const overPermission = run.idealPairs === 0 ? 0 : run.policyPairs / run.idealPairs - 1;
const ruleRatio = run.rules / run.truthGroupPairs;

console.log(`cores: ${availableParallelism()}, node ${process.version}; ${n(run.records)} records, learn ${run.trainDays} days, replay ${run.replayDays} days`);
console.log('');
console.log('| measure | value | target |');
console.log('|---|---|---|');
console.log(`| legitimate edges escaped in the replay (services seen in training) | ${n(run.legitEscaped)} of ${n(run.legitReplayed)} (${pct(escapedShare)}) | ≤ 0.5% |`);
console.log(`| legitimate edges waiting on a just-in-time rule (closed by design) | ${n(run.legitJit)} | reported |`);
console.log(`| genuinely new services after day ${run.trainDays} (drift, not counted above) | ${n(run.holdout.newServices)} services, ${n(run.holdout.newServiceEdges)} edges | reported |`);
console.log(`| planted attack edges in the replay the policy blocks | ${n(run.attackBlocked)} of ${n(run.attackEdges)} | reported |`);
console.log(`| internal host pairs allowed: policy / ideal group-level policy | ${n(run.policyPairs)} / ${n(run.idealPairs)} (${overPermission >= 0 ? '+' : ''}${pct(overPermission)}) | ≤ +10% |`);
console.log(`| reduction against the flat network (${n(run.flatPairs)} pairs) | ${pct(run.reduction)} | reported |`);
console.log(`| host pairs reachable through admin services | ${n(run.adminPaths)} | reported |`);
console.log(`| rules / communicating ground-truth group pairs | ${n(run.rules)} / ${n(run.truthGroupPairs)} (${ruleRatio.toFixed(2)}×) | ≤ 3× |`);
console.log(`| rules: lifted, port ranges, just-in-time, time windows | ${run.liftedRules}, ${run.rangeRules}, ${run.jitRules}, ${run.windowRules} | |`);
console.log(`| discovered groups; group pairs with a rule | ${run.groups}; ${run.policyGroupPairs} | |`);
console.log('');
const t = run.timingsMs;
console.log(`analyze with hold-out: ${(t.analyze! / 1000).toFixed(1)} s (ingest ${(t.ingest! / 1000).toFixed(1)} s, edges ${(t.edges! / 1000).toFixed(1)} s, discover ${(t.discover! / 1000).toFixed(1)} s, policy ${(t.policy! / 1000).toFixed(1)} s), peak ${Math.round(run.maxRssMb)} MB`);
const checks = [
  ['≤ 0.5% of legitimate edges escaped', escapedShare <= 0.005],
  ['≤ 10% over-permission against the ideal group-level policy', overPermission <= 0.1],
  ['rule count ≤ 3× communicating group pairs', ruleRatio <= 3],
] as const;
for (const [target, met] of checks) console.log(`${met ? 'met    ' : 'MISSED '} ${target}`);
