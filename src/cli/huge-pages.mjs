// Transparent huge pages for the engine's large buffers, asked of glibc.
//
// The engine fills hundreds of megabytes of fresh typed arrays (the parse
// threads' door rows, the compact rows they hand over, the orientation's
// tables, DuckDB's memory). Every first touch of a 4 KiB page is a page
// fault, and on the virtual machines measured here a fault cost about
// 10 µs: 168 MB touched once took 0.45 s. glibc (2.35 and later)
// marks its mappings for 2 MiB pages when the tunable below is set, which
// the kernel honours in its default "madvise" mode: about half the faults,
// and bench:ingest's 30 files about 5 % faster. A tunable is read when the
// process starts, so the launcher starts the CLI again with it set; other
// C libraries and systems ignore it.

const TUNABLE = 'glibc.malloc.hugetlb';

/**
 * Whether to start again with huge pages: on Linux, unless GLIBC_TUNABLES
 * already says anything about them (a user's 0 is kept), and not under a
 * debugger: a child given the same --inspect would find the launcher
 * holding its port, and the developer would be debugging the launcher.
 */
export function wantsHugePages(env, platform, execArgv = []) {
  if (platform !== 'linux') return false;
  const inspected = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) => flag.startsWith('--inspect'));
  if (inspected) return false;
  return !(env.GLIBC_TUNABLES ?? '')
    .split(':')
    .some((setting) => setting.startsWith(`${TUNABLE}=`));
}

/** The environment the launcher runs the CLI in: `env`, with huge pages where wantsHugePages says so. */
export function engineEnv(env, platform) {
  return wantsHugePages(env, platform) ? withHugePages(env) : env;
}

/** `env` with the huge-page tunable added to any tunables it already sets. */
export function withHugePages(env) {
  const tunables = [env.GLIBC_TUNABLES, `${TUNABLE}=1`].filter((value) => value !== undefined && value !== '').join(':');
  return { ...env, GLIBC_TUNABLES: tunables };
}

/**
 * Runs this same command (Node's own flags included) again with huge pages,
 * its input and output the launcher's own, and ends the launcher as the
 * child ended: the same exit code, or the same signal. Ctrl-C reaches the
 * child from the terminal (both are in its foreground group), so SIGINT is
 * not forwarded: the CLI takes a first interrupt to cancel cleanly and a
 * second to stop at once. SIGTERM and SIGHUP, sent to the launcher alone by
 * `timeout`, service managers and closed sessions, are passed on.
 * Returns false, having run nothing, when no child could be started (no
 * memory or process slots left): the caller then runs the CLI itself.
 */
export async function runAgainWithHugePages(spawn, current = process) {
  const child = spawn(current.execPath, [...current.execArgv, ...current.argv.slice(1)], { stdio: 'inherit', env: withHugePages(current.env) });
  const handlers = {
    SIGINT: () => undefined,
    SIGTERM: () => child.kill('SIGTERM'),
    SIGHUP: () => child.kill('SIGHUP'),
  };
  for (const [signal, handler] of Object.entries(handlers)) current.on(signal, handler);
  const ended = await new Promise((resolve) => {
    child.once('error', (error) => {
      // Also emitted when a signal could not be passed on; only a child that never started means not run.
      if (child.pid === undefined) resolve({ started: false, error });
    });
    child.once('exit', (code, signal) => resolve({ started: true, code, signal }));
  });
  for (const [signal, handler] of Object.entries(handlers)) current.off(signal, handler);
  if (!ended.started) return false;
  if (ended.signal !== null) current.kill(current.pid, ended.signal);
  else current.exit(ended.code ?? 1);
  return true;
}
