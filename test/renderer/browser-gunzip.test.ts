import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipMembers } from '../../src/renderer/engine/browser-gunzip';

/**
 * Runs on Node's DecompressionStream (the same web API the worker uses).
 * Chromium's own member-by-member behaviour is covered by the end-to-end test,
 * which ingests a multi-member file in Chromium.
 */
async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function gunzipText(bytes: Uint8Array, chunkSize = 4096): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of gunzipMembers(inChunks(bytes, chunkSize))) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

const text = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}\n`).join('');

describe('gunzipMembers', () => {
  it('decompresses a single member whatever the chunking', async () => {
    for (const size of [5, 4096, 1 << 20]) expect(await gunzipText(gzipSync(text), size), `chunks of ${size}`).toBe(text);
  });

  it('decompresses every member of a multi-member file', async () => {
    const third = Math.floor(text.length / 3);
    const bytes = Buffer.concat([gzipSync(text.slice(0, third)), gzipSync(text.slice(third, 2 * third)), gzipSync(text.slice(2 * third))]);
    expect(await gunzipText(bytes)).toBe(text);
  });

  it('rejects a truncated file', async () => {
    const whole = gzipSync(text);
    await expect(gunzipText(whole.subarray(0, whole.length - 10))).rejects.toThrow();
    await expect(gunzipText(whole.subarray(0, 5))).rejects.toThrow();
  });

  it('rejects corrupt data', async () => {
    const whole = Buffer.from(gzipSync(text));
    whole.fill(0xaa, 40, 200);
    await expect(gunzipText(whole)).rejects.toThrow();
  });

  it('rejects input that is not gzip at all', async () => {
    await expect(gunzipText(new TextEncoder().encode('plain text, not gzip'))).rejects.toThrow();
  });

  it('stops reading its input when the consumer stops early', async () => {
    let pulled = 0;
    async function* counting(): AsyncGenerator<Uint8Array> {
      for await (const chunk of inChunks(gzipSync(text), 1024)) {
        pulled++;
        yield chunk;
      }
    }
    for await (const chunk of gunzipMembers(counting())) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    expect(pulled).toBeLessThan(Math.ceil(gzipSync(text).length / 1024));
  });
});
