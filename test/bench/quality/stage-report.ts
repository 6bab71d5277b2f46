// Where a grouping goes wrong, stage by stage: for the groups after each
// discovery stage (DiscoveryControl.onStage), the true groups split over
// several found groups and the found groups that mix true groups. A stage
// is printed when this account differs from the stage before, so the lines
// read as "the cut did this, role equivalence then did that".

export interface StageGroups {
  readonly stage: string;
  readonly groups: readonly (readonly string[])[];
}

/** Lines describing each stage that changed how the groups meet the truth (`truthOf`: a host's true group, or undefined). */
export function stageReport(stages: readonly StageGroups[], truthOf: (ip: string) => string | undefined): string[] {
  const lines: string[] = [];
  let previous: string | null = null;
  for (const { stage, groups } of stages) {
    const mixed: string[] = [];
    const partsOf = new Map<string, number[]>();
    for (const group of groups) {
      const counts = new Map<string, number>();
      for (const ip of group) {
        const truth = truthOf(ip);
        if (truth !== undefined) counts.set(truth, (counts.get(truth) ?? 0) + 1);
      }
      const entries = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length > 1) mixed.push(`  mixes ${entries.map(([truth, count]) => `${truth} ×${count}`).join(', ')}`);
      for (const [truth, count] of entries) partsOf.set(truth, [...(partsOf.get(truth) ?? []), count]);
    }
    const split = [...partsOf]
      .filter(([, parts]) => parts.length > 1)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([truth, parts]) => `  splits ${truth} into ${parts.sort((x, y) => x - y).join(' + ')}`);
    const account = [...mixed.sort(), ...split];
    const key = account.join('\n');
    if (key === previous) continue;
    lines.push(`${stage}: ${groups.length} groups${account.length === 0 ? ', every true group whole and apart' : ''}`, ...account);
    previous = key;
  }
  return lines;
}
