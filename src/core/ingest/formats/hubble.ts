import { applyPacketFlagsHint } from '../../flow/direction-hints';
import { Action, DirectionReason, Hint, type ActionCode, type FlowRecord } from '../../flow/record';
import { PROTO_TCP } from '../../flow/protocols';
import type { LineFormat, LineParser, ParseOptions, SniffSample } from '../format';
import { RowError } from '../row-error';
import { ip, isoTime } from '../values';
import { ObservedPods } from '../observed-pods';
import { endpointPod } from './hubble-endpoint';
import { readL4 } from './hubble-l4';
import { isObject, parseJsonLine, textOf } from './json-fields';

/**
 * Cilium Hubble flows as written by `hubble observe -o json|jsonpb`: one
 * GetFlowsResponse per line ({"flow":{…},"node_name":…,"time":…}), or a bare
 * Flow per line from older CLIs.
 *
 * Hubble events carry no byte or packet counters: each record is one traced
 * packet, policy verdict or L7 message, so counters stay 0.
 *
 * L7 records are accepted. They name the same pod addresses and ports as the
 * L3/L4 flows they ride on (the proxy is transparent; a `reserved:world` label
 * on an L7 peer is an identity-resolution artefact, not another address),
 * carry an explicit request/response direction, and are their own observer
 * (node:L7) so the downstream maximum across observers does not count them
 * twice. They are sometimes the only pod-to-pod record of a connection: the
 * proxy's upstream L3/L4 leg leaves from the node's address (the endpoint that
 * has the client's labels but no pod_name), so in the Bookinfo capture
 * reviews→ratings:9080 between pod addresses exists only as L7 records.
 */

/** Other GetFlowsResponse payloads: lines of the export that are not flows. */
const NON_FLOW_RESPONSES = ['node_status', 'lost_events', 'debug_event', 'agent_event'] as const;

/** Socket-LB translation events duplicate the connection's L3/L4 flows, pre-translation ones with service addresses. */
const REJECTED_TYPES = new Set(['SOCK', 'UNKNOWN_TYPE']);

function actionOf(verdict: unknown): ActionCode {
  switch (verdict) {
    case 'FORWARDED':
    case 'REDIRECTED': // admitted by L3/L4 policy and handed to the proxy, which emits its own L7 verdict
      return Action.allow;
    case 'DROPPED':
      return Action.deny;
    default:
      // AUDIT (would be denied, yet forwarded), ERROR, TRACED, TRANSLATED: no policy outcome to report.
      return Action.unknown;
  }
}

/** Where on the node the packet was seen; event kinds without a trace point get their own name. */
function observationPoint(flow: Record<string, unknown>): string {
  const point = flow['trace_observation_point'];
  if (typeof point === 'string' && point !== 'UNKNOWN_POINT') return point;
  if (flow['Type'] === 'L7') return 'L7';
  const event = flow['event_type'];
  const type = isObject(event) ? event['type'] : undefined;
  switch (type) {
    case 1:
      return 'DROP';
    case 4:
      return `TRACE_${textOf(isObject(event) ? event['sub_type'] : undefined) ?? '0'}`;
    case 5:
      return 'POLICY_VERDICT';
    case 129:
      return 'L7';
    default:
      return type === undefined ? '' : `EVENT_${textOf(type) ?? '?'}`;
  }
}

/** The Flow of one line; throws for responses that are not flows. */
function flowOf(value: unknown): { flow: Record<string, unknown>; nodeName: unknown; time: unknown } {
  if (!isObject(value)) throw new RowError('', 'expected a JSON object (a Hubble flow)');
  const flow = value['flow'];
  if (isObject(flow)) return { flow, nodeName: flow['node_name'] ?? value['node_name'], time: flow['time'] ?? value['time'] };
  if (flow === undefined && isBareFlow(value)) return { flow: value, nodeName: value['node_name'], time: value['time'] };
  for (const key of NON_FLOW_RESPONSES) {
    if (value[key] !== undefined) throw new RowError(key, 'not a flow event');
  }
  throw new RowError('flow', flow === undefined ? 'missing' : 'expected an object');
}

