// Internet background: scanners knocking on the reverse proxies' public side
// on ports the NSG does not open. Always denied, never legitimate, never
// planted: every real NSG log has it, and one source touches too few
// targets to be a scan.

import { noiseAddress } from './address-plan';
import { DAYS, at } from './calendar';
import { ephemeralPort, type Connection } from './connection';
import type { Estate } from './estate';
import type { Rng } from './random';

const KNOCKED = [22, 23, 25, 80, 445, 1433, 3306, 3389, 5900, 6379, 8080, 8443, 9200, 27017];

export function internetNoise(estate: Estate, rng: Rng): Connection[] {
  const proxies = estate.members('prod|shared-rpx|web');
  const out: Connection[] = [];
  for (let day = 0; day < DAYS; day++) {
    for (let i = 0, n = rng.int(15, 30); i < n; i++) {
      const source = noiseAddress(rng.int(0, 89));
      const target = rng.pick(proxies);
      let t = at(day, rng.int(0, 23), rng.int(0, 59)) + rng.int(0, 59) * 1_000;
      for (let k = 0, ports = rng.int(1, 3); k < ports; k++) {
        out.push({
          startMs: t,
          durationS: 0,
          client: source,
          clientPort: ephemeralPort('internet', (lo, hi) => rng.int(lo, hi)),
          server: target.ip,
          port: rng.pick(KNOCKED),
          proto: 6,
          pktsOut: 1,
          bytesOut: 60,
          pktsBack: 0,
          bytesBack: 0,
          decision: 'D',
        });
        t += rng.int(1, 30) * 1_000;
      }
    }
  }
  return out;
}
