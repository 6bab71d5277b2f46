import { lapsedCertifications } from '../core/attest/decisions';
import { computeDrift } from '../core/policy/drift';
import { escapedCsv, newHostsCsv, unusedRulesCsv } from '../core/report/policy-csv';
import { inputSummary } from '../core/report/summary';
import type { CommandIo } from './analyze-command';
import { EXIT } from './exit-codes';
import { checkOutFolder, writeOutputs } from './out-folder';
import { terminalText } from './terminal-text';
import { DRIFT_USAGE, parsePolicyCommandArgs } from './policy-args';
import { replayFlows } from './replay-flows';
import { formatCount, formatShare } from './number-format';

/** flowfence drift: a policy against newer traffic; exit 3 when anything drifted. */
export async function driftCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parsePolicyCommandArgs(argv);
  if (args === 'help') {
    io.stdout.write(`${DRIFT_USAGE}\n`);
    return EXIT.ok;
  }
  await checkOutFolder(args.out);
  const replay = await replayFlows(args, io);
  for (const warning of replay.policyWarnings) io.stderr.write(`flowfence: warning: ${terminalText(warning)}\n`);
  const drift = computeDrift(replay.policy, replay.edges, replay.hosts);
  // Certifications lapse in real time, not in the flows' time: a pipeline running drift daily must see today's.
  const checkedAt = new Date().toISOString();
  const lapsed = lapsedCertifications(replay.policy, checkedAt);
  const drifted = drift.blocked.length > 0 || drift.unusedRules.length > 0 || drift.newHosts.length > 0 || lapsed.length > 0;
  const exit = replay.unusable ? EXIT.unusableInput : drifted ? EXIT.wouldBlock : EXIT.ok;
  await writeOutputs(
    args.out,
    [
      ['drift-blocked.csv', escapedCsv(drift.blocked)],
      ['drift-unused-rules.csv', unusedRulesCsv(drift.unusedRules)],
      ['drift-new-hosts.csv', newHostsCsv(drift.newHosts)],
    ],
    replay.flowsAccepted,
    io,
  );
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ policy: { path: args.policy, contentSha256: replay.policy.contentSha256, migratedFrom: replay.migratedFrom }, inputs: replay.loaded.reports.map(inputSummary), ...drift, certifications: { checkedAt, lapsed } }, null, 2)}\n`);
  } else {
    const placed = drift.newHosts.filter((host) => host.group !== null).length;
    const lines = [
      `Policy ${args.policy} (${replay.policy.rules.length} rules) against ${replay.loaded.reports.length} file(s): coverage ${formatShare(drift.simulation.coverage)}`,
      `  ${drift.blocked.length} edge(s) the policy would block (${formatCount(drift.simulation.escaped)} flows)`,
      ...drift.blocked.slice(0, 10).map((edge) => `    ${edge.client} → ${edge.server} ${edge.proto}${edge.port === null ? '' : `/${edge.port}`}: ${edge.reason}`),
      `  ${drift.unusedRules.length} rule(s) with no traffic in this window (removal candidates)`,
      ...drift.unusedRules.slice(0, 10).map((rule) => `    ${rule.id} (last seen ${rule.lastSeen ?? 'never'})`),
      `  ${drift.newHosts.length} new host(s): ${placed} placed, ${drift.newHosts.length - placed} unassigned`,
      ...drift.newHosts.slice(0, 10).map((host) => `    ${host.ip} → ${host.group ?? 'unassigned'}: ${host.reason}`),
      lapsed.length === 0 ? '' : `  ${lapsed.length} certification(s) lapsed: the owner must decide again (flowfence attest)`,
      ...lapsed.slice(0, 10).map((entry) => `    ${entry.rule}: certified by ${entry.by} until ${entry.expired}`),
      exit === EXIT.unusableInput ? 'Unusable input: a file could not be read or no flow was accepted.' : '',
    ];
    io.stdout.write(`${lines.filter((text) => text.length > 0).map(terminalText).join('\n')}\n`);
  }
  return exit;
}
