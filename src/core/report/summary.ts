import type { FileReport } from '../ingest/file-report';
import { addressPlanWarning } from './address-plan';
import { ruleExplosionWarning } from './rule-explosions';
import type { Anomaly } from '../discover/anomalies';
import type { DiscoveredGroup, Discovery } from '../discover/discover-groups';
import type { SqlPort } from '../store/sql-port';
import { compareText } from '../util/compare';
import type { PolicyStage } from '../policy/policy-stage';

/** One input file as reported in the CLI's JSON. */
export interface InputSummary {
  readonly path: string;
  readonly format: string | null;
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly rejectReasons: Readonly<Record<string, number>>;
  readonly compression?: 'gzip';
  readonly container?: 'parquet';
  readonly error?: string;
  readonly warnings?: readonly string[];
  /** Why a document found in a folder was left out (it is no error). */
  readonly skipped?: string;
  /** A flowfence-edges file: the pushdown query's SHA-256 and the source it read. */
  readonly pushdown?: { readonly querySha256: string; readonly source: string };
}

/**
 * The analysis as one JSON object (`flowfence analyze --json`). Later stages
 * add keys; existing keys keep their meaning.
 */
export interface AnalysisSummary {
  readonly inputs: InputSummary[];
  /** Distinct addresses on at least one edge. */
  readonly hosts: number;
  /** Distinct (client, server, proto, port, action) over the whole window. */
  readonly edges: number;
  readonly window: { readonly from: string | null; readonly to: string | null };
  readonly enrichment: {
    readonly internalHosts: number;
    readonly externalHosts: number;
    readonly namedHosts: number;
    readonly labelledHosts: number;
    readonly logons: number;
    /** Kubernetes pods the analysis knew (pod lists and flow records); absent in workspaces saved before they were kept. */
    readonly pods?: number;
  };
  readonly timingsMs: { readonly ingest: number; readonly edges: number; readonly enrich: number; readonly discover: number; readonly policy: number; readonly total: number };
  /** Application groups of the internal hosts. */
  readonly groups: readonly GroupSummary[];
  /** Every internal host's group id. */
  readonly assignments: Readonly<Record<string, string>>;
  /** Hosts whose labels contradict their behaviour (what the rest of their group agrees on). */
  readonly labelConflicts: readonly { readonly ip: string; readonly group: string; readonly conflicts: readonly string[] }[];
  /** How the dendrogram was cut. */
  readonly clustering: Discovery['cut'] & { readonly profiles: number };
  /** The host graph's second opinion: communities, and the hosts whose compromise reaches most. */
  readonly graph: Discovery['graph'];
  /** Traffic flagged so that it is never turned into an allow rule unseen. */
  readonly anomalies: readonly AnomalySummary[];
  /** Rules in policy.json. */
  readonly rules: number;
  /** The policy replayed on the analysed flows (or, with a hold-out, on the flows after it). */
  readonly simulation: PolicyStage['simulation'];
  readonly exposure: PolicyStage['exposure'];
  /** Only with --train-until. */
  readonly holdout?: NonNullable<PolicyStage['holdout']>;
  readonly policySha256: string;
  /** What the analyst must know about the run as a whole (a capture of public addresses, rule explosions); absent when there is nothing. */
  readonly warnings?: readonly string[];
}

/** An anomaly as the JSON shows it (its flagged edges stay in the store). */
export type AnomalySummary = Pick<Anomaly, 'kind' | 'src' | 'dst' | 'ports' | 'flows' | 'reason'>;

/** A group as the JSON shows it (per-host reasons are in groups.csv). */
export type GroupSummary = Pick<DiscoveredGroup, 'id' | 'name' | 'members' | 'confidence' | 'labels' | 'rule' | 'kind' | 'tier' | 'community'>;

