// How big and how long one connection of each kind of service is. Sizes are
// drawn log-uniformly (transfers are heavy-tailed); packets follow from the
// bytes. Nothing here says who talks to whom: that is in usages-*.ts.

import type { Rng } from './random';

export type TrafficKind =
  | 'dns' | 'ntp' | 'kerberos' | 'ldap' | 'rpc' | 'smb' | 'web' | 'api' | 'db' | 'dbBatch' | 'cache' | 'mq'
  | 'replication' | 'scrape' | 'syslog' | 'tlsLog' | 'update' | 'proxy' | 'rdp' | 'ssh' | 'winrm';

interface Shape {
  /** Duration in seconds. */
  readonly dur: readonly [number, number];
  /** Bytes from the initiator, and back. */
  readonly out: readonly [number, number];
  readonly back: readonly [number, number];
}

const SHAPES: Readonly<Record<TrafficKind, Shape>> = {
  dns: { dur: [0, 1], out: [62, 96], back: [90, 420] },
  ntp: { dur: [0, 1], out: [90, 90], back: [90, 90] },
  kerberos: { dur: [0, 2], out: [1_200, 3_600], back: [1_400, 4_500] },
  ldap: { dur: [0, 5], out: [800, 6_000], back: [2_000, 60_000] },
  rpc: { dur: [0, 3], out: [600, 3_000], back: [500, 2_500] },
  smb: { dur: [2, 280], out: [2_000, 400_000], back: [8_000, 4_000_000] },
  web: { dur: [1, 45], out: [1_500, 40_000], back: [15_000, 1_500_000] },
  api: { dur: [0, 8], out: [600, 20_000], back: [1_500, 120_000] },
  db: { dur: [0, 30], out: [400, 40_000], back: [1_500, 600_000] },
  dbBatch: { dur: [300, 1_800], out: [50_000, 2_000_000], back: [5_000_000, 120_000_000] },
  cache: { dur: [0, 2], out: [100, 4_000], back: [100, 30_000] },
  mq: { dur: [5, 900], out: [2_000, 2_000_000], back: [1_000, 300_000] },
  replication: { dur: [60, 900], out: [20_000, 500_000], back: [100_000, 30_000_000] },
  scrape: { dur: [0, 1], out: [250, 400], back: [8_000, 60_000] },
  // Syslog over UDP: nothing comes back.
  syslog: { dur: [30, 290], out: [5_000, 400_000], back: [0, 0] },
  tlsLog: { dur: [30, 290], out: [5_000, 600_000], back: [2_000, 20_000] },
  update: { dur: [1, 280], out: [1_000, 20_000], back: [5_000, 80_000_000] },
  proxy: { dur: [1, 120], out: [1_000, 60_000], back: [5_000, 5_000_000] },
  rdp: { dur: [300, 3_600], out: [200_000, 8_000_000], back: [1_000_000, 60_000_000] },
  ssh: { dur: [60, 2_400], out: [5_000, 500_000], back: [20_000, 3_000_000] },
  winrm: { dur: [1, 60], out: [3_000, 80_000], back: [3_000, 120_000] },
};

export interface Volume {
  readonly durationS: number;
  readonly pktsOut: number;
  readonly bytesOut: number;
  readonly pktsBack: number;
  readonly bytesBack: number;
}

/** Packets for a byte count: full-size segments plus, on TCP, the handshake and teardown. */
export function packetsFor(bytes: number, proto: number): number {
  if (bytes === 0) return 0;
  const data = Math.ceil(bytes / 1_200);
  return proto === 6 ? data + 3 : Math.max(1, data);
}

export function volumeOf(kind: TrafficKind, proto: number, rng: Rng): Volume {
  const shape = SHAPES[kind];
  const durationS = rng.int(shape.dur[0], shape.dur[1]);
  const bytesOut = Math.round(rng.logUniform(shape.out[0], shape.out[1]));
  const bytesBack = shape.back[1] === 0 ? 0 : Math.round(rng.logUniform(shape.back[0], shape.back[1]));
  return { durationS, pktsOut: packetsFor(bytesOut, proto), bytesOut, pktsBack: packetsFor(bytesBack, proto), bytesBack };
}
