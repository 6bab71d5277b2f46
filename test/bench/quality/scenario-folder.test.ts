import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { otPlant } from './generators/ot-plant/index';
import { writeScenarioFolder } from './scenario-folder';

describe('a harness scenario written out for the CLI', async () => {
  const scenario = otPlant.build({ seed: 1, labelCoverage: 0.5, wrongLabelRate: 0, oneWay: false, listUnlabelled: false });
  const folder = await mkdtemp(join(tmpdir(), 'flowfence-scenario-'));
  afterAll(() => rm(folder, { recursive: true, force: true }));
  const args = await writeScenarioFolder(scenario, folder);

  it('lists every flow export and inventory with the bytes the harness would analyse', async () => {
    const flows = args.filter((arg, index) => arg.startsWith(folder) && args[index - 1]?.startsWith('--') !== true);
    expect(flows).toHaveLength(scenario.flows.length);
    for (const [index, path] of flows.entries()) expect(await readFile(path, 'utf8')).toBe(scenario.flows[index]!.content);
    const inventories = args.flatMap((arg, index) => (args[index - 1] === '--inventory' ? [arg] : []));
    expect(inventories).toHaveLength(scenario.inventories.length);
    expect(scenario.inventories.length).toBeGreaterThan(0);
    expect(await readFile(inventories[0]!, 'utf8')).toBe(scenario.inventories[0]!.content);
  });

  it('carries the train/test split and the output folder, as args.txt says', async () => {
    expect(args[args.indexOf('--train-until') + 1]).toBe(new Date(scenario.trainUntilMs).toISOString());
    expect(args[args.indexOf('--out') + 1]).toBe(join(folder, 'out'));
    expect((await readFile(join(folder, 'args.txt'), 'utf8')).trim().split(' ')).toEqual(args);
  });

  it('writes the truth it is scored on', async () => {
    const truth = JSON.parse(await readFile(join(folder, 'truth.json'), 'utf8')) as { id: string; groupOfHost: Record<string, string>; servers: string[] };
    expect(truth.id).toBe(scenario.id);
    expect(Object.keys(truth.groupOfHost)).toHaveLength(scenario.truth.groupOfHost.size);
    expect(new Set(truth.servers)).toEqual(scenario.truth.servers);
  });

  it("writes a file whose own name holds white space under that name with '_', so args.txt stays whole", async () => {
    const spaced = { ...scenario, inventories: [{ name: 'netbox_virtual machines.csv', content: 'IP Address,Name\n10.0.0.1,a\n' }] };
    const args = await writeScenarioFolder(spaced, join(folder, 'spaced'));
    const inventory = args[args.indexOf('--inventory') + 1]!;
    expect(inventory).toBe(join(folder, 'spaced', 'inventory-0-netbox_virtual_machines.csv'));
    expect(await readFile(inventory, 'utf8')).toBe('IP Address,Name\n10.0.0.1,a\n');
  });

  it('refuses a folder whose path would split apart in the shell', async () => {
    await expect(writeScenarioFolder(scenario, join(folder, 'with space'))).rejects.toThrow(/white space/);
    await expect(stat(join(folder, 'with space'))).rejects.toThrow();
  });
});
