import { describe, expect, it } from 'vitest';
import { Action, Hint } from '../../../../src/core/flow/record';
import { gcpVpcFormat } from '../../../../src/core/ingest/formats/gcp-vpc';
import { sniffSample } from '../../../../src/core/ingest/sniff';
import { readFile } from 'node:fs/promises';
import { memoryInputFile } from '../../../../src/core/ingest/source';
import { runAnalyze } from '../../../helpers/engine';
import { expectAccounted, parsePath, parseText } from '../../../helpers/parse-file';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

const FILE = 'elastic-beats/gcp_vpcflow/vpc-flow-log-entries.first14.ndjson';

describe.skipIf(!HAS_SHARED_DATA)('gcp-vpc on the real samples (needs ../shared/data)', () => {
  it('reads LogEntry lines: string counters, nanosecond times, no action and no hint', async () => {
    const parsed = await parsePath(sample(FILE));
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'gcp-vpc', read: 14, accepted: 14, rejected: 0 });
    const first = parsed.records[0]!;
    expect(first).toMatchObject({
      src: '10.87.40.76',
      dst: '203.0.113.12',
      srcPort: 5601,
      dstPort: 33478,
      proto: 6,
      packets: 7,
      bytes: 1776,
      revPackets: 0,
      revBytes: 0,
      action: Action.unknown,
      hint: Hint.none,
      observer: 'SRC my-sample-project/us-east1-b/kibana',
    });
    expect(first.startMs).toBeCloseTo(Date.UTC(2019, 5, 14, 3, 45, 37, 186) + 0.193305, 2);
    expect(first.endMs).toBeCloseTo(Date.UTC(2019, 5, 14, 3, 45, 37, 301) + 0.953198, 2);
    expect(parsed.records.every((record) => record.hint === Hint.none && record.action === Action.unknown)).toBe(true);
    // rtt_msec is missing on some rows; the row is still read.
    expect(parsed.records[3]).toMatchObject({ dst: '192.0.2.23', srcPort: 22, bytes: 0, packets: 1 });
  });

  it('tells the reporters of one connection apart (…ooxyp is kibana SRC, …ooxz8 kibana DEST)', async () => {
    const parsed = await parsePath(sample(FILE));
    const ooxyp = parsed.records[7]!;
    const ooxz8 = parsed.records[9]!;
    expect(ooxyp).toMatchObject({ src: '10.87.40.76', srcPort: 33880, dst: '198.51.100.248', dstPort: 9200, bytes: 15169, packets: 92 });
    expect(ooxz8).toMatchObject({ src: '198.51.100.248', srcPort: 9200, dst: '10.87.40.76', dstPort: 33880, bytes: 167939, packets: 63 });
    expect(ooxyp.observer).toBe('SRC my-sample-project/us-east1-b/kibana');
    expect(ooxz8.observer).toBe('DEST my-sample-project/us-east1-b/kibana');
    // An external peer has no instance: the DEST report names the reporting VM.
    expect(parsed.records[5]).toMatchObject({ src: '192.0.2.117', observer: 'DEST my-sample-project/us-east1-b/kibana' });
  });
});

function entry(payload: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    insertId: 'x',
    jsonPayload: {
      bytes_sent: '1200',
      packets_sent: '4',
      connection: { src_ip: '10.0.0.2', dest_ip: '10.0.0.3', src_port: 40000, dest_port: 443, protocol: 6 },
      reporter: 'SRC',
      src_instance: { project_id: 'p', zone: 'europe-west1-b', vm_name: 'web-1' },
      start_time: '2024-01-01T00:00:00.123456789Z',
      end_time: '2024-01-01T00:00:05Z',
      ...payload,
    },
    logName: 'projects/p/logs/compute.googleapis.com%2Fvpc_flows',
    resource: { type: 'gce_subnetwork', labels: { subnetwork_name: 'default' } },
    timestamp: '2024-01-01T00:00:10Z',
    ...extra,
  });
}

