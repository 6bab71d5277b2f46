import { XMLParser } from 'fast-xml-parser';
import { canonicalIp } from '../net/ip';
import type { SniffSample } from '../ingest/format';
import { RowError } from '../ingest/row-error';
import { at, isObject, textOf } from '../ingest/formats/json-fields';
import { isoTime } from '../ingest/values';
import type { RowTally } from '../ingest/row-tally';

/**
 * Windows successful-logon events (Security 4624), exported as XML (wevtutil,
 * python-evtx) or as NDJSON with the System and EventData fields flattened.
 * They tell which accounts log on to which hosts, and from where: later
 * stages list them as candidate requesters for admin access.
 */
export interface LogonEntry {
  readonly user: string;
  readonly domain: string;
  /** The host logged on to, as Windows names it (Computer). */
  readonly targetHost: string;
  /** Where the logon came from, when remote. */
  readonly sourceIp: string | null;
  readonly logonType: number;
  readonly timeMs: number;
  /** Machine accounts (NAME$) and built-in service identities, not people. */
  readonly serviceAccount: boolean;
}

const SUCCESSFUL_LOGON = 4624;
const SERVICE_IDENTITIES = new Set(['system', 'local service', 'network service', 'anonymous logon', 'dwm-1', 'dwm-2', 'dwm-3', 'umfd-0', 'umfd-1', 'umfd-2']);

export function sniffLogons(sample: SniffSample): number {
  if (/<Event[\s>]/.test(sample.text) && /<EventID[\s>]/.test(sample.text)) return 0.9;
  const first = sample.lines[0] ?? '';
  return first.startsWith('{') && /"EventID"\s*:/.test(first) && /"(TargetUserName|Computer)"\s*:/.test(sample.text) ? 0.85 : 0;
}

export function parseLogons(text: string, account: RowTally): LogonEntry[] {
  const trimmed = text.trimStart();
  return trimmed.startsWith('<') ? parseXml(trimmed, account) : parseNdjson(text, account);
}

function parseNdjson(text: string, account: RowTally): LogonEntry[] {
  const entries: LogonEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const entry = account.row(index + 1, () => {
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch {
        throw new RowError('', 'not valid JSON');
      }
      const field = (name: string): string | undefined => textOf(at(event, name));
      return readEvent(field, field('TimeCreated') ?? field('SystemTime'));
    });
    if (entry !== undefined) entries.push(entry);
  });
  return entries;
}

function parseXml(text: string, account: RowTally): LogonEntry[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    isArray: (name) => name === 'Event' || name === 'Data',
  });
  let document: unknown;
  try {
    document = parser.parse(text);
  } catch (error) {
    throw new Error(`not valid XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const events = (at(document, 'Events', 'Event') ?? at(document, 'Event') ?? []) as unknown[];
  const entries: LogonEntry[] = [];
  events.forEach((event, index) => {
    const data = new Map<string, string>();
    const items = at(event, 'EventData', 'Data');
    if (Array.isArray(items)) {
      for (const item of items) {
        const name = textOf(at(item, '@Name'));
        if (name !== undefined) data.set(name, textOf(isObject(item) ? item['#text'] : item) ?? '');
      }
    }
    const system = (name: string): string | undefined => {
      const value = at(event, 'System', name);
      return textOf(isObject(value) ? value['#text'] : value);
    };
    const field = (name: string): string | undefined => data.get(name) ?? system(name);
    const time = textOf(at(event, 'System', 'TimeCreated', '@SystemTime'));
    const entry = account.row(0, () => readEvent(field, time), `Event[${index}]`);
    if (entry !== undefined) entries.push(entry);
  });
  return entries;
}

function readEvent(field: (name: string) => string | undefined, time: string | undefined): LogonEntry {
  const id = field('EventID');
  if (id === undefined) throw new RowError('EventID', 'missing');
  if (Number(id) !== SUCCESSFUL_LOGON) throw new RowError('EventID', 'not a successful logon (4624)', id);
  const user = field('TargetUserName');
  if (user === undefined || user === '' || user === '-') throw new RowError('TargetUserName', 'missing');
  const targetHost = field('Computer');
  if (targetHost === undefined || targetHost === '') throw new RowError('Computer', 'missing');
  const address = field('IpAddress');
  let sourceIp: string | null = null;
  if (address !== undefined && address !== '' && address !== '-') {
    sourceIp = canonicalIp(address);
    if (sourceIp === null) throw new RowError('IpAddress', 'not an IPv4 or IPv6 address', address);
    // A logon from the machine itself is not a remote source.
    if (sourceIp === '127.0.0.1' || sourceIp === '::1') sourceIp = null;
  }
  const logonType = Number(field('LogonType') ?? '0');
  if (!Number.isInteger(logonType) || logonType < 0) throw new RowError('LogonType', 'not a logon type', field('LogonType'));
  if (time === undefined) throw new RowError('TimeCreated', 'missing timestamp');
  const lower = user.toLowerCase();
  return {
    user,
    domain: field('TargetDomainName') ?? '',
    targetHost,
    sourceIp,
    logonType,
    timeMs: isoTime(time, 'TimeCreated'),
    serviceAccount: user.endsWith('$') || SERVICE_IDENTITIES.has(lower),
  };
}
