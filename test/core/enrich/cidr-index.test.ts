import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../../src/core/enrich/address-scope';
import { CidrIndex } from '../../../src/core/enrich/cidr-index';
import { Random } from '../../../src/core/util/random';

const v4 = (r: Random) => `${r.int(0, 3) === 0 ? 10 : r.int(0, 255)}.${r.int(0, 3)}.${r.int(0, 255)}.${r.int(0, 255)}`;
const v6 = (r: Random) => `fd00:${r.int(0, 3).toString(16)}::${r.int(0, 0xffff).toString(16)}:${r.int(0, 0xffff).toString(16)}`;

describe('CIDR index', () => {
  it('finds exactly the networks ipaddr.js says contain an address, wider first', () => {
    const random = new Random(7);
    const index = new CidrIndex<string>();
    const cidrs: string[] = [];
    for (let i = 0; i < 300; i++) {
      const text = i % 2 === 0 ? `${v4(random)}/${random.pick([0, 8, 12, 16, 20, 24, 30, 32])}` : `${v6(random)}/${random.pick([0, 16, 32, 64, 100, 128])}`;
      const cidr = parseCidr(text)!;
      index.add(cidr, cidr.text);
      cidrs.push(cidr.text);
    }
    for (let i = 0; i < 2000; i++) {
      const ip = i % 2 === 0 ? v4(random) : ipaddr.IPv6.parse(v6(random)).toRFC5952String();
      const address = ipaddr.parse(ip);
      const expected = cidrs
        .filter((text) => {
          const [network, bits] = ipaddr.parseCIDR(text);
          return network.kind() === address.kind() && address.match(network, bits);
        })
        .sort((a, b) => Number(a.split('/')[1]) - Number(b.split('/')[1]));
      const found = index.match(ip);
      expect([...found].sort(), ip).toEqual([...expected].sort());
      const lengths = found.map((text) => Number(text.split('/')[1]));
      expect(lengths, ip).toEqual([...lengths].sort((a, b) => a - b));
    }
  });
});
