// Discovery of one harness scenario at every dendrogram cut in a range,
// with each cut's silhouette and the ARI over servers of the groups it ends
// in (cut-sweep-report.ts).
//   npx tsx test/bench/quality/cut-sweep.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> <fromClusters> <toClusters>
import { cutRowText, sweepCuts } from './cut-sweep-report';
import { adjustedRandIndex } from './metrics';
import { withAnalyzedScenario } from './runner';
import { SCENARIO_ARGS, scenarioFromArgs } from './scenario-args';

const args = process.argv.slice(2);
if (args.length < 7) {
  console.error(`usage: cut-sweep.ts ${SCENARIO_ARGS} <fromClusters> <toClusters>`);
  process.exit(2);
}
const { scenario } = await scenarioFromArgs(args.slice(0, 5));
await withAnalyzedScenario(scenario, (analysis) => {
  const servers = [...scenario.truth.servers].sort();
  const truth = servers.map((ip) => scenario.truth.groupOfHost.get(ip) ?? `none:${ip}`);
  const ari = (groupOf: ReadonlyMap<string, string>): number => adjustedRandIndex(servers.map((ip) => groupOf.get(ip) ?? `unassigned:${ip}`), truth);
  console.log(`${scenario.id}: score = ARI over servers`);
  for (const row of sweepCuts(analysis.discoveryInput, ari, Number(args[5]), Number(args[6]))) console.log(cutRowText(row));
});
process.exit(0);
