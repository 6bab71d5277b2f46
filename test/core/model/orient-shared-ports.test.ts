import { describe, expect, it } from 'vitest';
import { DirectionReason } from '../../../src/core/flow/record';
import { ingestFlows } from '../../../src/core/ingest/ingest';
import { buildEdges } from '../../../src/core/model/build-edges';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { textFile } from '../../helpers/engine';
import { SHARED_PORT_LINES } from '../../helpers/shared-port-flows';

describe('orientation where the busier host is not the server', () => {
  it('serves a port both ends share from the end that meets more peers on it, and 44818 from the adapter, however seldom reopened', async () => {
    const db = await openNodeDuckDb();
    try {
      const { conversations } = await ingestFlows(db, nodeIngestHost, [textFile('shared-ports.log', SHARED_PORT_LINES.join('\n'))], {});
      await buildEdges(db, conversations, []);
      const ntp = await db.all<{ client: string; server: string; reason: number }>(
        `SELECT c.ip AS client, s.ip AS server, e.reason FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server WHERE e.port = 123 ORDER BY client`,
      );
      expect(ntp.map((edge) => edge.client)).toEqual(['10.1.0.10', '10.1.0.11', '10.1.0.12', '10.1.0.13', '10.1.0.14']);
      for (const edge of ntp) expect(edge).toMatchObject({ server: '10.1.0.1', reason: DirectionReason.degree });
      const adapter = await db.all<{ client: string; server: string; port: number; reason: number }>(
        `SELECT c.ip AS client, s.ip AS server, e.port, e.reason FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server WHERE '10.3.0.50' IN (c.ip, s.ip)`,
      );
      expect(adapter).toEqual([{ client: '10.3.0.1', server: '10.3.0.50', port: 44818, reason: DirectionReason.listeningPort }]);
      // Seen once, from an embedded stack's client port: the port that names a service is the server's (model/port-class.ts).
      const reopened = await db.all<{ client: string; server: string; port: number; reason: number }>(
        `SELECT c.ip AS client, s.ip AS server, e.port, e.reason FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server WHERE '10.3.0.60' IN (c.ip, s.ip)`,
      );
      expect(reopened).toEqual([{ client: '10.3.0.2', server: '10.3.0.60', port: 44818, reason: DirectionReason.portRange }]);
    } finally {
      await db.close();
    }
  });
});
