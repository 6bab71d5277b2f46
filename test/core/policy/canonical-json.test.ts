import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex, sha256OfStream } from '../../../src/core/policy/canonical-json';

async function* chunks(parts: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part;
}

describe('canonicalJson', () => {
  it('gives identical text for objects whose keys were inserted in another order', () => {
    const a = { b: 1, a: { d: [{ y: 1, x: 2 }], c: 'text' } };
    const b = { a: { c: 'text', d: [{ x: 2, y: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{\n  "a": {\n    "c": "text",\n    "d": [\n      {\n        "x": 2,\n        "y": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });

  it('keeps array order, sorts keys by code unit and leaves undefined fields out', () => {
    expect(canonicalJson({ Z: 1, a: 2, _: 3, gone: undefined, list: [3, 1, 2] })).toBe('{\n  "Z": 1,\n  "_": 3,\n  "a": 2,\n  "list": [\n    3,\n    1,\n    2\n  ]\n}\n');
    expect(canonicalJson(null)).toBe('null\n');
    expect(canonicalJson([])).toBe('[]\n');
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 vectors', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes text as UTF-8', () => {
    expect(sha256Hex('é')).toBe(sha256Hex(new Uint8Array([0xc3, 0xa9])));
  });
});

describe('sha256OfStream', () => {
  it('equals the one-shot digest over any chunking, and counts the bytes', async () => {
    const text = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
    const bytes = new TextEncoder().encode(text);
    const oneShot = sha256Hex(bytes);
    expect(oneShot).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(await sha256OfStream(chunks([bytes]))).toEqual({ sha256: oneShot, bytes: 56 });
    expect(await sha256OfStream(chunks([bytes.subarray(0, 1), bytes.subarray(1, 30), new Uint8Array(0), bytes.subarray(30)]))).toEqual({ sha256: oneShot, bytes: 56 });
    const perByte = [...bytes].map((b) => new Uint8Array([b]));
    expect(await sha256OfStream(chunks(perByte))).toEqual({ sha256: oneShot, bytes: 56 });
  });

  it('gives the empty digest for no chunks', async () => {
    expect(await sha256OfStream(chunks([]))).toEqual({ sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', bytes: 0 });
  });
});
