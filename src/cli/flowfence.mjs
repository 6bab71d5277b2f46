#!/usr/bin/env node
// Launcher for a source checkout: bundles src/cli/entry.ts with esbuild when
// any engine or CLI source is newer than the bundle, then runs the bundle.
// The bundle is written to a temporary file and renamed, so concurrent
// invocations never run a half-written one. On Linux the bundle runs in a
// child started with glibc's huge pages (huge-pages.mjs says why).
import { readdirSync, statSync, mkdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { runAgainWithHugePages, wantsHugePages } from './huge-pages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle = join(root, 'dist', 'cli', 'flowfence.mjs');

function newestMtime(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (/\.(ts|mjs|json)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestMtime(join(root, 'src', 'core')), newestMtime(join(root, 'src', 'cli')), statSync(join(root, 'package.json')).mtimeMs);
if (!existsSync(bundle) || statSync(bundle).mtimeMs < sources) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: {
      flowfence: join(root, 'src', 'cli', 'entry.ts'),
      'parse-worker': join(root, 'src', 'core', 'node', 'parse-worker.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    outdir: dirname(bundle),
    outExtension: { '.js': '.mjs' },
    write: false,
    logLevel: 'error',
    absWorkingDir: root,
  });
  mkdirSync(dirname(bundle), { recursive: true });
  // The worker goes first: the CLI bundle appearing is what marks the build complete.
  const outputs = [...result.outputFiles].sort((a, b) => Number(a.path.endsWith('flowfence.mjs')) - Number(b.path.endsWith('flowfence.mjs')));
  for (const output of outputs) {
    const temporary = `${output.path}.${process.pid}.tmp`;
    writeFileSync(temporary, output.contents);
    renameSync(temporary, output.path);
  }
}
// Built first, so that the run started again finds the bundle current and builds nothing.
const ranAgain = wantsHugePages(process.env, process.platform, process.execArgv) && (await runAgainWithHugePages(spawn));
if (!ranAgain) await import(pathToFileURL(bundle).href);
