import { describe, expect, it } from 'vitest';
import { directedBroadcasts } from '../../../src/core/enrich/directed-broadcasts';
import { profileHosts } from '../../../src/core/enrich/host-profiles';
import { ingestFlows } from '../../../src/core/ingest/ingest';
import { buildEdges } from '../../../src/core/model/build-edges';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { textFile } from '../../helpers/engine';

// Subnet-directed broadcasts are told from hosts by their traffic: UDP (or
// ICMP) only to an address ending in .255. A .255 that speaks TCP is a host.

const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const record = (src: string, dst: string, sport: number, dport: number, proto: number) => `2 1 eni-a ${src} ${dst} ${sport} ${dport} ${proto} 1 229 1700000000 1700000060 ACCEPT OK`;

describe('directed broadcasts', () => {
  it('are the .255 addresses with UDP or ICMP only, and leave the internal scope unless a row or pod names them', async () => {
    const lines = [
      header,
      record('192.168.1.10', '192.168.1.255', 138, 138, 17),
      record('192.168.1.11', '192.168.1.255', 137, 137, 17),
      record('192.168.1.12', '192.168.1.255', 0, 0, 1),
      // In a /23, 10.0.1.255 is a host: it answers TCP.
      record('10.0.0.7', '10.0.1.255', 50000, 443, 6),
      record('10.0.0.7', '10.0.1.255', 50001, 53, 17),
      record('10.0.0.7', '10.0.2.255', 50002, 53, 17),
    ];
    const db = await openNodeDuckDb();
    try {
      const { conversations } = await ingestFlows(db, nodeIngestHost, [textFile('bcast.log', lines.join('\n'))], {});
      await buildEdges(db, conversations, []);
      const found = await directedBroadcasts(db);
      expect([...found].sort()).toEqual(['10.0.2.255', '192.168.1.255']);
      const profiles = profileHosts(['192.168.1.255', '10.0.1.255', '10.0.2.255', '192.168.1.10'], {
        inventory: [{ ip: '10.0.2.255', cidr: null, hostname: 'sensor-255', labels: {}, line: 2 }],
        pods: [],
        owners: [],
        logons: [],
        internalCidrs: [],
        directedBroadcasts: found,
      });
      expect(profiles.map((profile) => profile.scope)).toEqual(['broadcast', 'internal', 'internal', 'internal']);
    } finally {
      await db.close();
    }
  });
});
