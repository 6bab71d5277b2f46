import type { AnalysisSettings } from '../discover/discovery-settings';
import { ADMIN_SERVICES } from '../flow/admin-services';
import { ADMIN_ROLE_DEFAULTS, type AdminRoleSettings } from './admin-role';
import { GROUP_NAME_DEFAULTS } from '../discover/group-names';
/**
 * The policy intermediate representation: what `policy.json` holds. One
 * shape for every producer (analyze, what-if) and consumer (simulate, drift,
 * exporters); policy-schema.ts documents it as JSON Schema and validates
 * files read back. Bump POLICY_VERSION on any change a reader must know of,
 * and add the step from the previous version to policy-migration.ts with a
 * fixture of a file as that version wrote it (test/fixtures/policy/).
 *
 * Version 2: settings gained the admin-role thresholds (roleDependentAdminServices,
 * directoryServices, roleMinShare, roleMinGroups, roleMinClientsPerServer) and
 * the policy records the discovery and anomaly thresholds of its run (analysis).
 */

export const POLICY_FORMAT = 'flowfence-policy' as const;
export const POLICY_VERSION = 2 as const;

/** How a host joins a group besides being listed: an inventory/Kubernetes label, a CIDR, a hostname prefix, or every internal host. */
export type MembershipRule =
  | { readonly label: { readonly key: string; readonly value: string } }
  | { readonly cidr: string }
  /** Blocks that hold only the group's members, where no one rule is exact (membership-rule.ts): new hosts in them join the group. */
  | { readonly cidrs: readonly string[] }
  | { readonly hostnamePrefix: string }
  | { readonly scope: 'internal' };

export type PolicyGroupKind = 'application' | 'infrastructure' | 'clients' | 'all-internal' | 'external';

export interface PolicyGroup {
  /** "g1"… for discovered groups, "internal" for every internal host, "ext:198.51.100.0/24" for outside networks. */
  readonly id: string;
  readonly name: string;
  readonly kind: PolicyGroupKind;
  /** Addresses seen in the evidence (members of internal groups; observed addresses of an external network). */
  readonly members: readonly string[];
  /** Places hosts not listed in members (new hosts, new addresses); null when no exact rule exists. */
  readonly match: MembershipRule | null;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * How far enforcement on this group has gone (internal groups only: the
   * application, infrastructure and clients kinds). Absent means `enforce`
   * (DEFAULT_STAGE), what every policy meant before stages existed.
   */
  readonly stage?: GroupStage;
}

/**
 * A group's enforcement stage: `observe` blocks nothing and logs what would
 * be dropped; `selective` enforces only the listed services of the group and
 * observes the rest; `enforce` is the default deny. A stage governs the
 * traffic a group's members serve (inbound, where a host or segment firewall
 * filters), and a member's traffic to outside networks (outbound), which no
 * internal group serves (enforcement-stage.ts).
 */
export type EnforcementStage = 'observe' | 'selective' | 'enforce';

/** The stage a group without one is in. */
export const DEFAULT_STAGE: EnforcementStage = 'enforce';

/** What a stage decision sets on a group. */
export interface StageSetting {
  readonly stage: EnforcementStage;
  /** selective: the ids (policy.services) of the services enforced, in id order; empty for the other stages. */
  readonly services: readonly string[];
  /** A canary moves first: the promotion order proposes it before every other group. */
  readonly canary: boolean;
  /** An analyst lets the promotion gate propose the next stage before its quiet days have passed (decision.why says why). */
  readonly override: boolean;
}

/** Who set a group's stage, when (ISO 8601), why, under which change ticket. */
export interface StageDecision {
  readonly by: string;
  readonly at: string;
  readonly why: string;
  readonly ticket: string | null;
}

export interface GroupStage extends StageSetting {
  readonly decision: StageDecision;
}

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** A service a rule opens: protocol and one port or port range (null for protocols without ports). */
export interface PolicyService {
  readonly id: string;
  readonly proto: number;
  readonly ports: PortRange | null;
  readonly name: string | null;
}

/** Days 0 (Sunday)–6 and hours [fromHour, toHour) in UTC. */
export interface TimeWindow {
  readonly days: readonly number[];
  readonly fromHour: number;
  readonly toHour: number;
  readonly timezone: 'UTC';
}

/** Only clients carrying this label may use the rule. */
export interface IdentityCondition {
  readonly label: { readonly key: string; readonly value: string };
}

/** A just-in-time rule: closed until one of the candidate requesters opens it for a while. */
export interface JustInTime {
  readonly requesters: readonly { readonly user: string; readonly logons: number }[];
}

export type RuleState = 'proposed' | 'approved' | 'rejected';

