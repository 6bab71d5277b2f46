import { escapedCsv } from '../core/report/policy-csv';
import { inputSummary } from '../core/report/summary';
import { countVerdicts, escapedEdges, PolicyEvaluator, simulate } from '../core/policy/simulate';
import type { CommandIo } from './analyze-command';
import { EXIT } from './exit-codes';
import { checkOutFolder, writeOutputs } from './out-folder';
import { terminalText } from './terminal-text';
import { SIMULATE_USAGE, type PolicyCommandArgs } from './policy-args';
import { FLOW_OPTIONS, flowArgs, parseCommandLine, UsageError } from './args';
import { stageCheckReport } from './stage-check-report';
import { DEFAULT_QUIET_DAYS, stageCheck } from '../core/policy/promotion-gate';
import { replayFlows } from './replay-flows';
import { formatCount, formatShare } from './number-format';

const STAGE_CHECK_USAGE = `Promotion gate:
  --stage-check        per internal group: traffic its enforcement stage blocks
                       now, traffic its next stage would block, the whole days
                       since the last of it, and the proposed promotion order
                       (canary, criticality, clients, would-block history).
                       Exit 3 when an enforced group (or a selective group's
                       enforced services) blocks traffic allowed today: roll back.
  --quiet-days N       days without traffic the next stage would block before
                       promotion is proposed (default ${DEFAULT_QUIET_DAYS}: every weekly pattern twice;
                       raise it for groups with monthly jobs). "flowfence stage
                       --override" proposes a group sooner, with a reason.`;

interface SimulateArgs extends PolicyCommandArgs {
  readonly stageCheck: boolean;
  readonly quietDays: number;
}

function parseSimulateArgs(argv: readonly string[]): SimulateArgs | 'help' {
  const { values, positionals } = parseCommandLine(argv, { ...FLOW_OPTIONS, policy: { type: 'string' }, 'stage-check': { type: 'boolean', default: false }, 'quiet-days': { type: 'string' } });
  if (values.help === true) return 'help';
  if (values.policy === undefined) throw new UsageError('--policy P is required');
  const quiet = values['quiet-days'];
  if (quiet !== undefined && values['stage-check'] !== true) throw new UsageError('--quiet-days goes with --stage-check');
  const quietDays = quiet === undefined ? DEFAULT_QUIET_DAYS : Number(quiet);
  if (!/^\d+$/.test(quiet ?? '0') || !Number.isSafeInteger(quietDays)) throw new UsageError(`--quiet-days "${quiet}": a whole number of days`);
  return { ...flowArgs(values, positionals), policy: values.policy, stageCheck: values['stage-check'] === true, quietDays };
}

/** flowfence simulate: replay flows against a policy; exit 3 when some observed flow would be blocked. */
export async function simulateCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseSimulateArgs(argv);
  if (args === 'help') {
    io.stdout.write(`${SIMULATE_USAGE}\n\n${STAGE_CHECK_USAGE}\n`);
    return EXIT.ok;
  }
  await checkOutFolder(args.out);
  const replay = await replayFlows(args, io);
  for (const warning of replay.policyWarnings) io.stderr.write(`flowfence: warning: ${terminalText(warning)}\n`);
  if (args.stageCheck) {
    const check = stageCheck(replay.policy, replay.edges, replay.hosts, args.quietDays);
    const exit = replay.unusable ? EXIT.unusableInput : check.rollback ? EXIT.wouldBlock : EXIT.ok;
    if (args.json) io.stdout.write(`${JSON.stringify({ policy: { path: args.policy, contentSha256: replay.policy.contentSha256 }, inputs: replay.loaded.reports.map(inputSummary), stageCheck: check }, null, 2)}\n`);
    else io.stdout.write(`${stageCheckReport(args.policy, check).map(terminalText).join('\n')}\n`);
    return exit;
  }
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
