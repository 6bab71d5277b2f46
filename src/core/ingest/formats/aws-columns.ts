import { isTransitGatewayLayout } from './aws-layouts';

/** Where each field the AWS parsers read sits in a layout (-1: absent), and how many fields it has. */
export interface Columns {
  readonly srcaddr: number;
  readonly dstaddr: number;
  readonly pktSrc: number;
  readonly pktDst: number;
  readonly srcport: number;
  readonly dstport: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly action: number;
  readonly logStatus: number;
  readonly tcpFlags: number;
  readonly observer: number;
  readonly count: number;
}

export function columnsOf(fields: readonly string[]): Columns {
  const at = (name: string): number => fields.indexOf(name);
  const tgw = isTransitGatewayLayout(fields);
  return {
    srcaddr: at('srcaddr'),
    dstaddr: at('dstaddr'),
    pktSrc: at('pkt-srcaddr'),
    pktDst: at('pkt-dstaddr'),
    srcport: at('srcport'),
    dstport: at('dstport'),
    protocol: at('protocol'),
    packets: at('packets'),
    bytes: at('bytes'),
    start: at('start'),
    end: at('end'),
    action: at('action'),
    logStatus: at('log-status'),
    tcpFlags: at('tcp-flags'),
    observer: tgw ? at('tgw-attachment-id') : at('interface-id'),
    count: fields.length,
  };
}
