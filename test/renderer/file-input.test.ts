import { describe, expect, it } from 'vitest';
import { inputFileFromFile, streamChunks } from '../../src/renderer/engine/file-input';

const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);

describe('inputFileFromFile', () => {
  it('streams the whole file and reports its size and path', async () => {
    const input = inputFileFromFile(new Blob([bytes]), 'exports/flows.log');
    expect(input.path).toBe('exports/flows.log');
    expect(input.size).toBe(bytes.length);
    const parts: Uint8Array[] = [];
    for await (const chunk of input.open()) parts.push(chunk);
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
  });

  it('gives a fresh stream on every open', async () => {
    const input = inputFileFromFile(new Blob([bytes]), 'a');
    for (let round = 0; round < 2; round++) {
      let total = 0;
      for await (const chunk of input.open()) total += chunk.byteLength;
      expect(total).toBe(bytes.length);
    }
  });

  it('reads byte ranges, as Parquet needs for its footer', async () => {
    const input = inputFileFromFile(new Blob([bytes]), 'a');
    expect([...(await input.read(0, 4))]).toEqual([0, 1, 2, 3]);
    expect([...(await input.read(bytes.length - 3, bytes.length))]).toEqual([...bytes.subarray(bytes.length - 3)]);
    expect((await input.read(10, 10)).byteLength).toBe(0);
  });
});

describe('streamChunks', () => {
  it('cancels the underlying stream when the consumer stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(8)),
      cancel: () => {
        cancelled = true;
      },
    });
    for await (const chunk of streamChunks(stream)) {
      expect(chunk.byteLength).toBe(8);
      break;
    }
    expect(cancelled).toBe(true);
  });
});