export interface EvidenceEdge {
  readonly client: string;
  readonly server: string;
  readonly port: number;
  readonly flows: number;
  readonly bytes: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

/**
 * One generalisation that made a rule wider than the edges it was learned
 * from, or a decision on an admin service: 'just-in-time' (closed until
 * requested), 'role' (SMB or RPC that is the server group's role: open) or
 * 'admin-group' (open because the clients are an admin group). Every rule on
 * an admin service carries exactly one of these three. 'idle-replica': a
 * rule with no edges of its own, opening the probed port of a group no one
 * but probers used to a group that uses the port elsewhere (idle-groups.ts).
 * 'companion': a rule with no edges of its own, opening a port that comes
 * with one a rule of the same pair opens (companion-rules.ts).
 */
export interface GeneralisationStep {
  readonly step: 'group' | 'lift' | 'port-range' | 'external-cidr' | 'just-in-time' | 'role' | 'admin-group' | 'time-window' | 'idle-replica' | 'companion';
  readonly detail: string;
}

/** A rule opened ahead of traffic: no edges of its own, only an 'idle-replica' or 'companion' step saying why. */
export const openedAhead = (rule: Pick<PolicyRule, 'evidence'>): boolean =>
  rule.evidence.edges.length === 0 && rule.evidence.steps.some((step) => step.step === 'idle-replica' || step.step === 'companion');

export interface RuleEvidence {
  readonly flows: number;
  readonly bytes: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly clients: number;
  readonly servers: number;
  readonly edges: readonly EvidenceEdge[];
  readonly steps: readonly GeneralisationStep[];
}

export interface PolicyRule {
  /** "g3>g7:tcp/443": from, to and service, so unchanged rules keep their id across runs and regroupings. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly service: string;
  readonly proto: number;
  readonly ports: PortRange | null;
  readonly window: TimeWindow | null;
  readonly identity: IdentityCondition | null;
  readonly jit: JustInTime | null;
  readonly state: RuleState;
  readonly evidence: RuleEvidence;
  /** The owner's decision that set the state (flowfence attest --import); absent until one was made. */
  readonly decision?: RuleDecision;
}

/** Who decided a rule's state, when, why, under which ticket, until when. */
export interface RuleDecision {
  readonly by: string;
  /** When the owner decided (ISO 8601). */
  readonly at: string;
  readonly why: string;
  readonly ticket: string | null;
  /** The certification lapses at this instant (ISO 8601); null: no expiry. drift reports lapsed ones. */
  readonly expires: string | null;
  /** The rule's evidence digest the decision was made on (attest/rule-digest.ts). */
  readonly evidenceSha256: string;
}

/** One decision applied to the policy, kept for good: the audit trail only grows. */
export interface AuditEntry extends RuleDecision {
  readonly rule: string;
  readonly state: Exclude<RuleState, 'proposed'>;
  /** When it was imported (ISO 8601), and from which file (its name and SHA-256). */
  readonly importedAt: string;
  readonly source: { readonly name: string; readonly sha256: string };
}

/**
 * One stage decision applied to the policy (flowfence stage), kept for good
 * beside the rule decisions: the setting made, the one it replaced (so the
 * workbench can undo it by applying the previous setting as a new decision),
 * who, when, why.
 */
export interface StageAuditEntry extends StageSetting, StageDecision {
  readonly group: string;
  readonly previous: StageSetting;
  /** Absent: a stage entry names a group, a rule decision (AuditEntry) a rule; `entry.rule !== undefined` tells them apart. */
  readonly rule?: undefined;
}

/** The audit trail's entries: owners' rule decisions and analysts' stage decisions, oldest first. */
export type PolicyAuditEntry = AuditEntry | StageAuditEntry;

/**
 * A Kubernetes pod the analysis knew: from the pod lists it was given, or
 * named by the flow records themselves (Hubble's endpoints). Kept in the
 * policy because the targets that select pods by their labels (k8s,
 * cilium) need every pod of a namespace, grouped or not, to tell whether a
 * selector would also catch pods outside the group.
 */
export interface PolicyPod {
  readonly namespace: string;
  readonly pod: string;
  /** Its addresses, in text order. */
  readonly ips: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly owner: { readonly kind: string; readonly name: string } | null;
  /** The node's address (status.hostIP), or null when the source did not say. */
  readonly hostIp: string | null;
  /** spec.hostNetwork: the pod uses its node's address, and no NetworkPolicy applies to it. */
  readonly hostNetwork: boolean;
  /** Where the analysis learned of it: a pod list, or the flow records only. */
  readonly source: 'pod-list' | 'flows';
}

export interface PolicyInputFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  /** A flowfence-edges file: the SHA-256 of the pushdown query that computed it in the warehouse, and the source it read. */
  readonly pushdown?: { readonly querySha256: string; readonly source: string };
}

/**
 * The thresholds rule generation used, so every generalisation can be
 * checked against them. The admin-role settings (admin-role.ts) decide
 * whether SMB and RPC on a group are its role or administration.
 */
