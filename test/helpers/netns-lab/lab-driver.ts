import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AgentCommand, AgentReply, LabHost, LabOutcome, LabProbeResult, LabSpec } from './lab-protocol';

// The kernel lab's conductor, run by run-lab.ts as root of an unprivileged
// user namespace with a network namespace of its own (`unshare -rn --fork`):
// a bridge, then per host a network namespace (its agent process, started
// with `unshare -n`) joined to the bridge by a veth pair, its addresses,
// on-link routes, its firewall loaded (nft or iptables-restore), its listeners; then every
// probe from its client's host. Usage: lab-driver.ts SPEC.json RESULTS.json

const AGENT = fileURLToPath(new URL('./host-agent.ts', import.meta.url));
const BRIDGE = 'ffbr0';

/** An agent process in its own network namespace, spoken to in JSON lines. */
class Agent {
  private readonly waiting: ((reply: AgentReply) => void)[] = [];
  private readonly results = new Map<number, (result: LabProbeResult) => void>();
  readonly exited: Promise<number | null>;

  private constructor(readonly host: LabHost, private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as AgentReply;
      if (message.op === 'result') {
        this.results.get(message.result.id)?.(message.result);
        this.results.delete(message.result.id);
      } else if (message.op === 'error') {
        throw new Error(`host ${host.name}: ${message.message}`);
      } else {
        this.waiting.shift()?.(message);
      }
    });
  }

  static async start(host: LabHost): Promise<Agent> {
    // Without --fork, unshare becomes node: the child's pid is the namespace's holder.
    const child = spawn('unshare', ['-n', process.execPath, '--import', 'tsx', AGENT], { stdio: ['pipe', 'pipe', 'inherit'] });
    const agent = new Agent(host, child);
    const hello = await agent.next();
    if (hello.op !== 'hello') throw new Error(`host ${host.name}: unexpected first message ${JSON.stringify(hello)}`);
    return agent;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private next(): Promise<AgentReply> {
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.child.once('exit', (code) => reject(new Error(`host ${this.host.name}: agent exited (${code})`)));
    });
  }

  send(command: AgentCommand): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  async listen(): Promise<void> {
    const answer = this.next();
    this.send({ op: 'listen', services: this.host.listen });
    if ((await answer).op !== 'listening') throw new Error(`host ${this.host.name}: listeners did not start`);
  }

  probe(command: Extract<AgentCommand, { op: 'probe' }>): Promise<LabProbeResult> {
    return new Promise((resolve) => {
      this.results.set(command.probe.id, resolve);
      this.send(command);
    });
  }
}

function run(command: string, args: readonly string[], input?: string): void {
  execFileSync(command, args, { input, stdio: ['pipe', 'ignore', 'pipe'] });
}

/**
 * The host's loaded ruleset with its counters, after the probes: what
 * proves a staged host logged what it let through. The kernel log cannot:
 * outside the initial network namespace LOG and nft `log` write nothing
 * unless net.netfilter.nf_log_all_netns is set, which only the initial
 * namespace can set (kernel docs, networking/netfilter-sysctl).
 */
function listing(agent: Agent): string {
  const { firewall } = agent.host;
  if (firewall === null) return '';
  const command = firewall.loader === 'nft' ? ['nft', 'list', 'ruleset'] : ['iptables-save', '-c'];
  return execFileSync('nsenter', ['-t', String(agent.pid), '-n', ...command], { encoding: 'utf8' });
}

/** Runs `ip` commands inside the agent's network namespace, in one batch. */
function ipInside(agent: Agent, commands: readonly string[]): void {
  run('nsenter', ['-t', String(agent.pid), '-n', 'ip', '-batch', '-'], `${commands.join('\n')}\n`);
}

async function main(): Promise<void> {
  const [specPath, resultsPath] = process.argv.slice(2);
  if (specPath === undefined || resultsPath === undefined) throw new Error('usage: lab-driver.ts SPEC.json RESULTS.json');
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as LabSpec;
  run('ip', ['-batch', '-'], `link set lo up\nlink add ${BRIDGE} type bridge\nlink set ${BRIDGE} up\n`);

  const agents = await Promise.all(spec.hosts.map((host) => Agent.start(host)));
  const byAddress = new Map<string, Agent>();
  agents.forEach((agent, index) => {
    const veth = `ffv${index}`;
    run('ip', ['-batch', '-'], `link add ${veth} type veth peer name eth0 netns ${agent.pid}\nlink set ${veth} master ${BRIDGE} up\n`);
    ipInside(agent, [
      'link set lo up',
      ...agent.host.addresses.map((address) => `address add ${address}/32 dev eth0`),
      'link set eth0 up',
      // Every address is on the one bridge: the default route is on-link, so neighbours are found by ARP whatever their subnet.
      'route add default dev eth0',
    ]);
    for (const address of agent.host.addresses) byAddress.set(address, agent);
    const { firewall } = agent.host;
    if (firewall !== null) run('nsenter', ['-t', String(agent.pid), '-n', ...(firewall.loader === 'nft' ? ['nft', '-f'] : ['iptables-restore']), firewall.path]);
  });
  await Promise.all(agents.map((agent) => agent.listen()));

  const results = await Promise.all(
    spec.probes.map((probe) => {
      const agent = byAddress.get(probe.from);
      if (agent === undefined) throw new Error(`probe ${probe.id}: no host has address ${probe.from}`);
      return agent.probe({ op: 'probe', probe, timeoutMs: spec.timeoutMs });
    }),
  );
  const listings = Object.fromEntries(agents.filter((agent) => agent.host.firewall !== null).map((agent) => [agent.host.name, listing(agent)]));
  writeFileSync(resultsPath, JSON.stringify({ results, listings } satisfies LabOutcome));
  for (const agent of agents) agent.send({ op: 'exit' });
  await Promise.all(agents.map((agent) => agent.exited));
}

main().catch((error: unknown) => {
  process.stderr.write(`lab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
