import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, Hint } from '../../../../src/core/flow/record';
import { hubbleFormat } from '../../../../src/core/ingest/formats/hubble';
import { sniffSample } from '../../../../src/core/ingest/sniff';
import { expectAccounted, parsePath, parseText, type ParsedRecord } from '../../../helpers/parse-file';
import { HAS_SHARED_DATA, sample } from '../../../helpers/samples';

const DIR = 'cilium-hubble-otel';

describe.skipIf(!HAS_SHARED_DATA)('hubble on the real samples (needs ../shared/data)', () => {
  it('claims every flow file, reads every line, and leaves the derived inventory alone', async () => {
    const counts: Record<string, number> = {};
    for (const file of await readdir(sample(DIR))) {
      if (!file.startsWith('basic-sample-')) continue;
      const parsed = await parsePath(sample(`${DIR}/${file}`));
      expectAccounted(parsed);
      expect(parsed.report.format).toBe('hubble');
      expect(parsed.report.rejected).toBe(0);
      counts[file] = parsed.report.accepted;
    }
    expect(counts).toEqual({
      'basic-sample-10-flows.json': 10,
      'basic-sample-330-dns-flows.json': 330,
      'basic-sample-348-http-flows.json': 348,
      'basic-sample-400-icmpv4-flows.json': 18,
      'basic-sample-400-l7-redirected-flows.json': 400,
      'basic-sample-400-tcp-flows.json': 400,
      'basic-sample-400-udp-flows.json': 400,
      'basic-sample-5-dns-flows.json': 5,
      'basic-sample-5-http-flows.json': 5,
    });
    const inventory = await parsePath(sample(`${DIR}/DERIVED-pod-ip-inventory.json`));
    expect(inventory.report.format).not.toBe('hubble');
  });

  it('reads the older `reply` field, TCP flags and node:point observers', async () => {
    const parsed = await parsePath(sample(`${DIR}/basic-sample-10-flows.json`));
    expect(parsed.records[0]).toMatchObject({
      startMs: Date.UTC(2021, 5, 16, 16, 52, 13, 136) + 0.834446,
      src: '10.0.2.16',
      dst: '10.0.2.1',
      srcPort: 15020,
      dstPort: 42044,
      proto: 6,
      tcpFlags: 1 | 16,
      action: Action.allow,
      hint: Hint.srcIsServer,
      hintReason: DirectionReason.replyField,
      observer: 'gke-ilya-otel-demo-1-ilya-otel-demo-1-6114bb84-zr1l:TO_STACK',
      packets: 0,
      bytes: 0,
    });
    // Neither reply nor is_reply, and no SYN: no evidence.
    expect(parsed.records[1]).toMatchObject({ src: '10.0.2.1', srcPort: 42044, dstPort: 15020, hint: Hint.none });
  });

  it('reads ICMP types, including the type 0 that protobuf JSON omits', async () => {
    const parsed = await parsePath(sample(`${DIR}/basic-sample-400-icmpv4-flows.json`));
    expect(parsed.records[0]).toMatchObject({ proto: 1, src: '10.244.0.148', dst: '10.244.0.160', srcPort: -1, dstPort: 8, hint: Hint.srcIsClient });
    // "ICMPv4":{} is an echo reply: the answering side carries the echo service.
    expect(parsed.records[1]).toMatchObject({ proto: 1, src: '10.244.0.160', srcPort: 8, dstPort: -1, hint: Hint.srcIsServer });
    const overlay = parsed.records.filter((record) => record.observer === 'kind-control-plane:TO_OVERLAY');
    expect(overlay.length).toBeGreaterThan(0);
    // No reply field on the overlay: the ICMP type is the evidence.
    expect(overlay.some((record) => record.hintReason === DirectionReason.icmpType)).toBe(true);
  });

  it('reads L7 records with their request/response direction and REDIRECTED verdicts as allowed', async () => {
    const http = await parsePath(sample(`${DIR}/basic-sample-5-http-flows.json`));
    expect(http.records[0]).toMatchObject({
      src: '10.156.2.7',
      dst: '10.128.0.4',
      dstPort: 9990,
      hint: Hint.srcIsClient,
      hintReason: DirectionReason.replyField,
      tcpFlags: -1,
      observer: 'gke-ilya-otel-demo-2-ilya-otel-demo-2-dac8cc20-hr0z:L7',
    });
    const redirected = await parsePath(sample(`${DIR}/basic-sample-400-l7-redirected-flows.json`));
    expect(redirected.records[0]).toMatchObject({
      src: '10.244.0.206',
      dst: '10.244.1.227',
      srcPort: 54314,
      dstPort: 53,
      proto: 17,
      action: Action.allow,
      hint: Hint.srcIsClient,
      observer: 'kind-control-plane:POLICY_VERDICT',
    });
  });

  it('implies the Bookinfo client→server pairs of the ground truth, never reversed', async () => {
    const inventory = JSON.parse(await readFile(sample(`${DIR}/DERIVED-pod-ip-inventory.json`), 'utf8')) as {
      pods: { ip: string; labels: string[] }[];
    };
    const app = new Map<string, string>();
    for (const pod of inventory.pods) {
      const label = pod.labels.find((l) => l.startsWith('k8s:app=') || l.startsWith('k8s:k8s-app='));
      if (label !== undefined) app.set(pod.ip, label.slice(label.indexOf('=') + 1));
    }
    const records: ParsedRecord[] = [];
    for (const file of ['basic-sample-400-tcp-flows.json', 'basic-sample-400-udp-flows.json', 'basic-sample-400-l7-redirected-flows.json']) {
      records.push(...(await parsePath(sample(`${DIR}/${file}`))).records);
    }
    const pairs = new Set<string>();
    const observersOf = new Map<string, Set<string>>();
    for (const record of records) {
      if (record.hint === Hint.none) continue;
      const srcIsClient = record.hint === Hint.srcIsClient;
      const client = app.get(srcIsClient ? record.src : record.dst);
      const server = app.get(srcIsClient ? record.dst : record.src);
      if (client === undefined || server === undefined) continue;
      const pair = `${client}->${server}:${srcIsClient ? record.dstPort : record.srcPort}`;
      pairs.add(pair);
      observersOf.set(pair, (observersOf.get(pair) ?? new Set()).add(record.observer.slice(record.observer.lastIndexOf(':') + 1)));
    }
    // Between pod addresses, reviews→ratings is seen only by the proxy (L7): its L3/L4 legs
    // leave the node's address as the client. Rejecting L7 would lose this edge.
    expect([...observersOf.get('reviews->ratings:9080')!]).toEqual(['L7']);
    expect([...pairs].sort()).toEqual([
      'productpage->details:9080',
      'productpage->kube-dns:53',
      'productpage->reviews:9080',
      'ratings->kube-dns:53',
      'ratings->productpage:9080', // the Istio docs' test curl from the ratings pod
      'reviews->ratings:9080',
    ]);
  });
});

