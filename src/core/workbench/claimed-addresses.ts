import { ipv4Number, rangeCidrs } from '../discover/membership-rule';
import { parseCidr } from '../enrich/address-scope';

/**
 * IPv4 addresses that membership rules already hold, as sorted disjoint
 * ranges, so that a rule written later keeps only the addresses no earlier
 * one holds: a new host at an address two groups' blocks both claim would
 * be placed by group id alone, which says nothing about where it belongs.
 */
export class ClaimedAddresses {
  private ranges: [low: number, high: number][] = [];

  /** Holds every address of `cidrs` (IPv4 "a.b.c.d/n"; anything else holds nothing). */
  claim(cidrs: readonly string[]): void {
    for (const text of cidrs) {
      const range = cidrRange(text);
      if (range !== null) this.ranges.push(range);
    }
    this.ranges = merged(this.ranges);
  }

  /** The addresses of `cidrs` no claim holds, as CIDR blocks in the same order (the fewest per block); a block that is not IPv4 stays as it is. */
  unclaimed(cidrs: readonly string[]): string[] {
    const left: string[] = [];
    for (const text of cidrs) {
      const range = cidrRange(text);
      if (range === null) {
        left.push(text);
        continue;
      }
      let [low] = range;
      const high = range[1];
      for (const [takenLow, takenHigh] of this.ranges) {
        if (takenHigh < low) continue;
        if (takenLow > high) break;
        if (takenLow > low) left.push(...rangeCidrs(low, takenLow - 1));
        low = takenHigh + 1;
        if (low > high) break;
      }
      if (low <= high) left.push(...rangeCidrs(low, high));
    }
    return left;
  }
}

/** An IPv4 CIDR's first and last address (parsed as every rule's blocks are, address-scope.ts); null for anything else. */
function cidrRange(text: string): [number, number] | null {
  const cidr = parseCidr(text);
  if (cidr === null || cidr.network.kind() !== 'ipv4') return null;
  const base = ipv4Number(cidr.network.toString());
  return [base, base + 2 ** (32 - cidr.bits) - 1];
}

/** Sorted, with overlapping and adjacent ranges joined. */
function merged(ranges: readonly [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [low, high] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else out.push([low, high]);
  }
  return out;
}
