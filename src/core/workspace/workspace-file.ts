import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { Anomaly } from '../discover/anomalies';
import type { HostAssignment } from '../discover/discover-groups';
import type { ProfileHost } from '../discover/host-features';
import { sha256Hex } from '../policy/canonical-json';
import type { PolicyGroupSource } from '../policy/build-policy';
import type { PolicyLogon } from '../policy/policy-input';
import type { StaticPolicyParts } from '../policy/whatif/whatif-session';
import type { RejectedLine } from '../report/reject-samples';
import type { AnalysisSummary } from '../report/summary';
import type { WorkbenchLog } from '../workbench/workbench';
import { parseWorkbenchLog } from './edit-log';
import { policyEdgesFromIpc, policyEdgesIpc, policyHostsFromIpc, policyHostsIpc, profileEdgesFromIpc, profileEdgesIpc } from './arrow-tables';
import { migrateWorkspace } from './workspace-migrations';
import { WORKSPACE_FORMAT, WORKSPACE_VERSION, WorkspaceError, type WorkspaceContent, type WorkspaceManifest } from './workspace-model';

/** What a workspace may hold once inflated, whole and per entry: far above any real one (tens of millions of edges). */
export const MAX_WORKSPACE_BYTES = 4 * 1024 * 1024 * 1024;
const MAX_ENTRY_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** Zip entries get this time, not the clock's: the same work saves to the same bytes. */
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

/** What analysis.json holds: the analysis's smaller parts, as plain JSON. */
interface AnalysisEntry {
  readonly groups: readonly PolicyGroupSource[];
  readonly assignments: readonly HostAssignment[];
  readonly anomalies: readonly Anomaly[];
  readonly flagged: readonly string[];
  readonly logons: readonly PolicyLogon[];
  readonly parts: Omit<StaticPolicyParts, 'hosts'>;
  readonly discoveryHosts: readonly ProfileHost[];
  /** False when the replay is a hold-out, kept in replay-edges.arrow. */
  readonly replayIsTraining: boolean;
}

export function writeWorkspace(content: WorkspaceContent): Uint8Array {
  const { material, summary, log, page, rejects } = content;
  const { policy } = material;
  const replayIsTraining = policy.replay === policy.edges;
  const analysis: AnalysisEntry = {
    groups: policy.groups,
    assignments: material.assignments,
    anomalies: material.anomalies,
    flagged: [...policy.flagged].sort(),
    logons: policy.logons,
    parts: {
      settings: policy.parts.settings,
      analysis: policy.parts.analysis,
      inputs: policy.parts.inputs,
      window: policy.parts.window,
      // Only when there are pods: a workspace of hosts alone saves to the same bytes as before pods were kept.
      ...(policy.parts.pods !== undefined && policy.parts.pods.length > 0 ? { pods: policy.parts.pods } : {}),
    },
    discoveryHosts: material.discoveryInput.hosts,
    replayIsTraining,
  };
  const entries: [string, Uint8Array][] = [
    ['summary.json', json(summary)],
    ['analysis.json', json(analysis)],
    ['hosts.arrow', policyHostsIpc([...policy.hosts.values()])],
    ['policy-edges.arrow', policyEdgesIpc(policy.edges)],
    ...(replayIsTraining ? [] : ([['replay-edges.arrow', policyEdgesIpc(policy.replay)]] as [string, Uint8Array][])),
    ['discovery-edges.arrow', profileEdgesIpc(material.discoveryInput.edges)],
    ['edits.json', json(log)],
    ['page.json', json(page ?? null)],
    ...(rejects !== undefined && Object.keys(rejects).length > 0 ? ([['rejects.json', json(rejects)]] as [string, Uint8Array][]) : []),
  ];
  const manifest: WorkspaceManifest = {
    format: WORKSPACE_FORMAT,
    version: WORKSPACE_VERSION,
    inputs: policy.parts.inputs,
    entries: Object.fromEntries(entries.map(([name, bytes]) => [name, { bytes: bytes.length, sha256: sha256Hex(bytes) }])),
  };
  const zippable: Zippable = { 'manifest.json': [json(manifest), { mtime: FIXED_MTIME }] };
  for (const [name, bytes] of entries) zippable[name] = [bytes, { mtime: FIXED_MTIME, level: name.endsWith('.arrow') ? 6 : 9 }];
  return zipSync(zippable);
}

