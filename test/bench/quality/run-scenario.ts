// One scenario in its own process (each gets a fresh duckdb-wasm and its
// memory back when done): build it from its generator and parameters, run
// the engine, write the scored result as JSON to the file named last.
//   tsx run-scenario.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> [<listUnlabelled 0|1>] <out.json>
import { writeFile } from 'node:fs/promises';
import { runScenario } from './runner';
import { SCENARIO_ARGS, scenarioFromArgs } from './scenario-args';

const args = process.argv.slice(2);
const listUnlabelled = args.length === 7 ? args[5] : '0';
const out = args.length >= 6 ? args[args.length - 1] : undefined;
if (out === undefined) {
  console.error(`usage: run-scenario.ts ${SCENARIO_ARGS} [<listUnlabelled 0|1>] <out.json>`);
  process.exit(2);
}
const { generator, scenario, buildSeconds } = await scenarioFromArgs(args, listUnlabelled);
const result = await runScenario(generator, scenario);
await writeFile(out, JSON.stringify({ ...result, buildSeconds }));
process.exit(0);
