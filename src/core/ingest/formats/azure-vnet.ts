import { Action, DirectionReason, Hint, NO_PORT, type FlowRecord } from '../../flow/record';
import { hasPorts } from '../../flow/protocols';
import type { JsonDocumentFormat, JsonElementParser, RowEmitter, SniffSample } from '../format';
import { RowError } from '../row-error';
import { counter, epochMillis, ip, port, protocol } from '../values';
import {
  AZURE_ELEMENT_PATHS, azureElementPaths,
  arrayField,
  azureBlobKind,
  azureObserver,
  describeJson,
  emitTuples,
  letter,
  nicAddress,
  objectItem,
  resourceKindAndName,
  userRuleName,
} from './azure-records';
import { ObservedLabels, PLACEMENT_KEYS } from '../observed-labels';
import { isObject } from './json-fields';

/**
 * Azure VNet flow logs (flowLogVersion 4). Records nest
 * flowRecords.flows[] (one per ACL: NSG or Virtual Network Manager) →
 * flowGroups[] (one per rule) → flowTuples[]. Unlike NSG logs, times are epoch
 * milliseconds, the protocol is a number, there is no decision field (state D
 * means denied) and denied tuples carry zero counters.
 */

const VNET_CATEGORY = 'FlowLogFlowEvent';
const TUPLE_FIELDS = 13;

/** Tuple: time(ms), src, dst, sport, dport, proto, direction, state, encryption, pkts→, bytes→, pkts←, bytes←. */
export function readVnetTuple(fields: readonly string[], record: FlowRecord): void {
  if (fields.length !== TUPLE_FIELDS) {
    throw new RowError('flowTuple', 'expected 13 comma-separated fields', `${fields.length} fields`);
  }
  record.startMs = epochMillis(fields[0], 'time');
  record.endMs = record.startMs;
  record.src = ip(fields[1], 'srcIp');
  record.dst = ip(fields[2], 'dstIp');
  record.proto = protocol(fields[5], 'protocol');
  if (hasPorts(record.proto)) {
    record.srcPort = port(fields[3], 'srcPort');
    record.dstPort = port(fields[4], 'dstPort');
  } else {
    // ICMP and others: the tuple's ports are placeholders and the ICMP type is not recorded.
    record.srcPort = NO_PORT;
    record.dstPort = NO_PORT;
  }
  letter(fields[6], 'direction', 'IO');
  record.action = letter(fields[7], 'state', 'BCED') === 'D' ? Action.deny : Action.allow;
  record.packets = counter(fields[9], 'packetsSent');
  record.bytes = counter(fields[10], 'bytesSent');
  record.revPackets = counter(fields[11], 'packetsReceived');
  record.revBytes = counter(fields[12], 'bytesReceived');
  // As in NSG logs, the tuple's source is the side that opened the flow.
  record.setHint(Hint.srcIsClient, DirectionReason.initiator);
}

class VnetRecordParser implements JsonElementParser {
  readonly observedLabels = new ObservedLabels();

  parseElement(value: unknown, where: string, rows: RowEmitter): void {
    if (!isObject(value)) {
      rows.reject(new RowError('record', 'expected an object', describeJson(value)), where);
      return;
    }
    const category = value['category'];
    if (typeof category === 'string' && category !== VNET_CATEGORY) {
      rows.reject(new RowError('category', 'not a VNet flow log event', category), where);
      return;
    }
    const flowRecords = value['flowRecords'];
    if (!isObject(flowRecords)) {
      const problem = value['properties'] !== undefined ? 'missing: an NSG flow log record in a VNet blob' : 'missing';
      rows.reject(new RowError('flowRecords', problem), `${where}: flowRecords`);
      return;
    }
    const mac = value['macAddress'];
    // The flow log's target: the VNet, subnet or NIC it was enabled on.
    const network = resourceKindAndName(value['targetResourceID']);
    const labels = this.observedLabels;
    const acls = arrayField(flowRecords, 'flows', 'flowRecords', where, rows);
    if (acls === null) return;
    for (let a = 0; a < acls.length; a++) {
      const aclPath = `flowRecords.flows[${a}]`;
      const acl = objectItem(acls, a, 'flowRecords.flows', where, rows);
      if (acl === null) continue;
      const groups = arrayField(acl, 'flowGroups', aclPath, where, rows);
      if (groups === null) continue;
      const observer = azureObserver(mac, acl['aclID']);
      for (let g = 0; g < groups.length; g++) {
        const groupPath = `${aclPath}.flowGroups[${g}]`;
        const group = objectItem(groups, g, `${aclPath}.flowGroups`, where, rows);
        if (group === null) continue;
        const tuples = arrayField(group, 'flowTuples', groupPath, where, rows);
        if (tuples === null) continue;
        const ruleName = userRuleName(group['rule']);
        const place = (fields: readonly string[], record: FlowRecord): void => {
          const nic = nicAddress(fields, record);
          labels.add(nic, PLACEMENT_KEYS.azureNetwork, network);
          if (record.action === Action.allow) labels.add(nic, PLACEMENT_KEYS.azureAllowedBy, ruleName);
        };
        emitTuples(tuples, `${groupPath}.flowTuples`, observer, readVnetTuple, where, rows, place);
      }
    }
  }
}

export const azureVnetFormat: JsonDocumentFormat = {
  id: 'azure-vnet',
  kind: 'json-document',
  description: 'Azure VNet flow logs (v4)',
  elementPaths: AZURE_ELEMENT_PATHS,
  elementPathsFor: azureElementPaths,
  sniff: (sample: SniffSample) => (azureBlobKind(sample) === 'vnet' ? 1 : 0),
  createParser: () => new VnetRecordParser(),
};
