// One scenario in its own process (each gets a fresh duckdb-wasm and its
// memory back when done): build it from its generator and parameters, run
// the engine, write the scored result as JSON to the file named last.
//   tsx run-scenario.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> [<listUnlabelled 0|1>] <out.json>
import { writeFile } from 'node:fs/promises';
import { allGenerators } from './generators';
import { runScenario } from './runner';

const args = process.argv.slice(2);
const [name, seed, coverage, wrong, oneWay] = args;
const listUnlabelled = args.length === 7 ? args[5] : '0';
const out = args.length >= 6 ? args[args.length - 1] : undefined;
if (out === undefined) {
  console.error('usage: run-scenario.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> [<listUnlabelled 0|1>] <out.json>');
  process.exit(2);
}
const { generators } = await allGenerators();
const generator = generators.find((candidate) => candidate.name === name);
if (generator === undefined) {
  console.error(`no generator named ${name}`);
  process.exit(2);
}
const buildStarted = Date.now();
const scenario = generator.build({ seed: Number(seed), labelCoverage: Number(coverage), wrongLabelRate: Number(wrong), oneWay: oneWay === '1', listUnlabelled: listUnlabelled === '1' });
const buildSeconds = (Date.now() - buildStarted) / 1000;
const result = await runScenario(generator.name, scenario);
await writeFile(out, JSON.stringify({ ...result, buildSeconds }));
process.exit(0);
