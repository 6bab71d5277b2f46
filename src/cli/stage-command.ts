import { writeFileAtomic } from '../core/node/atomic-write';
import { policyJson } from '../core/policy/build-policy';
import { STAGE_ORDER } from '../core/policy/enforcement-stage';
import type { EnforcementStage } from '../core/policy/policy-model';
import { applyStageDecision, describeSetting } from '../core/policy/stage-decisions';
import type { CommandIo } from './analyze-command';
import { parseCommandLine, UsageError } from './args';
import { EXIT } from './exit-codes';
import { policyWarnings, readPolicy } from './replay-flows';
import { terminalText } from './terminal-text';

export const STAGE_USAGE = `Usage: flowfence stage --policy P --group G [--to STAGE] [options] --by NAME --why TEXT

Records an analyst's stage decision on one internal group of a policy: its
enforcement stage, the services a selective stage enforces, the canary flag,
or a promotion override. The decision (who, when, why, and the setting it
replaced) is appended to the policy's audit trail and P is rewritten in place.

Options:
  --policy P           policy.json to change (required)
  --group G            the group's id, as in policy.json (required)
  --to STAGE           observe (nothing blocked, would-be drops logged),
                       selective (only --services enforced) or enforce (default deny)
  --services S,…       selective: the service ids (policy.services) to enforce
  --canary / --no-canary   the group moves first in the proposed promotion order
  --override / --no-override  let "simulate --stage-check" propose the next stage
                       before the quiet days have passed (say why in --why)
  --by NAME            who decides (required)
  --why TEXT           why (required): what an auditor reads later
  --ticket T           the change ticket
  --json               print one JSON object on stdout
  -h, --help           show this help

A group without a stage decision is enforced, as every policy was before
stages. Exit codes: 0 recorded; 2 refused or bad arguments (nothing written);
1 unexpected failure.`;

/** flowfence stage: one stage decision into policy.json, written atomically. */
export async function stageCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    policy: { type: 'string' },
    group: { type: 'string' },
    to: { type: 'string' },
    services: { type: 'string' },
    canary: { type: 'boolean' },
    'no-canary': { type: 'boolean' },
    override: { type: 'boolean' },
    'no-override': { type: 'boolean' },
    by: { type: 'string' },
    why: { type: 'string' },
    ticket: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help === true) {
    io.stdout.write(`${STAGE_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.policy === undefined) throw new UsageError('--policy P is required');
  if (values.group === undefined) throw new UsageError('--group G is required');
  if (values.by === undefined) throw new UsageError('--by NAME is required: say who decides');
  if (values.why === undefined) throw new UsageError('--why TEXT is required: say why');
  const stage = values.to === undefined ? undefined : stageName(values.to);
  const file = await readPolicy(values.policy);
  for (const warning of policyWarnings(values.policy, file)) io.stderr.write(`flowfence: warning: ${terminalText(warning)}\n`);
  const result = applyStageDecision(
    file.policy,
    {
      group: values.group,
      ...(stage === undefined ? {} : { stage }),
      ...(values.services === undefined ? {} : { services: values.services.split(',').map((id) => id.trim()).filter((id) => id !== '') }),
      ...flag('canary', values.canary, values['no-canary']),
      ...flag('override', values.override, values['no-override']),
      by: values.by,
      why: values.why,
      ticket: values.ticket ?? null,
    },
    new Date().toISOString(),
  );
  if (!result.ok) throw new UsageError(result.reason);
  await writeFileAtomic(values.policy, [policyJson(result.policy)]);
  const { entry } = result;
  if (values.json) io.stdout.write(`${JSON.stringify({ policy: values.policy, contentSha256: result.policy.contentSha256, recorded: entry }, null, 2)}\n`);
  else {
    const lines = [
      `${values.policy}: group ${entry.group} is now ${describeSetting(entry)} (was ${describeSetting(entry.previous)})`,
      `  decided by ${entry.by} at ${entry.at}${entry.ticket === null ? '' : ` under ${entry.ticket}`}: ${entry.why}`,
    ];
    io.stdout.write(`${lines.map(terminalText).join('\n')}\n`);
  }
  return EXIT.ok;
}

function stageName(text: string): EnforcementStage {
  const stage = STAGE_ORDER.find((name) => name === text);
  if (stage === undefined) throw new UsageError(`--to "${text}": write ${STAGE_ORDER.join(', ')}`);
  return stage;
}

/** --x / --no-x to a field; both given is a usage error; neither leaves it as it is. */
function flag<K extends string>(name: K, on: boolean | undefined, off: boolean | undefined): Partial<Record<K, boolean>> {
  if (on === true && off === true) throw new UsageError(`--${name} and --no-${name} contradict each other`);
  if (on === true) return { [name]: true } as Partial<Record<K, boolean>>;
  if (off === true) return { [name]: false } as Partial<Record<K, boolean>>;
  return {};
}
