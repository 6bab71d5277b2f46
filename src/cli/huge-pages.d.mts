import type { spawn as nodeSpawn } from 'node:child_process';

type Env = Readonly<Record<string, string | undefined>>;

export function wantsHugePages(env: Env, platform: NodeJS.Platform): boolean;
export function engineEnv(env: Env, platform: NodeJS.Platform): Record<string, string | undefined>;
export function withHugePages(env: Env): Record<string, string | undefined>;
/** Never returns: the launcher ends as the child ended. */
export function runAgainWithHugePages(spawn: typeof nodeSpawn, current?: NodeJS.Process): Promise<void>;
