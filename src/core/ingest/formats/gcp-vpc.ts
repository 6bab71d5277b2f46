import { NO_PORT, type FlowRecord } from '../../flow/record';
import { hasPorts } from '../../flow/protocols';
import type { LineFormat, LineParser, ParseOptions, SniffSample } from '../format';
import { ObservedLabels, PLACEMENT_KEYS } from '../observed-labels';
import { ObservedNames } from '../observed-names';
import { ObservedPods, type ObservedPod } from '../observed-pods';
import { ownerFromPodName } from '../../enrich/pod-names';
import { RowError } from '../row-error';
import { checkTimeOrder, ip, isoTime, numericCounter, optionalPort, protocol } from '../values';
import { at, isObject, parseJsonLine, requireText, textOf } from './json-fields';

/**
 * GCP VPC Flow Logs as Cloud Logging LogEntry JSON, one entry per line (the
 * Cloud Storage and Pub/Sub sink layout). Each entry is one direction of a
 * connection, reported by the VM at one end (reporter SRC or DEST); when both
 * ends are VMs the same direction is reported twice, once by each.
 *
 * GKE pods (`*_gke_details`) are recorded as observed pods, as Hubble's
 * endpoints are: the address is the pod's, and the instance is its node.
 *
 * A `gcloud logging read --format=json` array is not accepted: the driver
 * reads a format either line by line or as one streamed document, and the
 * sink layout is what holds large volumes.
 */

function connectionOf(payload: Record<string, unknown>): Record<string, unknown> {
  const connection = payload['connection'];
  if (isObject(connection)) return connection;
  throw new RowError('jsonPayload.connection', connection === undefined ? 'missing' : 'expected an object');
}

/**
 * The reporting VM plus its side. A VM reports both directions of its
 * connections; the side keeps one VM's SRC and DEST reports apart, and the
 * VM keeps the two ends' reports of one direction apart.
 */
function observerOf(payload: Record<string, unknown>, reporter: string): string {
  const side = reporter === 'SRC' ? 'src' : reporter === 'DEST' ? 'dest' : '';
  if (side === '') return reporter;
  const instance = payload[`${side}_instance`];
  if (isObject(instance)) {
    const vm = textOf(instance['vm_name']);
    if (vm !== undefined) return `${reporter} ${textOf(instance['project_id']) ?? ''}/${textOf(instance['zone']) ?? ''}/${vm}`;
  }
  const vpc = payload[`${side}_vpc`];
  if (isObject(vpc)) {
    const subnet = textOf(vpc['subnetwork_name']);
    if (subnet !== undefined) return `${reporter} ${textOf(vpc['project_id']) ?? ''}/${subnet}`;
  }
  return reporter;
}

interface Observed {
  readonly names: ObservedNames;
  readonly labels: ObservedLabels;
  readonly pods: ObservedPods;
}

function readEntry(entry: unknown, record: FlowRecord, observed: Observed): void {
  if (!isObject(entry)) throw new RowError('', 'expected a JSON object (a LogEntry)');
  const logName = entry['logName'];
  if (typeof logName === 'string' && !logName.endsWith('vpc_flows')) {
    throw new RowError('logName', 'not a VPC flow log entry', logName);
  }
  const payload = entry['jsonPayload'];
  if (!isObject(payload)) throw new RowError('jsonPayload', payload === undefined ? 'missing' : 'expected an object');
  const connection = connectionOf(payload);
  record.src = ip(textOf(connection['src_ip']), 'jsonPayload.connection.src_ip');
  record.dst = ip(textOf(connection['dest_ip']), 'jsonPayload.connection.dest_ip');
  record.proto = protocol(requireText(connection['protocol'], 'jsonPayload.connection.protocol'), 'jsonPayload.connection.protocol');
  if (hasPorts(record.proto)) {
    record.srcPort = optionalPort(textOf(connection['src_port']), 'jsonPayload.connection.src_port');
    record.dstPort = optionalPort(textOf(connection['dest_port']), 'jsonPayload.connection.dest_port');
  } else {
    // VPC Flow Logs carry no ICMP type or code.
    record.srcPort = NO_PORT;
    record.dstPort = NO_PORT;
  }
  // Counters are int64 in the LogEntry, hence JSON strings.
  record.packets = numericCounter(payload['packets_sent'], 'jsonPayload.packets_sent');
  record.bytes = numericCounter(payload['bytes_sent'], 'jsonPayload.bytes_sent');
  const start = payload['start_time'];
  if (start === undefined) {
    record.startMs = isoTime(textOf(entry['timestamp']), 'timestamp');
    record.endMs = record.startMs;
  } else {
    record.startMs = isoTime(textOf(start), 'jsonPayload.start_time');
    const end = payload['end_time'];
    record.endMs = end === undefined ? record.startMs : isoTime(textOf(end), 'jsonPayload.end_time');
    checkTimeOrder(record.startMs, record.endMs, 'jsonPayload.end_time');
  }
  const reporter = payload['reporter'];
  if (reporter !== undefined) {
    if (reporter !== 'SRC' && reporter !== 'DEST') throw new RowError('jsonPayload.reporter', 'expected SRC or DEST', String(reporter));
    record.observer = observerOf(payload, reporter);
  }
  // Each entry is one direction with no initiator or flags: direction is left to the data set.
  // Last, once nothing can reject the row: the pods and VMs it names (an external address of a VM is that VM too).
  // A GKE pod's instance is its node: the pod names the address, the node's name does not.
  for (const [side, address] of [['src', record.src], ['dest', record.dst]] as const) {
    const pod = gkePod(payload[`${side}_gke_details`], address);
    if (pod !== null) {
      observed.pods.add(pod);
      continue;
    }
    const vm = vmName(payload[`${side}_instance`]);
    if (vm !== undefined) observed.names.add(address, vm);
  }
  place(payload['src_vpc'], record.src, observed.labels);
  place(payload['dest_vpc'], record.dst, observed.labels);
}

