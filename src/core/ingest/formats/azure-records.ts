import type { FlowRecord } from '../../flow/record';
import type { RowEmitter, SniffSample } from '../format';
import { RowError } from '../row-error';
import { isObject, textOf } from './json-fields';

/**
 * What NSG flow logs (v1, v2) and VNet flow logs (v4) share: records that
 * nest groups of comma-separated flow tuples, one row per tuple. Records
 * arrive as the storage blob `{"records":[…]}`, as a bare array of records,
 * or one record per line (Event Hubs and log shippers forward them so).
 */

/** Each record is streamed on its own: a blob can be one line of many megabytes. */
export const AZURE_ELEMENT_PATHS: readonly string[] = ['$.records.*'];

/** Where the records are, from the start of the file. */
export function azureElementPaths(sample: SniffSample): readonly string[] {
  const start = sample.text.trimStart();
  if (RECORDS_START.test(start)) return AZURE_ELEMENT_PATHS;
  if (start.startsWith('[')) return ['$.*'];
  return ['$'];
}

export type AzureBlobKind = 'nsg' | 'vnet';

const RECORDS_START = /^\s*\{\s*"records"\s*:\s*\[\s*\{/;
const RECORD_START = /^\s*(\[\s*)?\{\s*"(time|category|systemId|resourceId|flowLogVersion|macAddress|operationName|properties|flowRecords)"/;
const NSG_CATEGORY = /"category"\s*:\s*"NetworkSecurityGroupFlowEvent"/;
const VNET_MARKERS = /"flowLogVersion"\s*:|"flowRecords"\s*:|"category"\s*:\s*"FlowLogFlowEvent"/;
const NSG_SHAPE = /"properties"\s*:\s*\{[^]*"flowTuples"\s*:/;

/**
 * Which Azure flow log the sample starts, if any. The two kinds are told
 * apart by their record shape (flowLogVersion/flowRecords against NSG
 * properties), so their sniffers never both claim a file.
 */
export function azureBlobKind(sample: SniffSample): AzureBlobKind | null {
  const text = sample.text;
  if (!RECORDS_START.test(text) && !RECORD_START.test(text)) return null;
  if (VNET_MARKERS.test(text)) return 'vnet';
  if (NSG_CATEGORY.test(text) || NSG_SHAPE.test(text)) return 'nsg';
  return null;
}

/** A short description of an unexpected JSON value: never the text of a whole record or array. */
export function describeJson(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? 'undefined';
}

/** The array at `value[key]`, or null after rejecting one row that names what is wrong. */
export function arrayField(
  value: Record<string, unknown>,
  key: string,
  path: string,
  where: string,
  rows: RowEmitter,
): readonly unknown[] | null {
  const found = value[key];
  if (Array.isArray(found)) return found;
  const field = path === '' ? key : `${path}.${key}`;
  const problem = found === undefined || found === null ? 'missing' : 'expected an array';
  rows.reject(new RowError(field, problem, found === undefined ? undefined : describeJson(found)), `${where}: ${field}`);
  return null;
}

/** `items[index]` as an object, or null after rejecting one row for it. */
export function objectItem(items: readonly unknown[], index: number, path: string, where: string, rows: RowEmitter): Record<string, unknown> | null {
  const item = items[index];
  if (isObject(item)) return item;
  const field = `${path}[${index}]`;
  rows.reject(new RowError(field, 'expected an object', describeJson(item)), `${where}: ${field}`);
  return null;
}

/** Fills `record` from the comma-separated fields of one tuple, or throws RowError. */
export type TupleReader = (fields: readonly string[], record: FlowRecord) => void;

/** Told of each tuple read whole, before it is accepted (the record is reused after). */
export type TupleObserver = (fields: readonly string[], record: FlowRecord) => void;

/** One row per tuple: accepted, or rejected with the tuple's JSON path. */
export function emitTuples(
  tuples: readonly unknown[],
  path: string,
  observer: string,
  read: TupleReader,
  where: string,
  rows: RowEmitter,
  onRead?: TupleObserver,
): void {
  for (let i = 0; i < tuples.length; i++) {
    const tuple = tuples[i];
    const record = rows.begin();
    try {
      if (typeof tuple !== 'string') throw new RowError('flowTuple', 'expected a string', describeJson(tuple));
      const fields = tuple.split(',');
      read(fields, record);
      record.observer = observer;
      onRead?.(fields, record);
      rows.accept();
    } catch (error) {
      rows.reject(error, `${where}: ${path}[${i}]`);
    }
  }
}

/**
 * The capture point: one NIC (MAC address) as seen by one evaluator (NSG or
 * ACL). An NSG on the subnet and one on the NIC both log the same connection
 * of the same NIC, and both ends of a connection between two VMs log it; each
 * pair is a distinct observer so that downstream counts the connection once.
 */
export function azureObserver(mac: unknown, evaluator: unknown): string {
  const macText = textOf(mac)?.toUpperCase() ?? '';
  const evaluatorText = textOf(evaluator) ?? '';
  if (macText === '') return evaluatorText;
  return evaluatorText === '' ? macText : `${macText}@${evaluatorText}`;
}

/**
 * The NIC's own address in a tuple: the destination of an inbound (I) flow,
 * the source of an outbound (O) one. Both formats keep the direction in
 * field 6, already checked by the tuple's reader.
 */
export function nicAddress(fields: readonly string[], record: FlowRecord): string {
  return fields[6] === 'I' ? record.dst : record.src;
}

/** The last segment of an Azure resource ID ("…/NETWORKSECURITYGROUPS/WEB-NSG" → "WEB-NSG"), or undefined. */
export function resourceName(resourceId: unknown): string | undefined {
  const text = textOf(resourceId);
  if (text === undefined) return undefined;
  const name = text.replace(/\/+$/, '').split('/').pop();
  return name === '' ? undefined : name;
}

/** "virtualNetworks/myVNet" from a VNet flow log's target resource: the kind of resource and its name. */
export function resourceKindAndName(resourceId: unknown): string | undefined {
  const parts = (textOf(resourceId) ?? '').replace(/\/+$/, '').split('/');
  if (parts.length < 2 || parts[parts.length - 1] === '') return undefined;
  return parts.slice(-2).join('/');
}

/**
 * A rule name worth keeping on a host: Azure's default rules
 * (DefaultRule_AllowVnetInBound, …) are the same on every NSG and place
 * nothing.
 */
export function userRuleName(rule: unknown): string | undefined {
  const name = textOf(rule);
  return name === undefined || name === '' || name.startsWith('DefaultRule_') ? undefined : name;
}

/** T/U/I/O/A/D-style single-letter fields. */
export function letter(text: string | undefined, field: string, allowed: string): string {
  if (text === undefined || text === '') throw new RowError(field, 'missing');
  if (text.length !== 1 || !allowed.includes(text)) {
    throw new RowError(field, `expected one of ${allowed.split('').join(', ')}`, text);
  }
  return text;
}
