import { Action, DirectionReason, Hint, type FlowRecord } from '../../flow/record';
import { PROTO_TCP, PROTO_UDP } from '../../flow/protocols';
import type { JsonDocumentFormat, JsonElementParser, RowEmitter, SniffSample } from '../format';
import { RowError } from '../row-error';
import { counter, epochSeconds, ip, port } from '../values';
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
  resourceName,
  userRuleName,
} from './azure-records';
import { ObservedLabels, PLACEMENT_KEYS } from '../observed-labels';
import { isObject, textOf } from './json-fields';

/**
 * Azure NSG flow logs, version 1 (8-field tuples) and version 2 (13 fields:
 * flow state and both directions' counters). Records nest
 * properties.flows[] (one per rule) → flows[] (one per MAC) → flowTuples[].
 */

const NSG_CATEGORY = 'NetworkSecurityGroupFlowEvent';

/** Tuple: time, src, dst, sport, dport, proto, direction, decision[, state, pkts→, bytes→, pkts←, bytes←]. */
export function readNsgTuple(fields: readonly string[], record: FlowRecord): void {
  const count = fields.length;
  if (count !== 8 && count !== 13) {
    throw new RowError('flowTuple', 'expected 8 (version 1) or 13 (version 2) comma-separated fields', `${count} fields`);
  }
  record.startMs = epochSeconds(fields[0], 'time');
  record.endMs = record.startMs;
  record.src = ip(fields[1], 'srcIp');
  record.dst = ip(fields[2], 'dstIp');
  record.proto = letter(fields[5], 'protocol', 'TU') === 'T' ? PROTO_TCP : PROTO_UDP;
  record.srcPort = port(fields[3], 'srcPort');
  record.dstPort = port(fields[4], 'dstPort');
  letter(fields[6], 'direction', 'IO');
  record.action = letter(fields[7], 'decision', 'AD') === 'A' ? Action.allow : Action.deny;
  if (count === 13) {
    // State B (begin) leaves the counters empty; C and E count since the previous tuple.
    letter(fields[8], 'state', 'BCE');
    record.packets = counter(fields[9], 'packetsSent');
    record.bytes = counter(fields[10], 'bytesSent');
    record.revPackets = counter(fields[11], 'packetsReceived');
    record.revBytes = counter(fields[12], 'bytesReceived');
  }
  // NSG tuples are written from the initiator's side whatever the direction (I/O) of the rule.
  record.setHint(Hint.srcIsClient, DirectionReason.initiator);
}

class NsgRecordParser implements JsonElementParser {
  readonly observedLabels = new ObservedLabels();

  parseElement(value: unknown, where: string, rows: RowEmitter): void {
    if (!isObject(value)) {
      rows.reject(new RowError('record', 'expected an object', describeJson(value)), where);
      return;
    }
    const category = value['category'];
    if (typeof category === 'string' && category !== NSG_CATEGORY) {
      rows.reject(new RowError('category', 'not an NSG flow event', category), where);
      return;
    }
    const properties = value['properties'];
    if (!isObject(properties)) {
      const problem = value['flowRecords'] !== undefined ? 'missing: a VNet flow log record in an NSG blob' : 'missing';
      rows.reject(new RowError('properties', problem), `${where}: properties`);
      return;
    }
    const nsg = textOf(value['resourceId']) ?? '';
    const nsgName = resourceName(nsg);
    const labels = this.observedLabels;
    const rules = arrayField(properties, 'flows', 'properties', where, rows);
    if (rules === null) return;
    for (let r = 0; r < rules.length; r++) {
      const rulePath = `properties.flows[${r}]`;
      const rule = objectItem(rules, r, 'properties.flows', where, rows);
      if (rule === null) continue;
      const macs = arrayField(rule, 'flows', rulePath, where, rows);
      if (macs === null) continue;
      const ruleName = userRuleName(rule['rule']);
      // The NIC's address is placed behind the NSG, and the user rule that let it through noted.
      const place = (fields: readonly string[], record: FlowRecord): void => {
        const nic = nicAddress(fields, record);
        labels.add(nic, PLACEMENT_KEYS.azureNsg, nsgName);
        if (record.action === Action.allow) labels.add(nic, PLACEMENT_KEYS.azureAllowedBy, ruleName);
      };
      for (let m = 0; m < macs.length; m++) {
        const macPath = `${rulePath}.flows[${m}]`;
        const group = objectItem(macs, m, `${rulePath}.flows`, where, rows);
        if (group === null) continue;
        const tuples = arrayField(group, 'flowTuples', macPath, where, rows);
        if (tuples === null) continue;
        emitTuples(tuples, `${macPath}.flowTuples`, azureObserver(group['mac'], nsg), readNsgTuple, where, rows, place);
      }
    }
  }
}

export const azureNsgFormat: JsonDocumentFormat = {
  id: 'azure-nsg',
  kind: 'json-document',
  description: 'Azure NSG flow logs (v1, v2)',
  elementPaths: AZURE_ELEMENT_PATHS,
  elementPathsFor: azureElementPaths,
  sniff: (sample: SniffSample) => (azureBlobKind(sample) === 'nsg' ? 1 : 0),
  createParser: () => new NsgRecordParser(),
};
