import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipKeepingOutput } from '../../../src/core/node/gunzip';

async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes decoded before the end or the error, read by a reader that waits `delayMs` after each chunk. */
async function drain(bytes: Uint8Array, chunkSize: number, delayMs: number): Promise<{ bytes: number; error: string | null }> {
  let count = 0;
  try {
    for await (const chunk of gunzipKeepingOutput(inChunks(bytes, chunkSize))) {
      count += chunk.byteLength;
      if (delayMs > 0) await pause(delayMs);
    }
  } catch (error) {
    return { bytes: count, error: (error as Error).message };
  }
  return { bytes: count, error: null };
}

const text = Array.from({ length: 20_000 }, (_, i) => `2 123456789012 eni-${i % 7} 10.0.${i % 5}.${i % 250} 443 6 ${i} ACCEPT OK\n`).join('');

describe('gunzipKeepingOutput (the CLI and tests gunzip)', () => {
  it('decompresses single- and multi-member files whatever the chunking', async () => {
    const half = text.length >> 1;
    const multi = Buffer.concat([gzipSync(text.slice(0, half)), gzipSync(text.slice(half))]);
    for (const size of [7, 512, 1 << 20]) {
      expect(await drain(gzipSync(text), size, 0), `chunks of ${size}`).toEqual({ bytes: text.length, error: null });
      expect(await drain(multi, size, 0), `multi-member, chunks of ${size}`).toEqual({ bytes: text.length, error: null });
    }
  });

  it('a truncated file yields the same bytes to a slow reader as to a fast one, then the error', async () => {
    // Node's stream discards buffered output when it fails: before this
    // gunzip, a reader that lagged behind got fewer rows than one that kept up.
    const whole = gzipSync(text);
    const cut = whole.subarray(0, Math.floor(whole.length * 0.8));
    const fast = await drain(cut, 512, 0);
    const slow = await drain(cut, 512, 5);
    expect(fast.error).toMatch(/unexpected end of file/);
    expect(fast.bytes).toBeGreaterThan(text.length * 0.5);
    expect(slow).toEqual(fast);
  });

  it('fails on corrupt data and on input that is not gzip', async () => {
    const corrupt = Buffer.from(gzipSync(text));
    corrupt.fill(0xaa, 40, 200);
    expect((await drain(corrupt, 512, 0)).error).not.toBeNull();
    expect((await drain(new TextEncoder().encode('plain text, not gzip'), 512, 0)).error).toMatch(/header/);
  });

  it('passes an error reading the input on to its reader', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield gzipSync(text).subarray(0, 100);
      throw new Error('disk gone');
    }
    await expect(async () => {
      for await (const _chunk of gunzipKeepingOutput(failing())) void _chunk;
    }).rejects.toThrow('disk gone');
  });

  it('stops reading its input when the reader stops early, and never buffers the whole output', async () => {
    // Incompressible content, so the output is not much bigger than the input.
    const big = gzipSync(randomBytes(64 << 20), { level: 1 });
    let pulled = 0;
    async function* counting(): AsyncGenerator<Uint8Array> {
      for await (const chunk of inChunks(big, 1 << 16)) {
        pulled++;
        yield chunk;
      }
    }
    let taken = 0;
    for await (const chunk of gunzipKeepingOutput(counting())) {
      taken += chunk.byteLength;
      await pause(20);
      if (taken > 2 << 20) break;
    }
    // Backpressure: the input read stops near the queue's limit (8 MiB), far from the 64 MiB file.
    expect(pulled * (1 << 16)).toBeLessThan(24 << 20);
  });
});
