import type { PortRange } from '../policy/policy-model';

/**
 * A typed Windows Defender Firewall script: what the windows target builds
 * from the policy and windows-print.ts prints as PowerShell. Free text
 * (display names, descriptions, remarks) is made safe by the printer only.
 */

/** The -Protocol of a rule: a name New-NetFirewallRule knows, or an IP protocol number. */
export type WindowsProtocol =
  | { readonly kind: 'name'; readonly name: 'TCP' | 'UDP' | 'ICMPv4' | 'ICMPv6' }
  | { readonly kind: 'number'; readonly number: number };

/** One New-NetFirewallRule: inbound, in the Flowfence group; allow, or block (a selective group's listed service). */
export interface WindowsFirewallRule {
  readonly action: 'Allow' | 'Block';
  /** -Name: unique in the rule store, derived from the policy rule so it is the same on every run. */
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  /** -Enabled False: a just-in-time rule, exported closed; enabling it opens it. */
  readonly enabled: boolean;
  readonly protocol: WindowsProtocol;
  /** -LocalPort (TCP and UDP only); null: any port. */
  readonly localPorts: PortRange | null;
  /** -RemoteAddress: addresses and CIDRs, at most WINDOWS_MAX_REMOTE_ADDRESSES. */
  readonly remoteAddresses: readonly string[];
  /** The `#` line printed above the rule (the rule's evidence). */
  readonly remark: string;
}

export interface WindowsScript {
  /** Lines of the header comment. */
  readonly header: readonly string[];
  /** The rules' -Group: what the script removes first, so running it again replaces its rules. */
  readonly group: string;
  readonly rules: readonly WindowsFirewallRule[];
  /**
   * The host's group is staged: the inbound default stays Allow and the
   * firewall logs allowed and blocked connections; the text names the stage
   * and group for the script's remarks. null: enforced (inbound blocked by default).
   */
  readonly stage: string | null;
}

/** The Windows Firewall log the staged scripts turn on: Windows' default path, at the largest size the cmdlet takes (32,767 KB). */
export const WINDOWS_FIREWALL_LOG = '%SystemRoot%\\System32\\LogFiles\\Firewall\\pfirewall.log';
export const WINDOWS_FIREWALL_LOG_KB = 32767;

/**
 * RemoteAddress entries per rule. Microsoft documents no limit, but users
 * report rules failing beyond 1,000 addresses (github.com/MichaelApproved/
 * powershell-block-windows-attack issue 1) and 500 to 1,000 depending on the
 * Windows version (github.com/devnulli/EvlWatcher issue 65): longer lists
 * are split over several rules at the lower figure. Allow rules add up, so
 * the split changes nothing of what is allowed.
 */
export const WINDOWS_MAX_REMOTE_ADDRESSES = 500;
