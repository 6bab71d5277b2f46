/**
 * Flows that carry no direction of their own (VPC-style records, no flags)
 * where the busier host is not the server:
 * - Windows members keep their clocks with a domain controller from NTP's
 *   123 to its 123; member .10 also calls twelve web servers;
 * - a controller that operator stations poll on EtherNet/IP's 44818 opens
 *   44818 on its I/O adapter, twice (a reconnection), from ports 3804 and
 *   3805: 44818 sits in Linux's ephemeral range but is a service port.
 */
export const SHARED_PORT_LINES = (() => {
  const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  const record = (src: string, dst: string, sport: number, dport: number, proto: number) => `2 1 eni-a ${src} ${dst} ${sport} ${dport} ${proto} 2 152 1700000000 1700000060 ACCEPT OK`;
  for (let m = 10; m < 15; m++) lines.push(record(`10.1.0.${m}`, '10.1.0.1', 123, 123, 17), record('10.1.0.1', `10.1.0.${m}`, 123, 123, 17));
  for (let w = 1; w <= 12; w++) lines.push(record('10.1.0.10', `10.2.0.${w}`, 50000 + w, 8443, 6));
  for (let h = 1; h <= 6; h++) lines.push(record(`10.3.1.${h}`, '10.3.0.1', 51000 + h, 44818, 6));
  for (const port of [3804, 3805]) lines.push(record('10.3.0.1', '10.3.0.50', port, 44818, 6), record('10.3.0.50', '10.3.0.1', 44818, port, 6));
  for (let h = 1; h <= 3; h++) lines.push(record(`10.3.2.${h}`, '10.3.0.2', 52000 + h, 44818, 6));
  lines.push(record('10.3.0.2', '10.3.0.60', 4999, 44818, 6), record('10.3.0.60', '10.3.0.2', 44818, 4999, 6));
  return lines;
})();