function flowLine(flow: Record<string, unknown>, top: Record<string, unknown> = {}): string {
  return JSON.stringify({
    flow: {
      time: '2024-01-01T00:00:00.5Z',
      verdict: 'FORWARDED',
      IP: { source: '10.0.0.1', destination: '10.0.0.2', ipVersion: 'IPv4' },
      l4: { TCP: { source_port: 40000, destination_port: 8080, flags: { ACK: true } } },
      source: { identity: 100, labels: ['k8s:app=a'] },
      destination: { identity: 200, labels: ['k8s:app=b'] },
      Type: 'L3_L4',
      node_name: 'node-1',
      event_type: { type: 4 },
      trace_observation_point: 'TO_ENDPOINT',
      ...flow,
    },
    node_name: 'node-1',
    time: '2024-01-01T00:00:00.5Z',
    ...top,
  });
}

describe('hubble edge cases', () => {
  it('maps verdicts, reply fields and flags to actions and hints', async () => {
    const parsed = await parseText(
      [
        flowLine({ is_reply: false }),
        flowLine({ is_reply: true, reply: true }),
        flowLine({ reply: true }),
        flowLine({ is_reply: true, l4: { TCP: { source_port: 40000, destination_port: 8080, flags: { SYN: true } } } }),
        flowLine({ l4: { TCP: { source_port: 8080, destination_port: 40000, flags: { SYN: true, ACK: true } } } }),
        flowLine({ verdict: 'DROPPED', event_type: { type: 1, sub_type: 133 }, trace_observation_point: undefined }),
        flowLine({ verdict: 'AUDIT' }),
        flowLine({ verdict: 'ERROR' }),
        flowLine({ verdict: 'REDIRECTED', event_type: { type: 5 }, trace_observation_point: undefined }),
      ].join('\n'),
    );
    expectAccounted(parsed);
    const summary = parsed.records.map((r) => [r.action, r.hint, r.hintReason, r.tcpFlags, r.observer]);
    expect(summary).toEqual([
      [Action.allow, Hint.srcIsClient, DirectionReason.replyField, 16, 'node-1:TO_ENDPOINT'],
      [Action.allow, Hint.srcIsServer, DirectionReason.replyField, 16, 'node-1:TO_ENDPOINT'],
      [Action.allow, Hint.srcIsServer, DirectionReason.replyField, 16, 'node-1:TO_ENDPOINT'],
      // A bare SYN outranks a contradicting reply field.
      [Action.allow, Hint.srcIsClient, DirectionReason.tcpFlags, 2, 'node-1:TO_ENDPOINT'],
      [Action.allow, Hint.srcIsServer, DirectionReason.tcpFlags, 18, 'node-1:TO_ENDPOINT'],
      [Action.deny, Hint.none, DirectionReason.none, 16, 'node-1:DROP'],
      [Action.unknown, Hint.none, DirectionReason.none, 16, 'node-1:TO_ENDPOINT'],
      [Action.unknown, Hint.none, DirectionReason.none, 16, 'node-1:TO_ENDPOINT'],
      [Action.allow, Hint.none, DirectionReason.none, 16, 'node-1:POLICY_VERDICT'],
    ]);
    expect(parsed.records[0]).toMatchObject({ startMs: Date.UTC(2024, 0, 1, 0, 0, 0, 500), endMs: Date.UTC(2024, 0, 1, 0, 0, 0, 500) });
  });

  it('reads UDP, SCTP, ICMPv6, IPv6, omitted ports and bare flows (older CLI)', async () => {
    const bare = JSON.parse(flowLine({})).flow as Record<string, unknown>;
    const parsed = await parseText(
      [
        flowLine({ l4: { UDP: { source_port: 5353 } } }),
        flowLine({ l4: { SCTP: { source_port: 1, destination_port: 2 } } }),
        flowLine({ IP: { source: 'FE80:0:0:0::1', destination: 'ff02::2' }, l4: { ICMPv6: { type: 133 } } }),
        flowLine({ IP: { source: 'fe80::2', destination: 'fe80::1' }, l4: { ICMPv6: { type: 129 } } }),
        JSON.stringify(bare),
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'hubble', accepted: 5 });
    expect(parsed.records[0]).toMatchObject({ proto: 17, srcPort: 5353, dstPort: 0, tcpFlags: -1 });
    expect(parsed.records[1]).toMatchObject({ proto: 132, srcPort: 1, dstPort: 2 });
    expect(parsed.records[2]).toMatchObject({ proto: 58, src: 'fe80::1', dstPort: 133, hint: Hint.srcIsClient, hintReason: DirectionReason.icmpType });
    expect(parsed.records[3]).toMatchObject({ proto: 58, srcPort: 128, dstPort: -1, hint: Hint.srcIsServer });
    expect(parsed.records[4]).toMatchObject({ src: '10.0.0.1', dstPort: 8080, observer: 'node-1:TO_ENDPOINT' });
  });

  it('rejects non-flow responses, socket events and broken flows with the field named', async () => {
    const parsed = await parseText(
      [
        '{"node_status":{"state_change":"NODE_CONNECTED","node_names":["n1"]},"node_name":"relay","time":"2024-01-01T00:00:00Z"}',
        '{"lost_events":{"source":"HUBBLE_RING_BUFFER","num_events_lost":10}}',
        flowLine({ Type: 'SOCK' }),
        flowLine({ IP: undefined }),
        flowLine({ IP: { source: '10.0.0.1', destination: 'nope' } }),
        flowLine({ l4: { TCP: { source_port: 70000 } } }),
        flowLine({ l4: {} }),
        flowLine({ l4: { ICMPv4: { type: 300 } } }),
        flowLine({ time: 'yesterday' }),
        '{"flow": 3}',
        'not json',
        '',
        flowLine({}),
      ].join('\n'),
    );
    expectAccounted(parsed);
    expect(parsed.report).toMatchObject({ format: 'hubble', read: 12, accepted: 1, rejected: 11 });
    expect(parsed.report.rejectReasons).toEqual({
      'node_status: not a flow event': 1,
      'lost_events: not a flow event': 1,
      'Type: socket translation event, not a packet flow': 1,
      'IP: missing (not an IP flow)': 1,
      'IP.destination: not an IPv4 or IPv6 address': 1,
      'l4.TCP.source_port: not a port (0-65535)': 1,
      'l4: no TCP, UDP, SCTP, ICMPv4 or ICMPv6 layer': 1,
      'l4.ICMPv4.type: not an ICMP type (0-255)': 1,
      'time: not a timestamp': 1,
      'flow: expected an object': 1,
      'not valid JSON': 1,
    });
  });

  it('sniffs Hubble lines only', () => {
    expect(hubbleFormat.sniff(sniffSample(`${flowLine({})}\n`))).toBe(1);
    expect(hubbleFormat.sniff(sniffSample(`{"node_status":{"state_change":"NODE_CONNECTED"}}\n${flowLine({})}\n`))).toBe(1);
    const suricata =
      '{"timestamp":"2024-01-01T00:00:00.000000+0000","flow_id":1,"event_type":"flow","src_ip":"10.0.0.1","flow":{"pkts_toserver":1}}';
    expect(hubbleFormat.sniff(sniffSample(`${suricata}\n`))).toBe(0);
    expect(hubbleFormat.sniff(sniffSample('{\n "derived_from": "x",\n "pods": []\n}\n'))).toBe(0);
    expect(hubbleFormat.sniff(sniffSample(`[${flowLine({})}]\n`))).toBe(0);
  });
});
