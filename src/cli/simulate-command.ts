import { escapedCsv } from '../core/report/policy-csv';
import { inputSummary } from '../core/report/summary';
import { countVerdicts, escapedEdges, PolicyEvaluator, simulate } from '../core/policy/simulate';
import type { CommandIo } from './analyze-command';
import { EXIT } from './exit-codes';
import { checkOutFolder, writeOutputs } from './out-folder';
import { terminalText } from './terminal-text';
import { SIMULATE_USAGE, parsePolicyCommandArgs } from './policy-args';
import { replayFlows } from './replay-flows';
import { formatCount, formatShare } from './number-format';

/** flowfence simulate: replay flows against a policy; exit 3 when some observed flow would be blocked. */
export async function simulateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parsePolicyCommandArgs(argv);
  if (args === 'help') {
    io.stdout.write(`${SIMULATE_USAGE}\n`);
    return EXIT.ok;
  }
  await checkOutFolder(args.out);
  const replay = await replayFlows(args, io);
  for (const warning of replay.policyWarnings) io.stderr.write(`flowfence: warning: ${terminalText(warning)}\n`);
  const verdicts = simulate(PolicyEvaluator.of(replay.policy), replay.edges, replay.hosts);
  const simulation = countVerdicts(verdicts);
  const escaped = escapedEdges(verdicts, replay.hosts);
  const exit = replay.unusable ? EXIT.unusableInput : simulation.escaped > 0 ? EXIT.wouldBlock : EXIT.ok;
  await writeOutputs(args.out, [['escaped.csv', escapedCsv(escaped)]], replay.flowsAccepted, io);
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ policy: { path: args.policy, contentSha256: replay.policy.contentSha256, migratedFrom: replay.migratedFrom }, inputs: replay.loaded.reports.map(inputSummary), simulation, escaped }, null, 2)}\n`);
  } else {
    const lines = [
      `Policy ${args.policy} (${replay.policy.rules.length} rules) against ${replay.loaded.reports.length} file(s):`,
      `  permitted ${formatCount(simulation.permitted)} flows, escaped ${formatCount(simulation.escaped)}, rejected today ${formatCount(simulation.rejected)}; coverage ${formatShare(simulation.coverage)}`,
      ...escaped.slice(0, 20).map((edge) => `  blocked: ${edge.client} → ${edge.server} ${edge.proto}${edge.port === null ? '' : `/${edge.port}`} (${formatCount(edge.flows)} flows): ${edge.reason}`),
      escaped.length > 20 ? `  … and ${escaped.length - 20} more escaped edges${args.out === undefined ? ' (--out DIR writes them all)' : ''}` : '',
      exit === EXIT.unusableInput ? 'Unusable input: a file could not be read or no flow was accepted.' : '',
    ];
    io.stdout.write(`${lines.filter((text) => text.length > 0).map(terminalText).join('\n')}\n`);
  }
  return exit;
}
