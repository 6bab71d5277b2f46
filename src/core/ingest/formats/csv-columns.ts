import { normaliseColumnName } from '../delimiters';
import { CSV_FIELDS, type ColumnMap, type CsvField } from '../format';

/**
 * Column names that generic flow exports (SIEM exports, firewall CSVs,
 * research data sets such as UNSW-NB15) use for each field. Matching ignores
 * case and punctuation. An explicit --map always wins.
 */
const ALIASES: Readonly<Record<CsvField, readonly string[]>> = {
  src: ['src', 'srcip', 'srcaddr', 'srcaddress', 'sourceip', 'source', 'sourceaddress', 'saddr', 'ipsrc', 'clientip', 'originip'],
  dst: ['dst', 'dstip', 'dstaddr', 'dstaddress', 'destinationip', 'destination', 'destinationaddress', 'daddr', 'ipdst', 'destip', 'serverip'],
  sport: ['sport', 'srcport', 'sourceport', 'portsrc', 'srcpt', 'clientport'],
  dport: ['dport', 'dstport', 'destinationport', 'destport', 'portdst', 'dsport', 'dstpt', 'serverport'],
  proto: ['proto', 'protocol', 'ipproto', 'transport', 'protocolname'],
  packets: ['packets', 'pkts', 'spkts', 'srcpkts', 'sentpackets', 'packetcount', 'outpackets'],
  bytes: ['bytes', 'octets', 'sbytes', 'srcbytes', 'sentbytes', 'bytecount', 'outbytes'],
  start: ['start', 'starttime', 'stime', 'firstseen', 'timestamp', 'ts', 'time', 'eventtime', 'begin', 'datetime'],
  end: ['end', 'endtime', 'ltime', 'lastseen', 'stoptime'],
  action: ['action', 'decision', 'verdict', 'disposition', 'result'],
  rpackets: ['rpackets', 'dpkts', 'dstpkts', 'recvpackets', 'inpackets'],
  rbytes: ['rbytes', 'dbytes', 'dstbytes', 'recvbytes', 'inbytes'],
  flags: ['flags', 'tcpflags'],
};


/** Column index of every field, from --map when given, else from the aliases. */
export function resolveColumns(header: readonly string[], map: ColumnMap | undefined): Partial<Record<CsvField, number>> {
  const normalised = header.map(normaliseColumnName);
  const resolved: Partial<Record<CsvField, number>> = {};
  for (const field of CSV_FIELDS) {
    const named = map?.[field];
    if (named !== undefined) {
      const index = normalised.indexOf(normaliseColumnName(named));
      if (index >= 0) resolved[field] = index;
      continue;
    }
    for (const alias of ALIASES[field]) {
      const index = normalised.indexOf(alias);
      if (index >= 0) {
        resolved[field] = index;
        break;
      }
    }
  }
  return resolved;
}

/** The mapped columns missing from a header, for a message that names them. */
export function missingMappedColumns(header: readonly string[], map: ColumnMap | undefined): string[] {
  if (map === undefined) return [];
  const normalised = header.map(normaliseColumnName);
  return Object.values(map).filter((column): column is string => column !== undefined && !normalised.includes(normaliseColumnName(column)));
}