export interface PolicySettings extends AdminRoleSettings {
  /**
   * A service used by at least this share of the other internal groups (and
   * liftMinGroups), whose user groups hold at least liftMinHostShare of the
   * other internal hosts, becomes one rule from every internal host.
   */
  readonly liftMinShare: number;
  readonly liftMinGroups: number;
  readonly liftMinHostShare: number;
  /** Ports become a range only with at least this many distinct ports used, filling at least rangeMinDensity of the range. */
  readonly rangeMinPorts: number;
  readonly rangeMinDensity: number;
  /** External addresses are grouped by these prefix lengths. */
  readonly externalPrefixV4: number;
  readonly externalPrefixV6: number;
  /**
   * A host's service used from at least this many outside networks (of
   * externalPrefixV4/V6) is public: one rule from any outside address. A
   * host's use of a service on at least this many outside networks (a
   * proxy's, a mail relay's) is open: one rule to any outside address.
   */
  readonly publicMinNetworks: number;
  /**
   * Services that administer hosts; used by a non-admin group they become
   * just-in-time rules, except the role-dependent ones (roleDependentAdminServices)
   * on a group whose role they are.
   */
  readonly adminServices: readonly { readonly proto: number; readonly port: number; readonly name: string }[];
  /** Groups whose labels or names match this pattern (case-insensitive) are administrators. */
  readonly adminGroupPattern: string;
  /**
   * A group that is not an admin group and opened remote administration on
   * at least this many internal hosts outside it is an admin station: one
   * just-in-time rule to every internal host instead of one per group.
   */
  readonly adminStationMinHosts: number;
  /** A rule whose evidence lies only inside this window, spread over at least windowMinHours distinct hours of the week, gets it as a proposed window. */
  readonly businessHours: TimeWindow;
  readonly windowMinHours: number;
  /** Ranges treated as internal besides the private ones (analyze --internal): replays apply them too. */
  readonly internalCidrs: readonly string[];
}

/** What policy.json records of discovery and anomaly detection (discovery-settings.ts). */
export type PolicyAnalysis = AnalysisSettings;

export interface Policy {
  readonly format: typeof POLICY_FORMAT;
  readonly version: typeof POLICY_VERSION;
  readonly settings: PolicySettings;
  /**
   * The thresholds discovery and anomaly detection ran with (their DEFAULTS
   * objects and the options given), so the groups and the flagged traffic
   * the rules rest on can be checked and reproduced. null when not recorded:
   * a policy migrated from version 1, or built outside analyze.
   */
  readonly analysis: PolicyAnalysis | null;
  readonly inputs: { readonly files: readonly PolicyInputFile[]; readonly sha256: string };
  /** The traffic the rules were learned from. */
  readonly window: { readonly from: string | null; readonly to: string | null };
  readonly groups: readonly PolicyGroup[];
  readonly services: readonly PolicyService[];
  readonly rules: readonly PolicyRule[];
  readonly defaultAction: 'deny';
  /** The cluster's pods, in namespace and name order; absent when the analysis knew of none. */
  readonly pods?: readonly PolicyPod[];
  /** Every owner's rule decision and analyst's stage decision applied to this policy, oldest first; absent until the first. */
  readonly audit?: readonly PolicyAuditEntry[];
  /**
   * SHA-256 of the canonical JSON of everything above (this field left out).
   * A policy migrated from an older version keeps the digest of the file as
   * it was written, so it still names that file.
   */
  readonly contentSha256: string;
}

export const ALL_INTERNAL = 'internal';

export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  liftMinShare: 0.5,
  liftMinGroups: 3,
  // A lifted rule opens its service to the internal hosts that never used it.
  // The group share alone counts a one-host server group like a department of
  // desktops, so many small groups of one kind of server (Linux servers and
  // their resolver, NTP, syslog) would open the service to every desktop.
  // Requiring the user groups to hold half of the other hosts keeps those
  // newly opened hosts at most as many as the users: lifting can at most
  // double what the group rules would allow for that service, and only for
  // services most of the estate already depends on (DNS, directory, time).
  liftMinHostShare: 0.5,
  rangeMinPorts: 8,
  rangeMinDensity: 0.5,
  externalPrefixV4: 24,
  externalPrefixV6: 48,
  // A partner integration, a payment acquirer or an update mirror is a
  // handful of networks; a public web shop's customers or a proxy's
  // destinations are hundreds a day, and tomorrow's are not yesterday's. Any
  // bar between those separates the two; 16 leaves room for a large partner
  // list and is met within hours by a public audience.
  publicMinNetworks: 16,
  adminServices: ADMIN_SERVICES,
  ...ADMIN_ROLE_DEFAULTS,
  adminGroupPattern: '\\b(admin|admins|bastion|jump|jumphost|jumpbox|pam|mgmt|management)\\b',
  // Discovery's bar for a group whose role is administration (group-names.ts):
  // an administrator's desktop reaches one or two servers of its own; a
  // console that has reached three hosts reaches whatever needs it next
  // (another line's HMI, a new server).
  adminStationMinHosts: GROUP_NAME_DEFAULTS.adminMinHosts,
  businessHours: { days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, timezone: 'UTC' },
  windowMinHours: 20,
  internalCidrs: [],
};

/** A rule that lets traffic through as the policy stands: not rejected, and not a just-in-time rule (closed until opened). */
export const isOpen = (rule: Pick<PolicyRule, 'state' | 'jit'>): boolean => rule.state !== 'rejected' && rule.jit === null;
