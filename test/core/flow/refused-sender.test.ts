import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyRefusedSenderHint } from '../../../src/core/flow/direction-hints';
import { DirectionReason, DIRECTION_REASON_NAMES, Hint, FlowRecord } from '../../../src/core/flow/record';
import { memoryInputFile } from '../../../src/core/ingest/source';
import { edgeRows, runAnalyze } from '../../helpers/engine';

const record = (srcPort: number, dstPort: number, hint: number = Hint.none): FlowRecord => {
  const r = new FlowRecord();
  r.srcPort = srcPort;
  r.dstPort = dstPort;
  if (hint !== Hint.none) r.setHint(hint as 1 | 2, DirectionReason.tcpFlags);
  return r;
};

describe('a refused record\u2019s sender opened the connection', () => {
  it('hints the sender as the client, unless the record runs from a well-known port to an ephemeral one (a response a stateless ACL dropped)', () => {
    const probe = record(50041, 33004);
    applyRefusedSenderHint(probe);
    expect([probe.hint, probe.hintReason]).toEqual([Hint.srcIsClient, DirectionReason.refusedSender]);
    const response = record(443, 50000);
    applyRefusedSenderHint(response);
    expect(response.hint).toBe(Hint.none);
    const flagged = record(50000, 443, Hint.srcIsServer);
    applyRefusedSenderHint(flagged);
    expect([flagged.hint, flagged.hintReason]).toEqual([Hint.srcIsServer, DirectionReason.tcpFlags]);
    const icmp = record(-1, 8);
    applyRefusedSenderHint(icmp);
    expect(icmp.hint).toBe(Hint.none);
  });

  it('the elastic-integrations AWS v5 REJECT ingress record keeps 89.160.20.156 as the client (it was turned around by the degree heuristic)', async () => {
    const bytes = await readFile(fileURLToPath(new URL('../../fixtures/aws/elastic-v5-reject.log', import.meta.url)));
    const { db } = await runAnalyze({ inputs: [memoryInputFile('elastic-v5-reject.log', bytes)] });
    const edges = await edgeRows(db);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ client: '89.160.20.156', server: '10.200.0.80', proto: 17, port: 33004, action: 2 });
    expect(DIRECTION_REASON_NAMES[edges[0]!.reason]).toBe('refused-sender');
  });
});
