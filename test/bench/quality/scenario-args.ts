// The command line that names one harness scenario, shared by the developer
// scripts (run-scenario.ts, scenario-folder.ts, stage-trace.ts):
//   <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> [<listUnlabelled 0|1>]
import { allGenerators } from './generators';
import type { Scenario } from './scenario';

export const SCENARIO_ARGS = '<generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1>';

/** Builds the scenario the arguments name; on a generator name that does not exist, says which do and exits 2. */
export async function scenarioFromArgs(args: readonly string[], listUnlabelled = '0'): Promise<{ generator: string; scenario: Scenario; buildSeconds: number }> {
  const [name, seed, coverage, wrong, oneWay] = args;
  const { generators } = await allGenerators();
  const generator = generators.find((candidate) => candidate.name === name);
  if (generator === undefined) {
    console.error(`no generator named ${name}; there are: ${generators.map((candidate) => candidate.name).join(', ')}`);
    process.exit(2);
  }
  const started = Date.now();
  const scenario = generator.build({ seed: Number(seed), labelCoverage: Number(coverage), wrongLabelRate: Number(wrong), oneWay: oneWay === '1', listUnlabelled: listUnlabelled === '1' });
  return { generator: generator.name, scenario, buildSeconds: (Date.now() - started) / 1000 };
}
