import { FORMAT_IDS, type FormatId } from '../core/ingest/format';

/** What each flow format is, for the help text; typed by FormatId so that a new format cannot be left out. */
const DESCRIPTIONS: Record<FormatId, string> = {
  'aws-vpc': 'AWS VPC flow logs v2-v8, custom field orders, CloudWatch {"message": …} lines',
  'aws-tgw': 'AWS Transit Gateway flow logs',
  'azure-nsg': 'Azure NSG flow logs v1 and v2',
  'azure-vnet': 'Azure VNet flow logs v4',
  'gcp-vpc': 'GCP VPC flow logs (Cloud Logging JSON)',
  nfdump: 'NetFlow/IPFIX as nfdump CSV (old and 1.7.5+ layouts) or JSON',
  'zeek-conn': 'Zeek conn.log, TSV or JSON',
  'suricata-eve': 'Suricata eve.json flow events',
  hubble: 'Cilium Hubble flows (JSON)',
  pmacct: 'pmacct CSV or JSON, any primitive set',
  argus: 'Argus binetflow',
  csv: 'any other delimited table, columns by common names or --map',
  'flowfence-edges': 'hourly edges from `flowfence pushdown`, CSV or Parquet',
};

/** The flow formats, one per line, indented for the usage text. */
export function formatList(indent: string): string {
  return FORMAT_IDS.map((id) => `${indent}${id.padEnd(13)} ${DESCRIPTIONS[id]}`).join('\n');
}
