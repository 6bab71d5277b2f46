/**
 * Flows that carry no direction of their own (VPC-style records, no flags)
 * with both ends on one port: Windows members keep their clocks with a
 * domain controller from NTP's 123 to its 123. Member .10 also calls twelve
 * web servers, so it is the busier host, yet the controller is the server.
 */
export const SHARED_PORT_LINES = (() => {
  const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  const record = (src: string, dst: string, sport: number, dport: number, proto: number) => `2 1 eni-a ${src} ${dst} ${sport} ${dport} ${proto} 2 152 1700000000 1700000060 ACCEPT OK`;
  for (let m = 10; m < 15; m++) lines.push(record(`10.1.0.${m}`, '10.1.0.1', 123, 123, 17), record('10.1.0.1', `10.1.0.${m}`, 123, 123, 17));
  for (let w = 1; w <= 12; w++) lines.push(record('10.1.0.10', `10.2.0.${w}`, 50000 + w, 8443, 6));
  return lines;
})();
