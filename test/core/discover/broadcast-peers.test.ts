import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/analyze';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { textFile } from '../../helpers/engine';

// Directed broadcasts are no peers: a NetBIOS announcement to 192.168.1.255
// says where a host sits, not whom it works with.

const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const record = (src: string, dst: string, sport: number, dport: number, proto: number, start: number) =>
  `2 1 eni-a ${src} ${dst} ${sport} ${dport} ${proto} 4 600 ${start} ${start + 60} ACCEPT OK`;

describe('discovery input', () => {
  it('leaves out edges to a subnet-directed broadcast address, and keeps every other edge of the announcing host', async () => {
    const lines = [header];
    for (let k = 0; k < 5; k++) {
      const at = 1_700_000_000 + k * 600;
      lines.push(record('192.168.1.10', '192.168.1.50', 50000 + k, 102, 6, at));
      lines.push(record('192.168.1.10', '192.168.1.255', 138, 138, 17, at));
      lines.push(record('192.168.1.11', '192.168.1.255', 137, 137, 17, at));
    }
    const db = await openNodeDuckDb();
    try {
      const analysis = await analyze({ db, host: nodeIngestHost }, { inputs: [textFile('line.log', lines.join('\n'))] });
      const { edges, hosts } = analysis.discoveryInput;
      expect(edges.map((edge) => `${edge.client}>${edge.server}:${edge.port}`)).toEqual(['192.168.1.10>192.168.1.50:102']);
      expect(hosts.map((host) => host.ip)).not.toContain('192.168.1.255');
    } finally {
      await db.close();
    }
  });
});