describe('gcp-vpc edge cases', () => {
  it('rejects bad rows with the field named and skips blank lines', async () => {
    const parsed = await parseText(
      [
        entry({}),
        '',
        entry({ connection: { src_ip: '10.0.0.256', dest_ip: '10.0.0.3', protocol: 6 } }),
        entry({ bytes_sent: 'lots' }),
        entry({ end_time: '2023-12-31T23:00:00Z' }),
        entry({ start_time: '2024-02-30T00:00:00Z' }),
        entry({ reporter: 'MIDDLE' }),
        entry({ connection: undefined }),
        entry({}, { logName: 'projects/p/logs/compute.googleapis.com%2Ffirewall' }),
        '{"jsonPayload": ',
        '   ',
        entry({ connection: { src_ip: '10.0.0.2', dest_ip: '10.0.0.3', protocol: 1 } }),
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'gcp-vpc', read: 10, accepted: 2, rejected: 8 });
    expect(parsed.rejects.map((reject) => reject.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(parsed.report.rejectReasons).toEqual({
      'jsonPayload.connection.src_ip: not an IPv4 or IPv6 address': 1,
      'jsonPayload.bytes_sent: not a counter': 1,
      'jsonPayload.end_time: ends before it starts': 1,
      'jsonPayload.start_time: impossible timestamp': 1,
      'jsonPayload.reporter: expected SRC or DEST': 1,
      'jsonPayload.connection: missing': 1,
      'logName: not a VPC flow log entry': 1,
      'not valid JSON': 1,
    });
    expect(parsed.records[0]).toMatchObject({ packets: 4, bytes: 1200, observer: 'SRC p/europe-west1-b/web-1' });
    expect(parsed.records[0]!.startMs).toBeCloseTo(Date.UTC(2024, 0, 1) + 123.456789, 2);
    expect(parsed.records[1]).toMatchObject({ proto: 1, srcPort: -1, dstPort: -1 });
  });

  it('falls back to the VPC subnet, then the reporter alone, for the observer; numbers as counters; IPv6', async () => {
    const parsed = await parseText(
      [
        entry({ reporter: 'DEST', dest_vpc: { project_id: 'p', subnetwork_name: 'sub-a' }, bytes_sent: 99, packets_sent: 1 }),
        entry({ reporter: 'DEST' }),
        entry({ connection: { src_ip: '2001:DB8::0:1', dest_ip: '2001:db8::2', src_port: 1, dest_port: 2, protocol: 17 }, start_time: undefined, end_time: undefined }),
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.records.map((record) => record.observer)).toEqual(['DEST p/sub-a', 'DEST', 'SRC p/europe-west1-b/web-1']);
    expect(parsed.records[0]).toMatchObject({ bytes: 99, packets: 1 });
    expect(parsed.records[2]).toMatchObject({ src: '2001:db8::1', proto: 17, startMs: Date.UTC(2024, 0, 1, 0, 0, 10) });
  });

  it('claims LogEntry lines only', () => {
    expect(gcpVpcFormat.sniff(sniffSample(`${entry({})}\n`))).toBe(1);
    // A gcloud --format=json array is not read line by line.
    expect(gcpVpcFormat.sniff(sniffSample(`[\n  ${entry({})}\n]\n`))).toBe(0);
    expect(gcpVpcFormat.sniff(sniffSample(`${entry({}, { logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity' })}\n`))).toBe(0);
    expect(gcpVpcFormat.sniff(sniffSample('{"timestamp":"2024-01-01T00:00:00Z","event_type":"flow","src_ip":"10.0.0.1"}\n'))).toBe(0);
  });

  it("names the VMs at both ends of accepted rows, one name per address whatever the order", async () => {
    const lines = [
      entry({ dest_instance: { project_id: 'p', zone: 'europe-west1-b', vm_name: 'db-1' } }),
      entry({ src_instance: { vm_name: '' } }),
      entry({ connection: { src_ip: 'bad', dest_ip: '10.0.0.9', protocol: 6 }, dest_instance: { vm_name: 'ghost' } }),
      entry({ connection: { src_ip: '10.0.0.2', dest_ip: '10.0.0.3', src_port: 40001, dest_port: 443, protocol: 6 }, src_instance: { vm_name: 'web-0' } }),
    ];
    for (const order of [lines, [...lines].reverse()]) {
      const parsed = await parseText(`${order.join('\n')}\n`, {}, 'flows.json');
      expect(parsed.report.rejected).toBe(1);
      expect(parsed.report.observedNames).toEqual([
        { ip: '10.0.0.2', name: 'web-0' },
        { ip: '10.0.0.3', name: 'db-1' },
      ]);
    }
  });
});

describe('gcp-vpc GKE pods', () => {
  it("records the pods GKE names at each end, with their workload, and names no pod after its node", async () => {
    const gke = (pod: Record<string, unknown>) => ({ cluster: { cluster_name: 'shop', cluster_location: 'europe-west1' }, pod });
    const lines = [
      entry({
        src_instance: { project_id: 'p', zone: 'europe-west1-b', vm_name: 'gke-shop-pool-1-abcd' },
        src_gke_details: gke({ pod_name: 'cart-7d9f8b6c5-x2x9q', pod_namespace: 'shop', pod_workload: { workload_name: 'cart', workload_type: 'DEPLOYMENT' } }),
        dest_instance: { project_id: 'p', zone: 'europe-west1-c', vm_name: 'gke-shop-pool-1-efgh' },
        dest_gke_details: { ...gke({ pod_name: 'redis-0', pod_namespace: 'shop' }), service: [{ service_name: 'redis', service_namespace: 'shop' }] },
      }),
      // The node itself (no pod details) keeps its VM's name; a pod without a namespace is no pod.
      entry({
        connection: { src_ip: '10.0.0.9', dest_ip: '10.0.0.3', src_port: 40002, dest_port: 53, protocol: 6 },
        src_instance: { vm_name: 'gke-shop-pool-1-abcd' },
        src_gke_details: gke({ pod_name: 'orphan' }),
      }),
    ];
    for (const order of [lines, [...lines].reverse()]) {
      const parsed = await parseText(`${order.join('\n')}\n`, {}, 'flows.json');
      expectAccounted(parsed);
      expect(parsed.report.observedPods).toEqual([
        { ip: '10.0.0.2', namespace: 'shop', pod: 'cart-7d9f8b6c5-x2x9q', labels: {}, owner: { kind: 'Deployment', name: 'cart' } },
        // No workload in the record: the ReplicaSet or StatefulSet the name carries, as for a pod list.
        expect.objectContaining({ ip: '10.0.0.3', namespace: 'shop', pod: 'redis-0' }),
      ]);
      expect(parsed.report.observedNames).toEqual([{ ip: '10.0.0.9', name: 'gke-shop-pool-1-abcd' }]);
    }
  });
});

describe('gcp-vpc placement', () => {
  it('places both ends in their VPC (with its project) and subnet', async () => {
    const parsed = await parseText(
      `${entry({
        src_vpc: { project_id: 'p', vpc_name: 'prod', subnetwork_name: 'web' },
        dest_vpc: { vpc_name: 'prod', subnetwork_name: '' },
      })}\n`,
      {},
      'flows.json',
    );
    expect(parsed.report.observedLabels).toEqual([
      { ip: '10.0.0.2', key: 'gcp:subnet', value: 'web' },
      { ip: '10.0.0.2', key: 'gcp:vpc', value: 'p/prod' },
      { ip: '10.0.0.3', key: 'gcp:vpc', value: 'prod' },
    ]);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('gcp-vpc VM names on the real sample (needs ../shared/data)', () => {
  it('name the hosts kibana and elasticsearch, and their groups after them', async () => {
    const { summary, db } = await runAnalyze({ inputs: [memoryInputFile('flows.ndjson', new Uint8Array(await readFile(sample(FILE))))] });
    const names = await db.all<{ ip: string; name: string | null; name_source: string | null }>(`SELECT ip, name, name_source FROM host_info WHERE ip IN ('10.87.40.76', '10.139.99.242') ORDER BY ip`);
    expect(names).toEqual([
      { ip: '10.139.99.242', name: 'elasticsearch', name_source: 'flow-log' },
      { ip: '10.87.40.76', name: 'kibana', name_source: 'flow-log' },
    ]);
    expect(summary.groups.map((group) => group.name).sort()).toEqual(['elasticsearch tcp/9200', 'kibana tcp/5601']);
    // The VPC and subnet explain the hosts and group no one: the two VMs share both and stay apart.
    const placed = await db.all<{ key: string; value: string; source: string }>(`SELECT key, value, source FROM host_labels WHERE ip = '10.87.40.76' ORDER BY key`);
    expect(placed).toEqual([
      { key: 'gcp:subnet', value: 'default', source: 'flow-log' },
      { key: 'gcp:vpc', value: 'my-sample-project/default', source: 'flow-log' },
    ]);
  });
});
