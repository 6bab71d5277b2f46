import { describe, expect, it } from 'vitest';
import { DirectionReason } from '../../../src/core/flow/record';
import { awsDataset } from '../../../src/core/synth/aws-dataset';
import { AGGREGATION_WINDOW_MS } from '../../../src/core/synth/aws-flow-log-writer';
import { truthEdgeKeys } from '../../../src/core/synth/ground-truth';
import { connectionsInHour } from '../../../src/core/synth/traffic';
import { edgeRows, runAnalyze, textFile } from '../../helpers/engine';
import { HAS_SHARED_DATA, sample } from '../../helpers/samples';
import { fileInput } from '../../../src/core/node/fs-input';

const R = DirectionReason;

describe('client and server on a synthetic enterprise with ground truth', async () => {
  // AWS default v2 format: no flags, so every direction comes from evidence across the data set.
  const dataset = awsDataset({ seed: 11, startMs: Date.UTC(2026, 0, 5), days: 1, apps: 3, workstationScale: 0.25, intensity: 0.5 });
  const files = [...dataset.days()].map((day) => textFile(day.name, [...day.chunks()].flat().join('\n') + '\n'));
  const { db, summary } = await runAnalyze({ inputs: files });
  const edges = await edgeRows(db);
  const truth = truthEdgeKeys(dataset.enterprise);

  it('reads every record', () => {
    expect(summary.inputs[0]).toMatchObject({ format: 'aws-vpc', rejected: 0 });
    expect(summary.inputs[0]!.accepted).toBeGreaterThan(20_000);
  });

  it('puts every client and server on the right side (no edge towards an ephemeral port)', () => {
    const wrong = edges.filter((edge) => !truth.has(`${edge.client}|${edge.server}|${edge.proto}|${edge.port}`));
    expect(wrong).toEqual([]);
    expect(edges.filter((edge) => edge.port >= 32768)).toEqual([]);
  });

  it('counts each connection once although both interfaces logged it in both directions', () => {
    let expected = 0;
    for (let hour = 0; hour < dataset.traffic.hours; hour++) {
      for (const connection of connectionsInHour(dataset.enterprise, dataset.traffic, hour)) {
        const first = Math.floor(connection.startMs / AGGREGATION_WINDOW_MS);
        const last = Math.floor((connection.startMs + connection.durationMs) / AGGREGATION_WINDOW_MS);
        expected += last - first + 1;
      }
    }
    expect(edges.reduce((sum, edge) => sum + edge.flows, 0)).toBe(expected);
  });

  it('gives the same edges when parsers hand rows over early and their hours are merged centrally', async () => {
    const early = await runAnalyze({ inputs: files }, { doorCapacity: 5_000 });
    expect(await edgeRows(early.db)).toEqual(edges);
  });


  it('keeps refused connections as deny edges', () => {
    const denied = edges.filter((edge) => edge.action === 2);
    expect(denied.length).toBeGreaterThan(0);
    // Refused: dev applications trying the prod database, and the planted port scan.
    const scanner = dataset.enterprise.incidents!.find((incident) => incident.kind === 'scan')!.client.ip;
    for (const edge of denied) expect(edge.client.startsWith('10.2.') || edge.client === scanner).toBe(true);
    expect(denied.some((edge) => edge.client.startsWith('10.2.'))).toBe(true);
  });
});

