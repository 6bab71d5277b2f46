// The vendors' own checkers, where the machine has them: Terraform with the
// hashicorp/aws provider from a local filesystem mirror (never the network:
// the CLI configuration written here installs from the mirror only) and
// cfn-lint. Each check returns what the tool reported; a missing tool or
// provider is a reason to skip, never a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the hashicorp/aws provider is mirrored (registry.terraform.io/hashicorp/aws/<version>/<platform>/…). */
const PLUGIN_MIRROR = process.env.FLOWFENCE_TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';

const runs = (command: string, args: readonly string[]): boolean => spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 }).status === 0;

export function terraformProblem(): string | null {
  if (!runs('terraform', ['version'])) return 'no terraform on PATH';
  if (!existsSync(join(PLUGIN_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'))) return `no hashicorp/aws provider mirrored in ${PLUGIN_MIRROR} (set FLOWFENCE_TF_PLUGIN_MIRROR)`;
  return null;
}

export function cfnLintProblem(): string | null {
  return runs('cfn-lint', ['--version']) ? null : 'no cfn-lint on PATH';
}

export interface ToolRun {
  readonly ok: boolean;
  readonly output: string;
}

/** `terraform fmt -check`, `terraform init` from the mirror and `terraform validate` on one main.tf. */
export function terraformCheck(mainTf: string): { fmt: ToolRun; validate: ToolRun } {
  const dir = mkdtempSync(join(tmpdir(), 'flowfence-tf-'));
  try {
    const config = join(dir, 'cli.tfrc');
    writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(PLUGIN_MIRROR)}\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`);
    const work = join(dir, 'module');
    mkdirSync(work);
    writeFileSync(join(work, 'main.tf'), mainTf);
    const env = { ...process.env, TF_CLI_CONFIG_FILE: config, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_DATA_DIR: join(dir, 'data') };
    const run = (args: readonly string[]): ToolRun => {
      const result = spawnSync('terraform', args, { cwd: work, env, encoding: 'utf8', timeout: 120_000 });
      return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
    };
    const fmt = run(['fmt', '-check', '-diff', '-no-color', 'main.tf']);
    const init = run(['init', '-backend=false', '-input=false', '-no-color']);
    return { fmt, validate: init.ok ? run(['validate', '-no-color']) : init };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface LintMatch {
  readonly rule: string;
  readonly level: string;
  readonly message: string;
}

/** cfn-lint's findings on one template (its JSON output). */
export function cfnLint(template: string): LintMatch[] {
  const dir = mkdtempSync(join(tmpdir(), 'flowfence-cfn-'));
  try {
    const file = join(dir, 'template.json');
    writeFileSync(file, template);
    const result = spawnSync('cfn-lint', ['--format', 'json', '--', file], { encoding: 'utf8', timeout: 120_000 });
    const matches = JSON.parse(result.stdout === '' ? '[]' : result.stdout) as { Rule: { Id: string }; Level: string; Message: string }[];
    return matches.map((match) => ({ rule: match.Rule.Id, level: match.Level, message: match.Message }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
