/**
 * IPv4 addresses read straight from bytes. A plain dotted quad (four
 * decimal octets ≤ 255, no leading zeros) is already its own canonical
 * text (what net/ip.ts's canonicalIp returns for it), so a hot parser can
 * turn its bytes into a 32-bit number and look the text up by that number:
 * no hashing of bytes, no decoding, no string-keyed map per record.
 * Anything else (IPv6, zeros in front, '-') is left to the checked path.
 */

const DOT = 46;
const ZERO = 48;

/** The address in bytes[start, end) as an unsigned 32-bit number, or -1 when it is not a plain dotted quad. */
export function plainIpv4(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 7 || end - start > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      continue;
    }
    const digit = byte - ZERO;
    if (digit < 0 || digit > 9) return -1;
    // "0" alone is an octet; "01" is not canonical (and ipaddr.js reads it as octal).
    if (digits === 1 && octet === 0) return -1;
    octet = octet * 10 + digit;
    if (octet > 255) return -1;
    digits++;
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

const SLOTS = 1 << 15;
const decoder = new TextDecoder('utf-8');

/**
 * The canonical text of plain IPv4 addresses by their number: the same
 * string object each time. Bounded like ByteStringCache: it starts over
 * when half full, so endless distinct addresses cost decoding, not memory.
 */
export class Ipv4Texts {
  private readonly keys = new Float64Array(SLOTS).fill(-1);
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(SLOTS);
  private used = 0;

  /** The text of `address` (from plainIpv4), whose bytes are bytes[start, end). */
  get(address: number, bytes: Uint8Array, start: number, end: number): string {
    let slot = (Math.imul(address | 0, 0x9e3779b1) >>> 17) & (SLOTS - 1);
    for (;;) {
      const key = this.keys[slot]!;
      if (key === address) return this.texts[slot]!;
      if (key < 0) break;
      slot = (slot + 1) & (SLOTS - 1);
    }
    const text = decoder.decode(bytes.subarray(start, end));
    if (this.used >= SLOTS / 2) {
      this.keys.fill(-1);
      this.texts.fill(undefined);
      this.used = 0;
    } else {
      this.keys[slot] = address;
      this.texts[slot] = text;
      this.used++;
    }
    return text;
  }
}
