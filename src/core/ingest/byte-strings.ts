/**
 * Strings for byte runs that repeat (addresses, interface ids, statuses):
 * a run seen before returns the very same string object, without decoding
 * or allocating, and a string whose hash V8 has already computed. Runs are
 * matched by an FNV-1a hash and a byte comparison. The table is bounded and
 * starts over when full, so hostile input with endless distinct values costs
 * decoding time, not memory.
 */
const SLOTS = 1 << 16;
const MAX_RUN = 64;
const decoder = new TextDecoder('utf-8');

export class ByteStringCache {
  private readonly hashes = new Int32Array(SLOTS);
  private readonly lengths = new Int32Array(SLOTS).fill(-1);
  private readonly arena = new Uint8Array(SLOTS * MAX_RUN);
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(SLOTS);
  private used = 0;

  get(bytes: Uint8Array, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_RUN) return decoder.decode(bytes.subarray(start, end));
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    let slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    for (;;) {
      const stored = this.lengths[slot]!;
      if (stored < 0) break;
      if (stored === length && this.hashes[slot] === hash && this.sameBytes(slot, bytes, start, length)) return this.strings[slot]!;
      slot = (slot + 1) & (SLOTS - 1);
    }
    const text = decoder.decode(bytes.subarray(start, end));
    if (this.used >= SLOTS / 2) this.clear();
    else {
      this.hashes[slot] = hash;
      this.lengths[slot] = length;
      this.arena.set(bytes.subarray(start, end), slot * MAX_RUN);
      this.strings[slot] = text;
      this.used++;
    }
    return text;
  }

  private sameBytes(slot: number, bytes: Uint8Array, start: number, length: number): boolean {
    const base = slot * MAX_RUN;
    for (let i = 0; i < length; i++) if (this.arena[base + i] !== bytes[start + i]) return false;
    return true;
  }

  private clear(): void {
    this.lengths.fill(-1);
    this.strings.fill(undefined);
    this.used = 0;
  }
}
