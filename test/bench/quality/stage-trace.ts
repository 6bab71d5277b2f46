// One harness scenario through the engine, then discovery again on the same
// input with every stage's groups reported against the scenario's truth
// (stage-report.ts): which stage split a true group or mixed two.
// Discovery is deterministic, so the second run is the first one traced.
//   npx tsx test/bench/quality/stage-trace.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> [<listUnlabelled 0|1>]
import { discoverGroups } from '../../../src/core/discover/discover-groups';
import { withAnalyzedScenario } from './runner';
import { SCENARIO_ARGS, scenarioFromArgs } from './scenario-args';
import { stageReport, type StageGroups } from './stage-report';

const args = process.argv.slice(2);
if (args.length < 5) {
  console.error(`usage: stage-trace.ts ${SCENARIO_ARGS} [<listUnlabelled 0|1>]`);
  process.exit(2);
}
const { scenario } = await scenarioFromArgs(args, args[5]);
await withAnalyzedScenario(scenario, (analysis) => {
  const stages: StageGroups[] = [];
  const traced = discoverGroups(analysis.discoveryInput, { onStage: (stage, groups) => stages.push({ stage, groups }) });
  const membership = (discovery: typeof traced): string => JSON.stringify(discovery.assignments.map((assignment) => [assignment.ip, assignment.groupId]));
  if (membership(traced) !== membership(analysis.discovery)) throw new Error('the traced discovery differs from the analysis: discovery is no longer deterministic');
  console.log(`${scenario.id}: cut at ${analysis.discovery.cut.height.toFixed(3)}, ${analysis.discovery.cut.clusters} clusters, silhouette ${analysis.discovery.cut.silhouette.toFixed(4)}`);
  for (const line of stageReport(stages, (ip) => scenario.truth.groupOfHost.get(ip))) console.log(line);
});
process.exit(0);
