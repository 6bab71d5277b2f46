import type { PortRange } from './policy-model';

export interface PortRun extends PortRange {
  /** The ports actually used inside the range. */
  readonly used: readonly number[];
}

/**
 * Groups used ports into ranges where the evidence warrants it: a run
 * becomes one range only when it holds at least `minPorts` used ports and
 * they fill at least `minDensity` of the range; every other port stays alone.
 * Greedy from the lowest port, each run as long as the density allows, so
 * the result depends only on the set of ports.
 */
export function mergePortRanges(ports: readonly number[], minPorts: number, minDensity: number): PortRun[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const runs: PortRun[] = [];
  let i = 0;
  while (i < sorted.length) {
    let best = i;
    const widest = (sorted.length - i) / minDensity;
    for (let j = i + 1; j < sorted.length; j++) {
      // Past this width even every remaining port could not reach the density.
      if (sorted[j]! - sorted[i]! + 1 > widest) break;
      if ((j - i + 1) / (sorted[j]! - sorted[i]! + 1) >= minDensity) best = j;
    }
    if (best - i + 1 >= minPorts) {
      runs.push({ from: sorted[i]!, to: sorted[best]!, used: sorted.slice(i, best + 1) });
      i = best + 1;
    } else {
      runs.push({ from: sorted[i]!, to: sorted[i]!, used: [sorted[i]!] });
      i++;
    }
  }
  return runs;
}
