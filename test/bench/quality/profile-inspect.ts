// The profiles discovery clusters, for the hosts of one harness scenario
// whose true group or address matches a pattern (profile-report.ts).
//   npx tsx test/bench/quality/profile-inspect.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> <pattern> [--distances-only | --replica-rounds]
// e.g. `ot-plant 3 0 0 0 'line2\|hmi|line3\|hmi'`: two lines' operator stations, feature by feature.
// With --replica-rounds, instead: each round of replica sets (replica-sets.ts), the hosts' sets and the
// distances a merge there must pass (plain, and from the second round on with the spread of calls).
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';
import { profileReport, replicaRoundReport } from './profile-report';
import { withAnalyzedScenario } from './runner';
import { SCENARIO_ARGS, scenarioFromArgs } from './scenario-args';

const flags = ['--distances-only', '--replica-rounds'];
const args = process.argv.slice(2).filter((arg) => !flags.includes(arg));
if (args.length < 6) {
  console.error(`usage: profile-inspect.ts ${SCENARIO_ARGS} <pattern: a regular expression over "truth-group address"> [--distances-only | --replica-rounds]`);
  process.exit(2);
}
const pattern = new RegExp(args[5]!);
const { scenario } = await scenarioFromArgs(args.slice(0, 5));
await withAnalyzedScenario(scenario, (analysis) => {
  const matching = (ips: readonly string[]) =>
    ips.map((ip) => ({ ip, truth: scenario.truth.groupOfHost.get(ip) ?? '-' })).filter((host) => pattern.test(`${host.truth} ${host.ip}`));
  if (process.argv.includes('--replica-rounds')) {
    discoveryFeatures(analysis.discoveryInput, { onReplicaRound: (round) => replicaRoundReport(round, matching(round.plain.hosts.map((host) => host.ip))).forEach((line) => console.log(line)) });
    return;
  }
  const features = discoveryFeatures(analysis.discoveryInput);
  const hosts = matching(features.hosts.map((host) => host.ip));
  for (const line of profileReport(features, new ProfileDistances(features), hosts, !process.argv.includes('--distances-only'))) console.log(line);
});
process.exit(0);