/** Reads a workspace file back; throws a WorkspaceError naming what is wrong. */
export function readWorkspace(bytes: Uint8Array, source = 'the workspace'): WorkspaceContent {
  let files: Record<string, Uint8Array>;
  let total = 0;
  try {
    // The sizes a zip declares are checked before anything is inflated: a crafted file cannot exhaust memory.
    files = unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (file.originalSize > MAX_ENTRY_BYTES || total > MAX_WORKSPACE_BYTES) throw new WorkspaceError(`${source} declares more than ${MAX_WORKSPACE_BYTES} bytes of content: refused`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof WorkspaceError) throw error;
    throw new WorkspaceError(`${source} is not a Flowfence workspace (not a readable zip: ${error instanceof Error ? error.message : String(error)})`);
  }
  const manifestBytes = files['manifest.json'];
  if (manifestBytes === undefined) throw new WorkspaceError(`${source} is not a Flowfence workspace (it has no manifest.json)`);
  const manifest = parseJson(manifestBytes, 'manifest.json') as Partial<WorkspaceManifest> | null;
  if (manifest?.format !== WORKSPACE_FORMAT) throw new WorkspaceError(`${source} is not a Flowfence workspace (manifest.json names no "${WORKSPACE_FORMAT}" format)`);
  if (typeof manifest.version !== 'number' || typeof manifest.entries !== 'object' || manifest.entries === null) throw new WorkspaceError(`${source}: manifest.json has no version or entries`);
  if (manifest.version > WORKSPACE_VERSION) throw new WorkspaceError(`${source} was saved by a newer Flowfence (workspace version ${manifest.version}; this one reads up to ${WORKSPACE_VERSION})`);
  for (const [name, expected] of Object.entries(manifest.entries)) {
    const entry = files[name];
    if (entry === undefined) throw new WorkspaceError(`${source} is damaged: ${name} is missing`);
    if (entry.length !== expected.bytes || sha256Hex(entry) !== expected.sha256) throw new WorkspaceError(`${source} is damaged: ${name} does not match its digest`);
  }
  const entries = migrateWorkspace(manifest.version, files, source);
  const entry = (name: string): Uint8Array => {
    const found = entries[name];
    if (found === undefined) throw new WorkspaceError(`${source} is damaged: ${name} is missing`);
    return found;
  };
  const analysis = parseJson(entry('analysis.json'), 'analysis.json') as AnalysisEntry;
  checkAnalysisEntry(analysis, source);
  const summary = parseJson(entry('summary.json'), 'summary.json') as AnalysisSummary;
  checkSummary(summary, source);
  const hostList = policyHostsFromIpc(entry('hosts.arrow'), 'hosts.arrow');
  const hosts = new Map(hostList.map((host) => [host.ip, host]));
  const edges = policyEdgesFromIpc(entry('policy-edges.arrow'), 'policy-edges.arrow');
  const replay = analysis.replayIsTraining ? edges : policyEdgesFromIpc(entry('replay-edges.arrow'), 'replay-edges.arrow');
  const log: WorkbenchLog = parseWorkbenchLog(parseJson(entry('edits.json'), 'edits.json'), `${source}: edits.json`);
  return {
    summary,
    material: {
      policy: {
        edges,
        replay,
        flagged: new Set(analysis.flagged),
        hosts,
        logons: analysis.logons,
        groups: analysis.groups,
        assignment: new Map(analysis.assignments.map((assignment) => [assignment.ip, assignment.groupId])),
        parts: { ...analysis.parts, hosts },
      },
      discoveryInput: { hosts: analysis.discoveryHosts, edges: profileEdgesFromIpc(entry('discovery-edges.arrow'), 'discovery-edges.arrow') },
      assignments: analysis.assignments,
      anomalies: analysis.anomalies,
    },
    log,
    page: parseJson(entry('page.json'), 'page.json'),
    rejects: entries['rejects.json'] === undefined ? {} : parseRejects(parseJson(entries['rejects.json'], 'rejects.json'), source),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * The shape of analysis.json, down to each group, assignment and anomaly:
 * a file may have been altered (its digests recomputed), and the engine
 * trusts these types. A check names the first thing that is wrong.
 */
function checkAnalysisEntry(value: unknown, source: string): asserts value is AnalysisEntry {
  const fail = (what: string): never => {
    throw new WorkspaceError(`${source}: analysis.json ${what}`);
  };
  if (!isObject(value)) fail('is not an object');
  const entry = value as Record<string, unknown>;
  for (const key of ['groups', 'assignments', 'anomalies', 'flagged', 'logons', 'discoveryHosts']) if (!Array.isArray(entry[key])) fail(`has no list of ${key}`);
  if (!isObject(entry.parts) || !isObject(entry.parts.settings)) fail('has no settings');
  if (typeof entry.replayIsTraining !== 'boolean') fail('does not say whether the replay is the training window');
  const pods = (entry.parts as Record<string, unknown>).pods;
  if (pods !== undefined) {
    if (!Array.isArray(pods)) fail('lists its pods in something other than a list');
    (pods as unknown[]).forEach((pod, index) => {
      if (!isPolicyPod(pod)) fail(`pod ${index + 1} is not {namespace, pod, ips, labels, owner, hostIp, hostNetwork, source}`);
    });
  }
  (entry.groups as unknown[]).forEach((group, index) => {
    if (!isObject(group) || !isString(group.id) || !isString(group.name) || !isString(group.kind) || !isObject(group.labels) || !Array.isArray(group.members) || !group.members.every(isString)) fail(`group ${index + 1} is not {id, name, kind, labels, members}`);
  });
  (entry.assignments as unknown[]).forEach((assignment, index) => {
    if (!isObject(assignment) || !isString(assignment.ip) || !isString(assignment.groupId) || typeof assignment.confidence !== 'number' || !isString(assignment.reason) || !Array.isArray(assignment.labelConflicts)) fail(`assignment ${index + 1} is not {ip, groupId, confidence, reason, labelConflicts}`);
  });
  (entry.anomalies as unknown[]).forEach((anomaly, index) => {
    if (!isObject(anomaly) || !isString(anomaly.kind) || !isString(anomaly.src) || !isString(anomaly.dst) || !Array.isArray(anomaly.ports) || typeof anomaly.flows !== 'number' || !isString(anomaly.reason) || !Array.isArray(anomaly.edges) || !anomaly.edges.every(isString)) fail(`anomaly ${index + 1} is not {kind, src, dst, ports, flows, reason, edges}`);
  });
  if (!(entry.flagged as unknown[]).every(isString)) fail('lists a flagged edge that is not text');
  (entry.discoveryHosts as unknown[]).forEach((host, index) => {
    if (!isObject(host) || !isString(host.ip) || !isString(host.sortKey) || !Array.isArray(host.labels)) fail(`discovery host ${index + 1} is not {ip, sortKey, labels}`);
  });
}

/** A pod as the policy keeps it (PolicyPod), checked down to each label: an export selects pods by them. */
function isPolicyPod(value: unknown): boolean {
  if (!isObject(value) || !isString(value.namespace) || !isString(value.pod) || !Array.isArray(value.ips) || !value.ips.every(isString)) return false;
  if (!isObject(value.labels) || !Object.values(value.labels).every(isString)) return false;
  const owner = value.owner;
  if (owner !== null && !(isObject(owner) && isString(owner.kind) && isString(owner.name))) return false;
  return (value.hostIp === null || isString(value.hostIp)) && typeof value.hostNetwork === 'boolean' && (value.source === 'pod-list' || value.source === 'flows');
}

/** The parts of summary.json the page reads first: a summary without them would leave it blank. */
function checkSummary(value: unknown, source: string): asserts value is AnalysisSummary {
  const summary = value as Partial<Record<string, unknown>> | null;
  if (!isObject(summary) || !Array.isArray(summary.inputs) || !Array.isArray(summary.groups) || !Array.isArray(summary.anomalies) || !isObject(summary.window) || !isObject(summary.enrichment) || !isObject(summary.clustering) || !isObject(summary.assignments)) {
    throw new WorkspaceError(`${source}: summary.json lacks the analysis's inputs, groups, anomalies, window or clustering`);
  }
}

/** Rejected lines by file, each {line, reason}: checked, as everything else a file may have altered. */
function parseRejects(value: unknown, source: string): Record<string, RejectedLine[]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new WorkspaceError(`${source}: rejects.json is not an object of files`);
  const out: Record<string, RejectedLine[]> = {};
  for (const [path, lines] of Object.entries(value)) {
    if (!Array.isArray(lines) || !lines.every((entry) => typeof entry?.line === 'number' && typeof entry?.reason === 'string')) throw new WorkspaceError(`${source}: rejects.json lists something other than {line, reason} for ${path}`);
    out[path] = lines.map((entry: RejectedLine) => ({ line: entry.line, reason: entry.reason }));
  }
  return out;
}

function json(value: unknown): Uint8Array {
  return strToU8(JSON.stringify(value));
}

function parseJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(strFromU8(bytes));
  } catch (error) {
    throw new WorkspaceError(`${name} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
