import type { spawn as nodeSpawn } from 'node:child_process';

type Env = Readonly<Record<string, string | undefined>>;

export function wantsHugePages(env: Env, platform: NodeJS.Platform, execArgv?: readonly string[]): boolean;
export function engineEnv(env: Env, platform: NodeJS.Platform): Record<string, string | undefined>;
export function withHugePages(env: Env): Record<string, string | undefined>;
/** Ends the launcher as the child ended; false when no child could be started (nothing was run). */
export function runAgainWithHugePages(spawn: typeof nodeSpawn, current?: NodeJS.Process): Promise<boolean>;
