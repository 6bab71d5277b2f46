// One discovery run at a given scale, in its own process so that its peak
// memory is its own: prints one JSON line. Used by discovery.bench.ts.
import { discoverGroups } from '../../src/core/discover/discover-groups';
import { scaledDiscoveryInput } from '../../src/core/synth/profile-scale';

const hosts = Number(process.argv[2]);
const input = scaledDiscoveryInput(hosts, 7);
const stages: Record<string, number> = {};
let stage = 'profiles';
let stageStarted = performance.now();
const started = stageStarted;
// CPU time too: on a shared machine it drifts less than the wall clock.
const cpuStarted = process.cpuUsage();
const discovery = discoverGroups(input, {
  onProgress: (_fraction, detail) => {
    if (detail === stage) return;
    stages[stage] = performance.now() - stageStarted;
    stage = detail;
    stageStarted = performance.now();
  },
});
stages[stage] = performance.now() - stageStarted;
const cpu = process.cpuUsage(cpuStarted);
console.log(
  JSON.stringify({ hosts, profiles: discovery.profiles, groups: discovery.groups.length, ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, stages, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
);