/** The VPC ("project/vpc": VPC names repeat across projects) and subnet an end sits in. */
function place(vpc: unknown, address: string, labels: ObservedLabels): void {
  if (!isObject(vpc)) return;
  const name = textOf(vpc['vpc_name']);
  if (name !== undefined && name !== '') {
    const project = textOf(vpc['project_id']);
    labels.add(address, PLACEMENT_KEYS.gcpVpc, project === undefined || project === '' ? name : `${project}/${name}`);
  }
  labels.add(address, PLACEMENT_KEYS.gcpSubnet, textOf(vpc['subnetwork_name']));
}

/** GKE's workload types, as Kubernetes spells the kinds. */
const WORKLOAD_KINDS: Readonly<Record<string, string>> = {
  DEPLOYMENT: 'Deployment',
  REPLICA_SET: 'ReplicaSet',
  STATEFUL_SET: 'StatefulSet',
  DAEMON_SET: 'DaemonSet',
  JOB: 'Job',
  CRON_JOB: 'CronJob',
  REPLICATION_CONTROLLER: 'ReplicationController',
  RC: 'ReplicationController',
};

/**
 * The GKE pod at one end (`*_gke_details.pod`: pod_name, pod_namespace and
 * pod_workload {workload_name, workload_type}), or null when the record
 * names none. GKE gives no labels; the workload, or the ReplicaSet the pod's
 * name carries, identifies it as a pod list's owner would.
 */
function gkePod(details: unknown, ip: string): ObservedPod | null {
  const pod = at(details, 'pod');
  const name = textOf(at(pod, 'pod_name'));
  const namespace = textOf(at(pod, 'pod_namespace'));
  if (name === undefined || name === '' || namespace === undefined || namespace === '') return null;
  const workload = at(pod, 'pod_workload');
  const workloadName = textOf(at(workload, 'workload_name'));
  const kind = WORKLOAD_KINDS[textOf(at(workload, 'workload_type')) ?? ''];
  const owner = workloadName !== undefined && workloadName !== '' && kind !== undefined ? { kind, name: workloadName } : ownerFromPodName(name);
  return { ip, namespace, pod: name, labels: {}, owner };
}

function vmName(instance: unknown): string | undefined {
  const name = isObject(instance) ? textOf(instance['vm_name']) : undefined;
  return name === '' ? undefined : name;
}

class GcpLineParser implements LineParser {
  readonly observedNames: ObservedNames;
  readonly observedLabels: ObservedLabels;
  readonly observedPods: ObservedPods;
  private readonly observed: Observed;

  constructor(options: ParseOptions) {
    this.observedNames = new ObservedNames(options.recordObserved === true);
    this.observedLabels = new ObservedLabels(options.recordObserved === true);
    this.observedPods = new ObservedPods(options.recordObserved === true);
    this.observed = { names: this.observedNames, labels: this.observedLabels, pods: this.observedPods };
  }

  parseLine(line: string, _lineNo: number, record: FlowRecord): boolean {
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0)) return false;
    readEntry(parseJsonLine(line), record, this.observed);
    return true;
  }
}

const VPC_FLOW_HINTS = /"jsonPayload"\s*:/;
const CONNECTION = /"connection"\s*:\s*\{/;

/** True when a line is a LogEntry carrying a VPC flow. */
function isVpcFlowEntry(line: string): boolean {
  if (!VPC_FLOW_HINTS.test(line) || !CONNECTION.test(line)) return false;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  const payload = at(value, 'jsonPayload');
  if (!isObject(payload) || !isObject(payload['connection'])) return false;
  const logName = at(value, 'logName');
  if (typeof logName === 'string') return logName.endsWith('vpc_flows');
  return payload['reporter'] === 'SRC' || payload['reporter'] === 'DEST' || payload['bytes_sent'] !== undefined;
}

function sniff(sample: SniffSample): number {
  const first = sample.lines[0];
  if (first === undefined || first.charCodeAt(0) !== 123 /* { */) return 0;
  return isVpcFlowEntry(first) ? 1 : 0;
}

export const gcpVpcFormat: LineFormat = {
  id: 'gcp-vpc',
  kind: 'lines',
  description: 'GCP VPC Flow Logs (Cloud Logging LogEntry NDJSON)',
  sniff,
  split: { context: 'none' },
  createParser: (options) => new GcpLineParser(options),
};