describe('evidence order and de-duplication on small hand-made inputs', () => {
  const awsHeader = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

  it('response records alone still give client → server, never an edge to the ephemeral port', async () => {
    const lines = [awsHeader];
    for (let i = 0; i < 6; i++) lines.push(`2 1 eni-s 10.0.0.80 10.0.1.${i + 1} 8443 ${50000 + i} 6 5 5000 1700000000 1700000060 ACCEPT OK`);
    const { db } = await runAnalyze({ inputs: [textFile('responses.log', lines.join('\n'))] });
    const edges = await edgeRows(db);
    expect(edges).toHaveLength(6);
    for (const edge of edges) expect(edge).toMatchObject({ server: '10.0.0.80', port: 8443, reason: R.listeningPort });
  });

  it('a client with a fixed source port to many servers is not taken for a server', async () => {
    const lines = [awsHeader];
    for (let i = 0; i < 5; i++) lines.push(`2 1 eni-r 10.0.0.5 10.0.2.${i + 1} 40000 53 17 1 80 1700000000 1700000060 ACCEPT OK`);
    const { db } = await runAnalyze({ inputs: [textFile('resolver.log', lines.join('\n'))] });
    const edges = await edgeRows(db);
    expect(edges).toHaveLength(5);
    for (const edge of edges) expect(edge).toMatchObject({ client: '10.0.0.5', port: 53 });
  });

  it('explicit evidence wins over port heuristics (an FTP server opening active data connections)', async () => {
    const zeek = '{"ts":1329843194.15,"uid":"C1","id.orig_h":"199.233.217.249","id.orig_p":20,"id.resp_h":"141.142.220.235","id.resp_p":33582,"proto":"tcp","conn_state":"SF","history":"ShADaFf","orig_ip_bytes":614,"resp_ip_bytes":164}';
    const { db } = await runAnalyze({ inputs: [textFile('ftp.json', zeek)] });
    expect(await edgeRows(db)).toMatchObject([{ client: '199.233.217.249', server: '141.142.220.235', port: 33582, reason: R.initiator }]);
  });

  it('the strongest evidence wins over more records of weaker evidence, and names itself', async () => {
    // Two Zeek records say 10.0.0.1 opened it (initiator); one SYN-ACK record says 10.0.0.1 answered (tcp-flags, stronger).
    const zeek = (orig: string, resp: string, history: string) =>
      JSON.stringify({ ts: 1700000000, uid: 'C', 'id.orig_h': orig, 'id.orig_p': orig === '10.0.0.1' ? 5000 : 6000, 'id.resp_h': resp, 'id.resp_p': resp === '10.0.0.1' ? 5000 : 6000, proto: 'tcp', conn_state: 'SF', history });
    const lines = [zeek('10.0.0.1', '10.0.0.2', 'Dd'), zeek('10.0.0.1', '10.0.0.2', 'Dd'), zeek('10.0.0.1', '10.0.0.2', 'H')];
    const { db } = await runAnalyze({ inputs: [textFile('mixed.json', lines.join('\n'))] });
    expect(await edgeRows(db)).toMatchObject([{ client: '10.0.0.2', server: '10.0.0.1', port: 5000, reason: R.tcpFlags }]);
  });

  it('names the last resort for what it is', async () => {
    const lines = [awsHeader, '2 1 eni-a 10.0.0.1 10.0.0.2 7000 7000 6 5 500 1700000000 1700000060 ACCEPT OK'];
    const { db } = await runAnalyze({ inputs: [textFile('same-ports.log', lines.join('\n'))] });
    expect(await edgeRows(db)).toMatchObject([{ server: '10.0.0.1', reason: R.tieBreak }]);
  });

  it('an analyst pin decides between two unremarkable ports', async () => {
    const lines = [awsHeader, '2 1 eni-a 10.0.0.1 10.0.0.2 9000 7000 6 5 500 1700000000 1700000060 ACCEPT OK'];
    const unpinned = await runAnalyze({ inputs: [textFile('pair.log', lines.join('\n'))] });
    const pinned = await runAnalyze({ inputs: [textFile('pair.log', lines.join('\n'))] }, { serverPorts: [{ proto: 6, port: 9000 }] });
    expect((await edgeRows(unpinned.db))[0]!.reason).toBe(R.tieBreak);
    expect(await edgeRows(pinned.db)).toMatchObject([{ client: '10.0.0.2', server: '10.0.0.1', port: 9000, reason: R.pinnedPort }]);
  });

  it('GCP: the same connection reported by SRC and DEST counts once', async () => {
    const entry = (reporter: string, src: string, dst: string, sport: number, dport: number, bytes: string) =>
      JSON.stringify({
        insertId: `${reporter}${src}`,
        logName: 'projects/p/logs/compute.googleapis.com%2Fvpc_flows',
        jsonPayload: {
          bytes_sent: bytes,
          packets_sent: '3',
          connection: { src_ip: src, dest_ip: dst, src_port: sport, dest_port: dport, protocol: 6 },
          reporter,
          start_time: '2019-06-14T03:45:37.186193305Z',
          end_time: '2019-06-14T03:45:37.301953198Z',
          src_instance: { project_id: 'p', zone: 'z', vm_name: reporter === 'SRC' ? 'client' : 'server' },
          dest_instance: { project_id: 'p', zone: 'z', vm_name: reporter === 'SRC' ? 'server' : 'client' },
        },
      });
    const lines = [
      entry('SRC', '10.0.0.1', '10.0.0.2', 41000, 5432, '600'),
      entry('DEST', '10.0.0.1', '10.0.0.2', 41000, 5432, '600'),
      entry('SRC', '10.0.0.2', '10.0.0.1', 5432, 41000, '9000'),
      entry('DEST', '10.0.0.2', '10.0.0.1', 5432, 41000, '9000'),
    ];
    const { db } = await runAnalyze({ inputs: [textFile('gcp.ndjson', lines.join('\n'))] });
    expect(await edgeRows(db)).toMatchObject([{ client: '10.0.0.1', server: '10.0.0.2', port: 5432, flows: 1, packets: 6, bytes: 9600 }]);
  });

  it('NetFlow request and response records count as one flow', async () => {
    const csv = [
      'firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows',
      '2026-01-05 10:00:00.000,0.500,6,10.0.0.1,41000,10.0.0.2,443,10,1000,1',
      '2026-01-05 10:00:00.010,0.490,6,10.0.0.2,443,10.0.0.1,41000,12,24000,1',
    ];
    const { db } = await runAnalyze({ inputs: [textFile('nf.csv', csv.join('\n'))] });
    expect(await edgeRows(db)).toMatchObject([{ client: '10.0.0.1', server: '10.0.0.2', port: 443, flows: 1, packets: 22, bytes: 25000 }]);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('one capture in three exporters gives the same edges (needs ../shared/data)', () => {
  it('wikipedia.pcap as nfdump 1.7.1 CSV, nfdump 1.7.8 CSV and pmacct CSV', async () => {
    const sets: string[][] = [];
    for (const path of ['nfdump-generated/v1.7.1-debian/wikipedia.csv', 'nfdump-generated/v1.7.8-head/wikipedia.csv', 'pmacct-generated/wikipedia.pmacct.csv']) {
      const { db, summary } = await runAnalyze({ inputs: [await fileInput(sample(path))] });
      expect(summary.inputs[0]!.rejected).toBe(0);
      // Edges are per action: nfdump 1.7.1's flags tell answered connections (SYN-ACK) from
      // midstream ones, which the flagless exports leave unknown; the services are the same.
      sets.push([...new Set((await edgeRows(db)).map((edge) => `${edge.client} → ${edge.server} ${edge.proto}/${edge.port}`))]);
    }
    expect(sets[0]!.length).toBeGreaterThan(10);
    expect(sets[1]).toEqual(sets[0]);
    expect(sets[2]).toEqual(sets[0]);
  });
});
