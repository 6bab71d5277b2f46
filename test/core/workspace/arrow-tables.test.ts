import { makeVector, Table, tableToIPC, vectorFromArray, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { profileEdgesFromIpc, profileEdgesIpc } from '../../../src/core/workspace/arrow-tables';

describe('discovery edges in a workspace', () => {
  it('keep their connection counts, and an unknown count stays unknown', () => {
    const edges = [
      { client: '10.0.0.1', server: '10.0.0.2', proto: 6, port: 443, flows: 1 },
      { client: '10.0.0.3', server: '10.0.0.2', proto: 17, port: 53, flows: 12_345_678_901 },
      { client: '10.0.0.4', server: '10.0.0.5', proto: 1, port: -1 },
    ];
    expect(profileEdgesFromIpc(profileEdgesIpc(edges), 'discovery-edges.arrow')).toEqual(edges);
  });

  it('read from a workspace written before counts were kept, as edges without counts', () => {
    const older = tableToIPC(
      new Table({
        client: vectorFromArray(['10.0.0.1'], new Utf8()),
        server: vectorFromArray(['10.0.0.2'], new Utf8()),
        proto: makeVector(Uint8Array.from([6])),
        port: makeVector(Int32Array.from([443])),
      }),
      'file',
    );
    expect(profileEdgesFromIpc(older, 'discovery-edges.arrow')).toEqual([{ client: '10.0.0.1', server: '10.0.0.2', proto: 6, port: 443 }]);
  });

  it('refuse a counts column of the wrong type', () => {
    const forged = tableToIPC(
      new Table({
        client: vectorFromArray(['10.0.0.1'], new Utf8()),
        server: vectorFromArray(['10.0.0.2'], new Utf8()),
        proto: makeVector(Uint8Array.from([6])),
        port: makeVector(Int32Array.from([443])),
        flows: vectorFromArray(['many'], new Utf8()),
      }),
      'file',
    );
    expect(() => profileEdgesFromIpc(forged, 'discovery-edges.arrow')).toThrow(/column flows holds Utf8, not number/);
  });
});
