import ipaddr from 'ipaddr.js';

/**
 * The fewest CIDR blocks that cover a whole address family except the
 * given blocks, in address order: "any outside address" written as blocks
 * a firewall, a security group or a Cilium policy can take (0.0.0.0/0 would
 * also admit the organisation's own ranges). Blocks of the other family in
 * `excluded` are ignored.
 */
export function cidrComplement(family: 'ipv4' | 'ipv6', excluded: readonly string[]): string[] {
  const width = family === 'ipv4' ? 32 : 128;
  const holes = excluded
    .map((text) => ipaddr.parseCIDR(text))
    .filter(([address]) => address.kind() === family)
    .map(([address, bits]) => ({ base: toBigInt(address.toByteArray()) & mask(bits, width), bits }));
  const out: string[] = [];
  const cover = (base: bigint, bits: number): void => {
    const size = 1n << BigInt(width - bits);
    let partial = false;
    for (const hole of holes) {
      const holeSize = 1n << BigInt(width - hole.bits);
      if (hole.base <= base && base + size <= hole.base + holeSize) return;
      if (hole.base < base + size && base < hole.base + holeSize) partial = true;
    }
    if (!partial) {
      out.push(`${fromBigInt(base, family)}/${bits}`);
      return;
    }
    cover(base, bits + 1);
    cover(base + size / 2n, bits + 1);
  };
  cover(0n, 0);
  return out;
}

const mask = (bits: number, width: number): bigint => (bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits));

function toBigInt(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function fromBigInt(value: bigint, family: 'ipv4' | 'ipv6'): string {
  const length = family === 'ipv4' ? 4 : 16;
  const bytes: number[] = [];
  for (let i = length - 1; i >= 0; i--) bytes.unshift(Number((value >> BigInt(8 * (length - 1 - i))) & 0xffn));
  const address = ipaddr.fromByteArray(bytes);
  return address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}
