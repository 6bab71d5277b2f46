// The plant's address plan. Site operations, the DMZ and each production
// line get a /24 of their own, except one legacy flat network (the
// integrator's default 192.168.1.0/24) that two older lines still share, so
// an address's subnet does not tell its line there. Within a /24, addresses
// were handed out as devices were commissioned, in no order (no "PLCs from
// .10 up"): each subnet gives its host numbers in a shuffled order. The
// enterprise (10.200.0.0/16, the corporate network beyond the IT/OT
// firewall) and the internet are outside the plant.
import type { Dice } from './random';

export class Subnet {
  private readonly free: number[];

  constructor(
    readonly prefix: string,
    dice: Dice,
    /** Host numbers kept back (gateway, switches' management). */
    reserved: readonly number[] = [1, 2, 3, 254],
  ) {
    const pool: number[] = [];
    for (let n = 5; n <= 250; n++) if (!reserved.includes(n)) pool.push(n);
    this.free = dice.shuffled(pool);
  }

  get cidr(): string {
    return `${this.prefix}.0/24`;
  }

  get broadcast(): string {
    return `${this.prefix}.255`;
  }

  /** The next free address. */
  take(): string {
    const n = this.free.pop();
    if (n === undefined) throw new Error(`subnet ${this.cidr} is full`);
    return `${this.prefix}.${n}`;
  }

  /** Every host address of the /24 (.1–.254), for a sweep. */
  all(): string[] {
    return Array.from({ length: 254 }, (_, i) => `${this.prefix}.${i + 1}`);
  }
}

/** A public unicast address, not yet used, in ranges big providers announce. */
export function publicAddress(dice: Dice, used: Set<string>, firstOctets: readonly number[] = [13, 20, 23, 40, 52, 104, 151, 185, 194]): string {
  for (;;) {
    const ip = `${dice.one(firstOctets)}.${dice.between(1, 254)}.${dice.between(0, 255)}.${dice.between(2, 253)}`;
    if (!used.has(ip)) {
      used.add(ip);
      return ip;
    }
  }
}

/** Sort key of a dotted IPv4 address. */
export function ipNumber(ip: string): number {
  return ip.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}
