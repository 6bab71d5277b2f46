import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { engineEnv, runAgainWithHugePages, wantsHugePages, withHugePages } from '../../src/cli/huge-pages.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const MODULE = pathToFileURL(join(ROOT, 'src', 'cli', 'huge-pages.mjs')).href;

describe('which runs ask glibc for huge pages', () => {
  it('asks on Linux unless GLIBC_TUNABLES already sets the huge-page tunable, to any value', () => {
    expect(wantsHugePages({}, 'linux')).toBe(true);
    expect(wantsHugePages({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux')).toBe(true);
    expect(wantsHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'linux')).toBe(false);
    expect(wantsHugePages({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1' }, 'linux')).toBe(false);
    expect(wantsHugePages({}, 'darwin')).toBe(false);
    // Under a debugger the launcher would hold the inspector's port, and be what is debugged.
    expect(wantsHugePages({}, 'linux', ['--inspect-brk=9230'])).toBe(false);
    expect(wantsHugePages({ NODE_OPTIONS: '--max-old-space-size=4096 --inspect' }, 'linux')).toBe(false);
    expect(wantsHugePages({ NODE_OPTIONS: '--max-old-space-size=4096' }, 'linux', ['--enable-source-maps'])).toBe(true);
    expect(wantsHugePages({}, 'win32')).toBe(false);
  });

  it('adds the tunable after those already set, and leaves the rest of the environment alone', () => {
    expect(withHugePages({ PATH: '/bin' })).toEqual({ PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    expect(withHugePages({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
    expect(withHugePages({ GLIBC_TUNABLES: '' }).GLIBC_TUNABLES).toBe('glibc.malloc.hugetlb=1');
    const mine = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' };
    expect(engineEnv(mine, 'linux')).toBe(mine);
    expect(engineEnv({}, 'darwin')).toEqual({});
  });
});

describe('the launcher started again with huge pages', () => {
  // A stand-in for the CLI: restarts itself as the launcher does, then, in the child, reports what it got and ends as told.
  const directory = mkdtempSync(join(tmpdir(), 'flowfence-huge-pages-'));
  const script = join(directory, 'launcher.mjs');
  writeFileSync(
    script,
    [
      `import { spawn } from 'node:child_process';`,
      `import { runAgainWithHugePages, wantsHugePages } from ${JSON.stringify(MODULE)};`,
      `if (wantsHugePages(process.env, 'linux')) await runAgainWithHugePages(spawn);`,
      `else {`,
      `  const [how, value] = process.argv.slice(2);`,
      `  console.log(JSON.stringify({ tunables: process.env.GLIBC_TUNABLES, execArgv: process.execArgv, pid: process.pid }));`,
      `  if (how === 'exit') process.exit(Number(value));`,
      `  if (how === 'wait') setInterval(() => undefined, 1000);`,
      `}`,
    ].join('\n'),
  );
  const report = (stdout: string) => JSON.parse(stdout.trim().split('\n')[0]!) as { tunables: string; execArgv: string[]; pid: number };

  it("runs the same command with Node's own flags in a child that has the tunable, and exits with the child's code", () => {
    const run = spawnSync(process.execPath, ['--max-old-space-size=300', script, 'exit', '7'], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' } });
    expect(run.status).toBe(7);
    const child = report(run.stdout);
    expect(child.tunables).toBe('glibc.malloc.arena_max=4:glibc.malloc.hugetlb=1');
    expect(child.execArgv).toEqual(['--max-old-space-size=300']);
    expect(child.pid).not.toBe(run.pid);
  });

  it("keeps a user's own choice and starts nothing again", () => {
    const run = spawnSync(process.execPath, [script, 'exit', '0'], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' } });
    expect(run.status).toBe(0);
    expect(report(run.stdout)).toMatchObject({ tunables: 'glibc.malloc.hugetlb=0', pid: run.pid });
  });

  it('passes SIGTERM on to the child and ends by that signal, as the child did', async () => {
    const { GLIBC_TUNABLES: _unset, ...env } = process.env;
    const launcher = spawn(process.execPath, [script, 'wait'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    await new Promise<void>((resolve) => {
      launcher.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve();
      });
    });
    const childPid = report(stdout).pid;
    expect(childPid).not.toBe(launcher.pid);
    launcher.kill('SIGTERM');
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => launcher.once('exit', (code, signal) => resolve({ code, signal })));
    expect(ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(() => process.kill(childPid, 0)).toThrow();
  });

  it('says so, and leaves no signal handler behind, when no child could be started, so that the launcher runs the CLI itself', async () => {
    // A spawn that fails as Node's does when the system refuses a process: no pid, then 'error'.
    const refused = (() => {
      const child = Object.assign(new EventEmitter(), { pid: undefined, kill: () => false });
      setImmediate(() => child.emit('error', new Error('spawn EAGAIN')));
      return child;
    }) as unknown as Parameters<typeof runAgainWithHugePages>[0];
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const before = signals.map((signal) => process.listenerCount(signal));
    await expect(runAgainWithHugePages(refused)).resolves.toBe(false);
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(before);
  });

  it('leaves the real launcher printing what the CLI prints', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = spawnSync(process.execPath, [join(ROOT, 'src', 'cli', 'flowfence.mjs'), '--version'], { encoding: 'utf8', cwd: ROOT });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`flowfence ${version}\n`);
  });
});
