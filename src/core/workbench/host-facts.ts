import type { HostAssignment } from '../discover/discover-groups';
import type { PolicyHost } from '../policy/policy-input';

/** An internal host as the group inspector shows it: its name and labels, and why discovery put it where it did. */
export interface HostFact {
  readonly ip: string;
  readonly name: string | null;
  readonly labels: readonly { readonly key: string; readonly value: string }[];
  /** The group discovery chose, its confidence and reason, and the host's labels that contradict the group's. */
  readonly discoveredGroup: string;
  readonly confidence: number;
  readonly reason: string;
  readonly labelConflicts: readonly string[];
}

/** One fact per internal host, in discovery's (canonical address) order. */
export function hostFacts(assignments: readonly HostAssignment[], hosts: ReadonlyMap<string, PolicyHost>): HostFact[] {
  return assignments.map((assignment) => {
    const host = hosts.get(assignment.ip);
    return {
      ip: assignment.ip,
      name: host?.name ?? null,
      labels: host?.labels ?? [],
      discoveredGroup: assignment.groupId,
      confidence: assignment.confidence,
      reason: assignment.reason,
      labelConflicts: assignment.labelConflicts,
    };
  });
}
