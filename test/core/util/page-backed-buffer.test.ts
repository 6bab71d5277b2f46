import { describe, expect, it } from 'vitest';
import { pageBackedBuffer } from '../../../src/core/util/page-backed-buffer';

/** ES2024's ArrayBuffer.prototype.resizable (the project's lib is ES2023; Node 20 has it). */
function isResizable(buffer: ArrayBuffer): boolean {
  return (buffer as { readonly resizable?: boolean }).resizable === true;
}

describe('page-backed buffers', () => {
  it('are resizable buffers (reserved from the page allocator, not malloc) of the size asked, zeroed', () => {
    const buffer = pageBackedBuffer(9_000);
    expect(isResizable(buffer)).toBe(true);
    expect(buffer.byteLength).toBe(9_000);
    expect(new Uint8Array(buffer).every((byte) => byte === 0)).toBe(true);
  });
});