export async function summarise(
  db: SqlPort,
  reports: readonly FileReport[],
  timingsMs: AnalysisSummary['timingsMs'],
  discovery: Discovery,
  anomalies: readonly Anomaly[],
  policy: PolicyStage,
): Promise<AnalysisSummary> {
  const [counts] = await db.all<{ edges: number; hosts: number; first: number | null; last: number | null }>(
    `SELECT (SELECT count(*) FROM edges) AS edges,
            (SELECT count(*) FROM (SELECT client AS h FROM edges UNION SELECT server FROM edges)) AS hosts,
            (SELECT min(first_ms) FROM edges) AS first, (SELECT max(last_ms) FROM edges) AS last`,
  );
  const [hostCounts] = await db.all<{ internal: number; external: number; named: number; labelled: number; logons: number }>(
    `SELECT count(*) FILTER (WHERE scope = 'internal') AS internal,
            count(*) FILTER (WHERE scope = 'external') AS external,
            count(*) FILTER (WHERE name IS NOT NULL) AS named,
            (SELECT count(DISTINCT ip) FROM host_labels) AS labelled,
            (SELECT coalesce(sum(count), 0) FROM logons) AS logons
     FROM host_info`,
  );
  const warnings = [await addressPlanWarning(db), ruleExplosionWarning(policy.policy)].filter((warning): warning is string => warning !== null);
  return {
    inputs: [...reports].sort((a, b) => compareText(a.path, b.path)).map(inputSummary),
    hosts: counts?.hosts ?? 0,
    edges: counts?.edges ?? 0,
    window: { from: isoOrNull(counts?.first ?? null), to: isoOrNull(counts?.last ?? null) },
    enrichment: {
      internalHosts: hostCounts?.internal ?? 0,
      externalHosts: hostCounts?.external ?? 0,
      namedHosts: hostCounts?.named ?? 0,
      labelledHosts: hostCounts?.labelled ?? 0,
      logons: hostCounts?.logons ?? 0,
      pods: policy.policy.pods?.length ?? 0,
    },
    timingsMs,
    groups: discovery.groups.map((group) => ({
      id: group.id,
      name: group.name,
      members: group.members,
      confidence: group.confidence,
      labels: group.labels,
      rule: group.rule,
      kind: group.kind,
      tier: group.tier,
      community: group.community,
    })),
    assignments: Object.fromEntries(discovery.assignments.map((assignment) => [assignment.ip, assignment.groupId])),
    labelConflicts: discovery.assignments
      .filter((assignment) => assignment.labelConflicts.length > 0)
      .map((assignment) => ({ ip: assignment.ip, group: assignment.groupId, conflicts: assignment.labelConflicts })),
    clustering: { ...discovery.cut, profiles: discovery.profiles },
    graph: discovery.graph,
    anomalies: anomalies.map((anomaly) => ({ kind: anomaly.kind, src: anomaly.src, dst: anomaly.dst, ports: anomaly.ports, flows: anomaly.flows, reason: anomaly.reason })),
    rules: policy.policy.rules.length,
    simulation: policy.simulation,
    exposure: policy.exposure,
    ...(policy.holdout !== null ? { holdout: policy.holdout } : {}),
    policySha256: policy.policy.contentSha256,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** One input file as the JSON outputs give it (analyze, simulate and drift alike). */
export function inputSummary(report: FileReport): InputSummary {
  const reasons: Record<string, number> = {};
  for (const key of Object.keys(report.rejectReasons).sort()) reasons[key] = report.rejectReasons[key]!;
  return {
    path: report.path,
    format: report.format,
    read: report.read,
    accepted: report.accepted,
    rejected: report.rejected,
    rejectReasons: reasons,
    ...(report.compression !== null ? { compression: report.compression } : {}),
    ...(report.container !== null ? { container: report.container } : {}),
    ...(report.error !== null ? { error: report.error } : {}),
    ...(report.warnings.length > 0 ? { warnings: report.warnings } : {}),
    ...(report.skipped !== null ? { skipped: report.skipped } : {}),
    ...(report.pushdown !== undefined ? { pushdown: { querySha256: report.pushdown.querySha256, source: report.pushdown.source } } : {}),
  };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}
