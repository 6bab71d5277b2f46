import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/core/ingest/text-lines';
import { RowError } from '../../../src/core/ingest/row-error';
import { counter, epochSeconds, isoTime, port } from '../../../src/core/ingest/values';
import { canonicalIp } from '../../../src/core/net/ip';

function split(chunks: string[], max = 10): { lines: [number, string][]; overlong: [number, number][] } {
  const lines: [number, string][] = [];
  const overlong: [number, number][] = [];
  const splitter = new LineSplitter({ line: (text, n) => lines.push([n, text]), overlong: (n, length) => overlong.push([n, length]) }, max);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return { lines, overlong };
}

describe('line splitting', () => {
  it('joins lines across chunks, strips CRLF and keeps a last line without newline', () => {
    expect(split(['ab', 'c\r\nde', 'f\nlast']).lines).toEqual([[1, 'abc'], [2, 'def'], [3, 'last']]);
  });

  it('reports an overlong line once with its length and carries on after it', () => {
    const { lines, overlong } = split(['ok\n0123456789', 'ABCDEFGHIJ', 'KLM\nafter\n']);
    expect(lines).toEqual([[1, 'ok'], [3, 'after']]);
    expect(overlong).toEqual([[2, 23]]);
  });
});

describe('field values', () => {
  it('reads RFC 3339 with nanoseconds, offsets with or without colon, and naive times as UTC', () => {
    expect(isoTime('2019-06-14T03:45:37.301953198Z', 't')).toBeCloseTo(Date.UTC(2019, 5, 14, 3, 45, 37) + 301.953198, 3);
    expect(isoTime('2021-01-01T10:00:00-0400', 't')).toBe(Date.UTC(2021, 0, 1, 14));
    expect(isoTime('2021-01-01 10:00:00+02:00', 't')).toBe(Date.UTC(2021, 0, 1, 8));
    expect(isoTime('2011/08/10 09:46:53'.replace(/\//g, '-'), 't')).toBe(Date.UTC(2011, 7, 10, 9, 46, 53));
  });

  it('rejects impossible dates and times far outside flow data', () => {
    expect(() => isoTime('2021-02-30T00:00:00Z', 'start')).toThrow(/start: impossible timestamp/);
    expect(() => epochSeconds('99999999999', 'start')).toThrow(/impossible timestamp/);
    expect(() => epochSeconds('-5', 'start')).toThrow(RowError);
    expect(epochSeconds('164000066', 'start')).toBe(164000066000);
  });

  it('checks ports and counters', () => {
    expect(port('65535', 'p')).toBe(65535);
    expect(() => port('65536', 'dstport')).toThrow('dstport: not a port (0-65535) (got "65536")');
    expect(() => counter('-1', 'bytes')).toThrow('bytes: negative counter (got "-1")');
    expect(counter('-', 'bytes')).toBe(0);
    expect(counter('12.0', 'bytes')).toBe(12);
    for (const text of ['0x10', '1e3', ' ', '1.5', '12a']) expect(() => counter(text, 'bytes'), text).toThrow('bytes: not a counter');
  });

  it('canonicalises addresses the way every format needs', () => {
    expect(canonicalIp('fe80:0000:0000:0000:0204:61ff:fe9d:f156')).toBe('fe80::204:61ff:fe9d:f156');
    expect(canonicalIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
    expect(canonicalIp('010.1.2.3')).toBeNull();
    expect(canonicalIp('10.1.2')).toBeNull();
  });
});
