import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabFirewall, LabOutcome, LabSpec } from './lab-protocol';

const DRIVER = fileURLToPath(new URL('./lab-driver.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Why the kernel lab cannot run here with this loader, or null when it can:
 * it needs user namespaces (to be root of a namespace without being root),
 * iproute2 with veth and bridge links, nsenter, and the loader (nft, or
 * iptables-restore). Tried for real, in a namespace of its own, so a
 * missing piece is named rather than guessed.
 */
export function labProblem(loader: LabFirewall['loader']): string | null {
  const script = `ip link add ffprobe0 type bridge && ip link add ffprobe1 type veth peer name ffprobe2 && command -v nsenter >/dev/null && ${loader} --version >/dev/null`;
  const probe = spawnSync('unshare', ['-rn', '--fork', 'sh', '-c', script], { encoding: 'utf8' });
  if (probe.error !== undefined) return `unshare not runnable (${probe.error.message}); install util-linux`;
  const packageName = loader === 'nft' ? 'nftables' : 'iptables';
  if (probe.status !== 0) return `a user and network namespace with bridge, veth, nsenter and ${loader} is not available: ${(probe.stderr || probe.stdout).trim() || `exit ${probe.status}`} (install iproute2 and ${packageName}; user namespaces must be allowed)`;
  return null;
}

/** Runs the lab (lab-driver.ts in `unshare -rn --fork`): each probe's result in the spec's order, and the firewalls' counters. */
export async function runLab(spec: LabSpec): Promise<LabOutcome> {
  const folder = mkdtempSync(join(tmpdir(), 'flowfence-lab-'));
  try {
    const specPath = join(folder, 'spec.json');
    const resultsPath = join(folder, 'results.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const child = spawn('unshare', ['-rn', '--fork', process.execPath, '--import', 'tsx', DRIVER, specPath, resultsPath], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the kernel lab failed (exit ${code}):\n${output}`);
    return JSON.parse(readFileSync(resultsPath, 'utf8')) as LabOutcome;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Writes a ruleset into the lab's folder as a firewall for LabHost.firewall. */
export function labFirewall(folder: string, name: string, loader: LabFirewall['loader'], content: string): LabFirewall {
  const path = join(folder, `${name.replace(/[^A-Za-z0-9.-]/g, '_')}.${loader === 'nft' ? 'nft' : 'rules'}`);
  writeFileSync(path, content);
  return { loader, path };
}
