import type { Enterprise, ServiceUse, SynthHost, TrafficPattern } from './enterprise';
import { Random } from '../util/random';

/** One connection the enterprise makes, with its ground truth (client, server, service). */
export interface Connection {
  readonly client: SynthHost;
  readonly server: SynthHost;
  readonly proto: number;
  readonly sport: number;
  readonly dport: number;
  readonly startMs: number;
  readonly durationMs: number;
  readonly packets: number;
  readonly bytes: number;
  readonly replyPackets: number;
  readonly replyBytes: number;
  readonly denied: boolean;
}

export interface TrafficConfig {
  readonly seed: number;
  /** Start of the first hour (epoch ms, on an hour boundary). */
  readonly startMs: number;
  readonly hours: number;
  /** Multiplies the rate of every non-persistent use. */
  readonly intensity: number;
}

const HOUR = 3_600_000;

/** How busy an hour is for a traffic pattern (UTC office hours, Monday to Friday). */
export function patternFactor(pattern: TrafficPattern, hourStartMs: number): number {
  if (pattern === 'steady') return 1;
  const date = new Date(hourStartMs);
  const hour = date.getUTCHours();
  if (pattern === 'nightly') return hour === 1 ? 1 : 0;
  const weekday = date.getUTCDay() >= 1 && date.getUTCDay() <= 5;
  return weekday && hour >= 8 && hour < 18 ? 1.6 : 0.15;
}

function ephemeralPort(host: SynthHost, random: Random): number {
  return host.os === 'windows' ? random.int(49152, 65535) : random.int(32768, 60999);
}

function size(mean: number, random: Random): number {
  return mean <= 0 ? 0 : Math.max(40, Math.round(mean * Math.exp(random.gaussian() * 0.5)));
}

const packetsFor = (bytes: number): number => (bytes === 0 ? 0 : Math.ceil(bytes / 900) + 1);

/** The connections of one hour; each hour has its own random stream, so hours can be made in any order. */
export function connectionsInHour(enterprise: Enterprise, config: TrafficConfig, hourIndex: number): Connection[] {
  const hourStart = config.startMs + hourIndex * HOUR;
  const random = new Random(config.seed).fork(`hour:${hourIndex}`);
  const out: Connection[] = [];
  for (const use of enterprise.uses) {
    const factor = patternFactor(use.pattern, hourStart);
    if (factor === 0) continue;
    const count = use.persistent ? 1 : random.poisson(use.perHour * factor * config.intensity);
    for (let i = 0; i < count; i++) out.push(makeConnection(use, hourStart, random));
  }
  for (const incident of enterprise.incidents ?? []) {
    const first = Math.floor(incident.atShare * config.hours);
    if (hourIndex < first || hourIndex >= first + incident.hours) continue;
    for (const target of incident.targets) {
      const use: ServiceUse = {
        client: incident.client,
        servers: [target.server],
        proto: incident.proto,
        port: target.port,
        perHour: incident.perHour,
        pattern: 'steady',
        persistent: false,
        requestBytes: incident.requestBytes,
        responseBytes: incident.responseBytes,
        denied: target.denied,
      };
      for (let i = 0; i < incident.perHour; i++) out.push(makeConnection(use, hourStart, random));
    }
  }
  out.sort((a, b) => a.startMs - b.startMs);
  return out;
}

function makeConnection(use: ServiceUse, hourStart: number, random: Random): Connection {
  const server = random.pick(use.servers);
  const startMs = hourStart + (use.persistent ? random.int(0, 5_000) : random.int(0, HOUR - 1));
  const durationMs = use.persistent ? HOUR - (startMs - hourStart) - 1 : Math.min(random.int(20, 30_000), hourStart + HOUR - startMs - 1);
  const bytes = size(use.requestBytes, random);
  const replyBytes = use.denied ? 0 : size(use.responseBytes, random);
  return {
    client: use.client,
    server,
    proto: use.proto,
    sport: ephemeralPort(use.client, random),
    dport: use.port,
    startMs,
    durationMs,
    packets: packetsFor(bytes),
    bytes,
    replyPackets: packetsFor(replyBytes),
    replyBytes,
    denied: use.denied,
  };
}

/** Mean pattern factor over the configured hours. */
function meanFactor(pattern: TrafficPattern, config: Pick<TrafficConfig, 'startMs' | 'hours'>): number {
  let sum = 0;
  for (let h = 0; h < config.hours; h++) sum += patternFactor(pattern, config.startMs + h * HOUR);
  return sum / config.hours;
}

/**
 * Expected number of flow log records, split into the part that does not
 * depend on intensity (pooled connections) and the part per unit of
 * intensity, so a target record count can be met by choosing intensity.
 */
export function expectedRecords(
  enterprise: Enterprise,
  config: Pick<TrafficConfig, 'startMs' | 'hours'>,
  recordsPerConnection: (use: ServiceUse, server: SynthHost) => number,
): { fixed: number; perIntensity: number } {
  const factors = new Map<TrafficPattern, number>();
  const factor = (pattern: TrafficPattern): number => {
    let value = factors.get(pattern);
    if (value === undefined) {
      value = meanFactor(pattern, config);
      factors.set(pattern, value);
    }
    return value;
  };
  let fixed = 0;
  let perIntensity = 0;
  for (const use of enterprise.uses) {
    let records = 0;
    for (const server of use.servers) records += recordsPerConnection(use, server);
    records /= use.servers.length;
    if (use.persistent) fixed += records * config.hours * (factor(use.pattern) > 0 ? 1 : 0);
    else perIntensity += records * use.perHour * factor(use.pattern) * config.hours;
  }
  return { fixed, perIntensity };
}
