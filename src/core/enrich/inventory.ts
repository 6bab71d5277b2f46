import { dsvFormat } from 'd3-dsv';
import { canonicalIp, isIpv6 } from '../net/ip';
import type { SniffSample } from '../ingest/format';
import { mostFrequentSeparator, normaliseColumnName } from '../ingest/delimiters';
import { RowError } from '../ingest/row-error';
import { parseCidr, type Cidr } from './address-scope';
import type { RowTally } from '../ingest/row-tally';

/**
 * Inventory / CMDB exports: one row per host or network, an address or CIDR
 * column, an optional hostname column, and any other columns as labels
 * (env, app, owner, tier, zone…), keyed by the column name in lower case.
 * Delimiter (comma, tab, semicolon) and column names are recognised from
 * the header.
 */
export interface InventoryEntry {
  readonly ip: string | null;
  readonly cidr: Cidr | null;
  readonly hostname: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly line: number;
}

const ADDRESS_COLUMNS = ['ip', 'ipaddress', 'ipaddr', 'address', 'addr', 'ipv4', 'ipv6', 'cidr', 'subnet', 'network', 'prefix', 'range', 'hostip', 'privateip', 'privateipaddress', 'privateipv4address', 'podip'];
const NAME_COLUMNS = ['hostname', 'host', 'name', 'fqdn', 'dnsname', 'computername', 'servername', 'assetname', 'nodename', 'vmname', 'instancename'];
/** Columns that make a file a flow export rather than an inventory. */
const FLOW_COLUMNS = ['dst', 'dstip', 'dstaddr', 'destination', 'destinationip', 'destip', 'dip', 'daddr', 'dstport', 'dport'];


function findColumn(columns: readonly string[], candidates: readonly string[]): number {
  const normalised = columns.map(normaliseColumnName);
  for (const candidate of candidates) {
    const index = normalised.indexOf(candidate);
    if (index >= 0) return index;
  }
  return -1;
}

export function sniffInventory(sample: SniffSample): number {
  const header = sample.lines[0]?.replace(/^\uFEFF/, '');
  if (header === undefined || header.startsWith('{') || header.startsWith('<') || header.startsWith('#')) return 0;
  const columns = header.split(mostFrequentSeparator(header));
  if (columns.length < 2) return 0;
  if (findColumn(columns, ADDRESS_COLUMNS) < 0) return 0;
  if (findColumn(columns, FLOW_COLUMNS) >= 0) return 0;
  return findColumn(columns, NAME_COLUMNS) >= 0 ? 0.8 : 0.6;
}

export function parseInventory(text: string, account: RowTally): InventoryEntry[] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.indexOf('\n') < 0 ? body.length : body.indexOf('\n'));
  const rows = dsvFormat(mostFrequentSeparator(firstLine)).parseRows(body);
  const header = rows[0];
  if (header === undefined) return [];
  const addressColumn = findColumn(header, ADDRESS_COLUMNS);
  const nameColumn = findColumn(header, NAME_COLUMNS);
  if (addressColumn < 0) {
    throw new Error(`no address column in the header (expected one of: ${ADDRESS_COLUMNS.join(', ')})`);
  }
  const labelColumns = header
    // Column names are case-insensitive, as for the address and name columns: an AWS tag export's
    // "Environment" is the same key as a CMDB's "environment", and label-keys.ts lists keys in lower case.
    .map((name, index) => ({ key: name.trim().toLowerCase(), index }))
    .filter(({ key, index }) => index !== addressColumn && index !== nameColumn && key.length > 0);
  const entries: InventoryEntry[] = [];
  for (let i = 1; i < rows.length; i++) {
    const values = rows[i]!;
    if (values.length === 1 && values[0]!.trim() === '') continue;
    const line = i + 1;
    const entry = account.row(line, () => readEntry(values, header, addressColumn, nameColumn, labelColumns, line));
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

/**
 * A cell's value, or null when it is empty or only says so: NetBox and other
 * exports write "—" (or "-", "–") in a cell with no value. Kept as a label,
 * that placeholder would be a value every unfilled host shares.
 */
function presentValue(cell: string | undefined): string | null {
  const value = (cell ?? '').trim();
  return value === '' || /^[-\u2013\u2014]+$/.test(value) ? null : value;
}

function readEntry(
  values: readonly string[],
  header: readonly string[],
  addressColumn: number,
  nameColumn: number,
  labelColumns: readonly { key: string; index: number }[],
  line: number,
): InventoryEntry {
  const field = header[addressColumn]!.trim();
  const address = (values[addressColumn] ?? '').trim();
  if (address === '') throw new RowError(field, 'missing address');
  let ip: string | null = null;
  let cidr: Cidr | null = null;
  if (address.includes('/')) {
    cidr = parseCidr(address);
    if (cidr === null) throw new RowError(field, 'not a CIDR', address);
    // An interface address with its prefix length (NetBox, Infoblox, `ip addr`: 10.1.2.22/28) names one
    // host, as does a /32 (/128); only a shorter prefix whose host bits are all zero names a network.
    const host = canonicalIp(address.slice(0, address.indexOf('/')));
    if (host !== null && (cidr.bits === (isIpv6(host) ? 128 : 32) || host !== canonicalIp(cidr.network.toString()))) {
      ip = host;
      cidr = null;
    }
  } else {
    ip = canonicalIp(address);
    if (ip === null) throw new RowError(field, 'not an IPv4 or IPv6 address', address);
  }
  const hostname = nameColumn >= 0 ? presentValue(values[nameColumn]) : null;
  const labels: Record<string, string> = {};
  for (const { key, index } of labelColumns) {
    const value = presentValue(values[index]);
    if (value !== null) labels[key] = value;
  }
  return { ip, cidr, hostname, labels, line };
}
