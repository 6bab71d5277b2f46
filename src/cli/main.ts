import { analyzeCommand, type CommandIo } from './analyze-command';
import { attestCommand } from './attest-command';
import { driftCommand } from './drift-command';
import { exportCommand } from './export-command';
import { measuresCommand } from './measures-command';
import { pushdownCommand } from './pushdown-command';
import { simulateCommand } from './simulate-command';
import { stageCommand } from './stage-command';
import { verifyPackCommand } from './verify-pack-command';
import { UsageError } from './args';
import { EXIT } from './exit-codes';
import { terminalText } from './terminal-text';
import { VERSION_TEXT } from './version';

const USAGE = `Usage: flowfence <command> [options]

Commands:
  analyze <files or folders…>   ingest flow exports, discover groups, generate the policy
  simulate --policy P <files…>  replay flows against a policy (exit 3 when flows would be blocked)
  drift --policy P <files…>     what changed since a policy: blocked edges, unused rules, new hosts
  export --policy P --target T --out DIR
                                the policy as enforcement points' rule sets, with what each target cannot express
  stage --policy P --group G --to S --by NAME --why TEXT
                                record a group's enforcement stage (observe, selective, enforce), canary or override
  attest --policy P --key K --out DIR [flows…]
                                signed attestation packs, one per application owner
  verify-pack DIR               check packs' signatures, files and owners' co-signatures
  measures <workspaces or policies…>
                                measures of success per snapshot and their trend (--json, --html charts)
  pushdown --dialect D --source-format F
                                the edge aggregation as a query to run where the flow logs are

Run "flowfence <command> --help" for the options of a command; "flowfence --version" for the version.`;

/** Runs one CLI invocation; returns the exit code (never calls process.exit, so tests can call it). */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'analyze':
        return await analyzeCommand(rest, io);
      case 'simulate':
        return await simulateCommand(rest, io);
      case 'drift':
        return await driftCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'attest':
        return await attestCommand(rest, io);
      case 'stage':
        return await stageCommand(rest, io);
      case 'verify-pack':
        return await verifyPackCommand(rest, io);
      case 'pushdown':
        return await pushdownCommand(rest, io);
      case 'measures':
        return await measuresCommand(rest, io);
      case '--version':
      case '-V':
      case 'version':
        io.stdout.write(`${VERSION_TEXT}\n`);
        return EXIT.ok;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT.unusableInput : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`flowfence: ${terminalText(error.message)}\n${command === 'analyze' || command === 'simulate' || command === 'drift' || command === 'export' || command === 'attest' || command === 'stage' || command === 'verify-pack' || command === 'pushdown' || command === 'measures' ? `Run "flowfence ${command} --help" for the options.` : USAGE}\n`);
      return EXIT.unusableInput;
    }
    if (io.signal?.aborted === true) {
      io.stderr.write('flowfence: cancelled\n');
      return EXIT.failure;
    }
    io.stderr.write(`flowfence: ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n').map(terminalText).join('\n')}\n`);
    return EXIT.failure;
  }
}
