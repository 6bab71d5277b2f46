/**
 * What the kernel lab is told and what it answers. The lab (lab-driver.ts)
 * runs inside an unprivileged user and network namespace; each host is a
 * process in a network namespace of its own (host-agent.ts) on one bridge,
 * with its addresses, its nftables ruleset and real TCP and UDP listeners.
 */

export type LabProto = 'tcp' | 'udp';

export interface LabService {
  readonly proto: LabProto;
  readonly port: number;
}

/** A ruleset file and the tool that loads it (`nft -f FILE`, `iptables-restore FILE`). */
export interface LabFirewall {
  readonly loader: 'nft' | 'iptables-restore';
  readonly path: string;
}

export interface LabHost {
  /** A short name for messages. */
  readonly name: string;
  /** IPv4 addresses of the host's one interface (every address on one bridge, routes on-link). */
  readonly addresses: readonly string[];
  /** A firewall file loaded inside the host's namespace; null: no firewall. */
  readonly firewall: LabFirewall | null;
  /** Listeners: a TCP server that accepts and closes, a UDP socket that echoes. */
  readonly listen: readonly LabService[];
}

export interface LabProbe {
  readonly id: number;
  /** The client's address: a host's own, bound as the source. */
  readonly from: string;
  readonly to: string;
  readonly proto: LabProto;
  readonly port: number;
}

export interface LabSpec {
  readonly hosts: readonly LabHost[];
  readonly probes: readonly LabProbe[];
  /** How long a probe waits for a connection or an echo before it counts as dropped. */
  readonly timeoutMs: number;
}

export interface LabProbeResult {
  readonly id: number;
  /** The packet got through: a TCP connection (or a reset from a host with no listener), a UDP echo. */
  readonly reached: boolean;
  /** "connected", "echoed", "timeout", or the socket error's code. */
  readonly detail: string;
}

/** What a lab run answers: each probe's result in the spec's order, and each firewalled host's ruleset with its counters after the probes (by host name). */
export interface LabOutcome {
  readonly results: readonly LabProbeResult[];
  /** `nft list ruleset` or `iptables-save -c` inside the host's namespace. */
  readonly listings: Readonly<Record<string, string>>;
}

/** One line of the agent's conversation with the driver, JSON on stdin and stdout. */
export type AgentCommand =
  | { readonly op: 'listen'; readonly services: readonly LabService[] }
  | { readonly op: 'probe'; readonly probe: LabProbe; readonly timeoutMs: number }
  | { readonly op: 'exit' };

export type AgentReply =
  | { readonly op: 'hello'; readonly pid: number }
  | { readonly op: 'listening' }
  | { readonly op: 'result'; readonly result: LabProbeResult }
  | { readonly op: 'error'; readonly message: string };
