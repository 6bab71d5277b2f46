import { describe, expect, it } from 'vitest';
import { PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../../src/core/flow/protocols';
import { PORT_CLASS, portClass, portClassSql } from '../../../src/core/model/port-class';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';

const CASES: readonly [number, number, number][] = [
  [PROTO_TCP, -1, PORT_CLASS.none],
  [PROTO_TCP, 102, PORT_CLASS.wellKnown],
  [PROTO_TCP, 1433, PORT_CLASS.named],
  [PROTO_TCP, 4999, PORT_CLASS.registered],
  [PROTO_TCP, 44818, PORT_CLASS.named],
  [PROTO_UDP, 2222, PORT_CLASS.named],
  // A TCP name says nothing of UDP on the same number, and the other way round.
  [PROTO_UDP, 1433, PORT_CLASS.registered],
  [PROTO_TCP, 2222, PORT_CLASS.registered],
  [PROTO_UDP, 34962, PORT_CLASS.registered],
  [PROTO_TCP, 40000, PORT_CLASS.ephemeral],
  [PROTO_TCP, 51000, PORT_CLASS.ephemeral],
  [PROTO_ICMP, 1433, PORT_CLASS.registered],
];

describe('port classes', () => {
  it('rank well-known, named registered, registered and ephemeral ports', () => {
    for (const [proto, port, expected] of CASES) expect([proto, port, portClass(proto, port)]).toEqual([proto, port, expected]);
  });

  it('are the same in SQL', async () => {
    const db = await openNodeDuckDb();
    try {
      const values = CASES.map(([proto, port]) => `(${proto}, ${port})`).join(', ');
      const rows = await db.all<{ proto: number; port: number; class: number }>(`SELECT proto, port, ${portClassSql('port', 'proto')} AS class FROM (VALUES ${values}) AS t(proto, port)`);
      expect(rows.map((row) => [Number(row.proto), Number(row.port), Number(row.class)])).toEqual(CASES.map(([proto, port, expected]) => [proto, port, expected]));
    } finally {
      await db.close();
    }
  });
});
