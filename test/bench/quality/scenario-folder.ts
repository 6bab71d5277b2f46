// One harness scenario as files on disk, to run the CLI on it by hand and
// read its groups, reasons and rules (the harness itself keeps only the
// scores). Writes the scenario's flow exports, inventories, pod lists and
// logons, `args.txt` (the arguments of `flowfence analyze`, with the
// scenario's internal ranges and its train/test split) and `truth.json`
// (each host's true group and the servers the ARI is scored on).
//   npx tsx test/bench/quality/scenario-folder.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> <folder> [<listUnlabelled 0|1>]
//   node src/cli/flowfence.mjs analyze $(cat <folder>/args.txt)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Scenario, ScenarioFile } from './scenario';
import { writeScenarioFiles } from './scenario-files';

/** Writes `scenario` into `folder` (created); returns the analyze arguments, as written to args.txt. */
export async function writeScenarioFolder(scenario: Scenario, folder: string): Promise<string[]> {
  // args.txt is read by the shell's word splitting: a path with white space in it would come apart. Checked before anything is
  // written. A file's own name may hold some (NetBox downloads "netbox_virtual machines.csv"): it is written with '_' there.
  if (/\s/.test(folder)) throw new Error(`${folder}: a path with white space cannot go into args.txt; choose another folder`);
  await mkdir(folder, { recursive: true });
  const args: string[] = [];
  const put = async (kind: string, files: readonly ScenarioFile[], flag: string | null): Promise<void> => {
    const named = files.map((file) => ({ ...file, name: file.name.replace(/\s+/g, '_') }));
    for (const path of await writeScenarioFiles(folder, kind, named)) args.push(...(flag === null ? [path] : [flag, path]));
  };
  await put('flows', scenario.flows, null);
  await put('inventory', scenario.inventories, '--inventory');
  await put('pods', scenario.pods, '--pods');
  await put('logons', scenario.logons, '--logons');
  for (const cidr of scenario.internalCidrs) args.push('--internal', cidr);
  args.push('--train-until', new Date(scenario.trainUntilMs).toISOString(), '--out', join(folder, 'out'));
  await writeFile(join(folder, 'args.txt'), `${args.join(' ')}\n`);
  const truth = { id: scenario.id, groupOfHost: Object.fromEntries([...scenario.truth.groupOfHost].sort()), servers: [...scenario.truth.servers].sort() };
  await writeFile(join(folder, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return args;
}

async function main(argv: readonly string[]): Promise<void> {
  const [, , , , , folder, listUnlabelled] = argv;
  if (folder === undefined) {
    console.error('usage: scenario-folder.ts <generator> <seed> <labelCoverage> <wrongLabelRate> <oneWay 0|1> <folder> [<listUnlabelled 0|1>]');
    process.exit(2);
  }
  const { scenarioFromArgs } = await import('./scenario-args');
  const { scenario } = await scenarioFromArgs(argv, listUnlabelled);
  await writeScenarioFolder(scenario, folder);
  console.log(`${scenario.id} written to ${folder}; run: node src/cli/flowfence.mjs analyze $(cat ${join(folder, 'args.txt')})`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