function isBareFlow(value: Record<string, unknown>): boolean {
  return (isObject(value['IP']) || isObject(value['l4'])) && (typeof value['verdict'] === 'string' || typeof value['Type'] === 'string');
}

function readFlow(value: unknown, record: FlowRecord, observed: ObservedPods): void {
  const { flow, nodeName, time } = flowOf(value);
  const type = flow['Type'];
  if (typeof type === 'string' && REJECTED_TYPES.has(type)) {
    throw new RowError('Type', type === 'SOCK' ? 'socket translation event, not a packet flow' : 'unknown event type');
  }
  const addresses = flow['IP'];
  if (!isObject(addresses)) throw new RowError('IP', addresses === undefined ? 'missing (not an IP flow)' : 'expected an object');
  record.src = ip(textOf(addresses['source']), 'IP.source');
  record.dst = ip(textOf(addresses['destination']), 'IP.destination');
  record.startMs = isoTime(textOf(time), 'time');
  record.endMs = record.startMs;
  readL4(flow['l4'], record);
  record.action = actionOf(flow['verdict']);
  // Strength order: TCP flags > reply field > ICMP type (set by readL4); the stronger is applied last.
  const isReply = flow['is_reply'];
  if (typeof isReply === 'boolean') {
    record.setHint(isReply ? Hint.srcIsServer : Hint.srcIsClient, DirectionReason.replyField);
  } else if (flow['reply'] === true) {
    // The older plain bool is omitted when false, so only its true value is evidence.
    record.setHint(Hint.srcIsServer, DirectionReason.replyField);
  }
  if (record.proto === PROTO_TCP) applyPacketFlagsHint(record, record.tcpFlags);
  const node = textOf(nodeName) ?? '';
  const point = observationPoint(flow);
  record.observer = node === '' && point === '' ? '' : `${node}:${point}`;
  // Last, once nothing can reject the row: the pods it names.
  const sourcePod = endpointPod(flow['source'], record.src);
  if (sourcePod !== null) observed.add(sourcePod);
  const destinationPod = endpointPod(flow['destination'], record.dst);
  if (destinationPod !== null) observed.add(destinationPod);
}

class HubbleLineParser implements LineParser {
  readonly observedPods: ObservedPods;

  constructor(options: ParseOptions) {
    this.observedPods = new ObservedPods(options.recordObserved === true);
  }

  parseLine(line: string, _lineNo: number, record: FlowRecord): boolean {
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim().length === 0)) return false;
    readFlow(parseJsonLine(line), record, this.observedPods);
    return true;
  }
}

const FLOW_KEY = /^\s*\{\s*"flow"\s*:\s*\{/;
const BARE_FLOW_KEYS = /"verdict"\s*:\s*"|"Type"\s*:\s*"(?:L3_L4|L7)"/;

/** 1 for a Hubble flow line, 0.5 for another Hubble response, 0 otherwise. */
function lineScore(line: string): number {
  if (line.charCodeAt(0) !== 123 /* { */) return 0;
  const wrapped = FLOW_KEY.test(line);
  if (!wrapped && !BARE_FLOW_KEYS.test(line) && !/"node_status"|"lost_events"/.test(line)) return 0;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 0;
  }
  if (!isObject(value) || typeof value['event_type'] === 'string') return 0; // Suricata EVE also has "flow"
  const flow = value['flow'];
  if (isObject(flow)) return isObject(flow['IP']) || isObject(flow['l4']) || typeof flow['verdict'] === 'string' ? 1 : 0;
  if (isBareFlow(value)) return isObject(value['source']) || isObject(value['destination']) || value['node_name'] !== undefined ? 1 : 0;
  return value['node_status'] !== undefined || value['lost_events'] !== undefined ? 0.5 : 0;
}

function sniff(sample: SniffSample): number {
  const lines = sample.lines;
  const count = Math.min(lines.length, 5);
  for (let i = 0; i < count; i++) {
    const score = lineScore(lines[i]!);
    if (score === 0) return 0;
    if (score === 1) return 1;
  }
  return 0;
}

export const hubbleFormat: LineFormat = {
  id: 'hubble',
  kind: 'lines',
  description: 'Cilium Hubble flows (hubble observe -o json)',
  sniff,
  split: { context: 'none' },
  createParser: (options) => new HubbleLineParser(options),
};
