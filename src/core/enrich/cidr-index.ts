import ipaddr from 'ipaddr.js';
import { appendTo } from '../util/multimap';
import type { Cidr } from './address-scope';

/**
 * Which networks contain an address, by one lookup per distinct prefix
 * length in use (at most 33 for IPv4, 129 for IPv6) instead of one test per
 * network: matching 100,000 hosts against thousands of inventory subnets
 * stays linear.
 */
export class CidrIndex<T> {
  /** family → prefix length → masked network bytes → values. */
  private readonly networks = new Map<string, Map<number, Map<string, T[]>>>();

  add(cidr: Cidr, value: T): void {
    const family = cidr.network.kind();
    let lengths = this.networks.get(family);
    if (lengths === undefined) {
      lengths = new Map();
      this.networks.set(family, lengths);
    }
    let entries = lengths.get(cidr.bits);
    if (entries === undefined) {
      entries = new Map();
      lengths.set(cidr.bits, entries);
    }
    const key = maskedKey(cidr.network.toByteArray(), cidr.bits);
    appendTo(entries, key, value);
  }

  /** The values of every network containing `ip`, wider networks first. */
  match(ip: string): T[] {
    const address = ipaddr.parse(ip);
    const lengths = this.networks.get(address.kind());
    if (lengths === undefined) return [];
    const bytes = address.toByteArray();
    const found: T[] = [];
    for (const bits of [...lengths.keys()].sort((a, b) => a - b)) {
      const values = lengths.get(bits)!.get(maskedKey(bytes, bits));
      if (values !== undefined) for (const value of values) found.push(value);
    }
    return found;
  }

  get size(): number {
    let count = 0;
    for (const lengths of this.networks.values()) for (const entries of lengths.values()) for (const values of entries.values()) count += values.length;
    return count;
  }
}

function maskedKey(bytes: readonly number[], bits: number): string {
  let key = '';
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    key += (bytes[i]! & mask).toString(16).padStart(2, '0');
  }
  return key;
}
