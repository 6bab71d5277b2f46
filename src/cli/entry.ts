import { runCli } from './main';

// The process entry: wires the real streams, turns Ctrl-C into cancellation.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
process.exitCode = code;
