// The contract between the quality harness (npm run bench:quality) and its
// scenario generators. Generators live in test/bench/quality/generators/,
// each in its own folder, and share no code with src/core (they may import
// nothing from src/ at all, except the types below re-exported from here):
// a generator that reused the engine's own catalogue, port tables or
// address plan would be measuring the engine against itself.

/** One file the scenario hands to analyze, as the client would. */
export interface ScenarioFile {
  /** File name only (no folders); its extension should be what a real export would have. */
  readonly name: string;
  readonly content: string | Uint8Array;
}

/** The anomaly kinds analyze reports (src/core/discover/anomalies.ts), spelled the same. */
export type AttackKind = 'scan' | 'lateral-movement' | 'exfiltration' | 'cross-environment' | 'new-external';

/** A planted attack or mistake; found when analyze reports an anomaly of this kind from `src` (to one of `dsts`, when given). */
export interface PlantedAttack {
  readonly kind: AttackKind;
  readonly src: string;
  /** Destinations that count as a hit (empty: any destination). */
  readonly dsts: readonly string[];
  /** What was planted, for the report. */
  readonly note: string;
}

export interface ScenarioTruth {
  /**
   * Ground-truth group of every internal host that is scored, e.g.
   * "prod|billing|db", "shared|dns", "dept|finance", "svc|reviews".
   * Replicas of one service share a group; the same application tier in
   * prod and dev are two groups.
   */
  readonly groupOfHost: ReadonlyMap<string, string>;
  /** Hosts that serve something (scored as "ARI over servers"); for topologies, the application pods. */
  readonly servers: ReadonlySet<string>;
  /** Every legitimate client→server use, as `${client}|${server}|${proto}|${port}` (proto a number). Planted attacks are not in it. */
  readonly legitimateEdges: ReadonlySet<string>;
  /** The subset of legitimateEdges that is remote administration (SSH, RDP, WinRM, VNC from admin/jump hosts): counted apart in would-break. */
  readonly adminEdges: ReadonlySet<string>;
  readonly attacks: readonly PlantedAttack[];
}

export interface ScenarioParams {
  readonly seed: number;
  /** Share of labellable hosts (servers, pods) that carry labels in the inventory or pod list: 0, 0.5 or 1. */
  readonly labelCoverage: number;
  /** Share of the labelled hosts whose labels are wrong (another application's or environment's values): 0 or 0.05. */
  readonly wrongLabelRate: number;
  /** Capture from one side only (only the requests' direction, or one observer), where the format allows it. */
  readonly oneWay: boolean;
  /**
   * Hosts whose labels are withheld still appear in the list the analyst is
   * given, by name only (a pod list that labels every second service).
   * Only generators with `listsUnlabelled` honour it.
   */
  readonly listUnlabelled?: boolean;
}

export interface Scenario {
  /** Unique and readable: generator, variant, seed, coverage, e.g. "enterprise-b/seed2/labels50". */
  readonly id: string;
  readonly params: ScenarioParams;
  readonly flows: readonly ScenarioFile[];
  readonly inventories: readonly ScenarioFile[];
  readonly pods: readonly ScenarioFile[];
  readonly logons: readonly ScenarioFile[];
  /** Ranges to treat as internal (analyze --internal) when the scenario's own hosts are not in private ranges. */
  readonly internalCidrs: readonly string[];
  /** Train/test split: learn before this instant (epoch ms, on an hour boundary), replay after. */
  readonly trainUntilMs: number;
  readonly truth: ScenarioTruth;
}

export interface ScenarioGenerator {
  /** e.g. "enterprise-b", "topology:sock-shop". */
  readonly name: string;
  /** Honours ScenarioParams.listUnlabelled (the harness plans one such run per generator that does). */
  readonly listsUnlabelled?: boolean;
  build(params: ScenarioParams): Scenario;
}
