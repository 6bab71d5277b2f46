// The profiles discovery clusters, for the hosts of one harness scenario
// whose true group or address matches a pattern (profile-report.ts).
//   npx tsx test/bench/quality/profile-inspect.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> <pattern> [--distances-only]
// e.g. `ot-plant 3 0 0 0 'line2\|hmi|line3\|hmi'`: two lines' operator stations, feature by feature.
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';
import { profileReport } from './profile-report';
import { withAnalyzedScenario } from './runner';
import { SCENARIO_ARGS, scenarioFromArgs } from './scenario-args';

const args = process.argv.slice(2).filter((arg) => arg !== '--distances-only');
if (args.length < 6) {
  console.error(`usage: profile-inspect.ts ${SCENARIO_ARGS} <pattern: a regular expression over "truth-group address"> [--distances-only]`);
  process.exit(2);
}
const pattern = new RegExp(args[5]!);
const { scenario } = await scenarioFromArgs(args.slice(0, 5));
await withAnalyzedScenario(scenario, (analysis) => {
  const features = discoveryFeatures(analysis.discoveryInput);
  const hosts = features.hosts
    .map((host) => ({ ip: host.ip, truth: scenario.truth.groupOfHost.get(host.ip) ?? '-' }))
    .filter((host) => pattern.test(`${host.truth} ${host.ip}`));
  for (const line of profileReport(features, new ProfileDistances(features), hosts, !process.argv.includes('--distances-only'))) console.log(line);
});
process.exit(0);
