import { sha256Hex } from '../policy/canonical-json';
import type { Policy, PolicyGroup } from '../policy/policy-model';
import { compareText } from '../util/compare';

export interface OwnerGroups {
  /** The owner label's value; null for the groups that carry none (one "unowned" pack, so nothing is left out). */
  readonly owner: string | null;
  readonly slug: string;
  readonly groups: readonly PolicyGroup[];
}

/**
 * The internal groups of a policy by owner (the value of the owner label on
 * the group). Outside networks and the all-internal group belong to no
 * application; the rules that reach them show up in the packs of the groups
 * on their other end.
 */
export function groupsByOwner(policy: Policy, ownerLabel: string): OwnerGroups[] {
  const byOwner = new Map<string | null, PolicyGroup[]>();
  for (const group of [...policy.groups].sort((a, b) => compareText(a.id, b.id))) {
    if (group.kind === 'external' || group.kind === 'all-internal') continue;
    const value = group.labels[ownerLabel];
    const owner = value === undefined || value.trim() === '' ? null : value;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), group]);
  }
  const owners = [...byOwner.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : compareText(a, b)));
  const slugs = new Set<string>();
  return owners.map((owner) => {
    let slug = owner === null ? 'unowned' : ownerSlug(owner);
    // Two owners that read alike once made safe ("A B", "a-b") still get two folders.
    if (slugs.has(slug)) slug = `${slug}-${sha256Hex(owner ?? '').slice(0, 8)}`;
    slugs.add(slug);
    return { owner, slug, groups: byOwner.get(owner)! };
  });
}

/**
 * A folder name from an owner ("billing-team@example.com" stays as it is, "Billing Team" → "billing_team-<digest>"):
 * letters, digits and . _ @ -, never starting with '.', at most 64
 * characters; a value that had to change gets a digest of the original so
 * it cannot meet another.
 */
export function ownerSlug(owner: string): string {
  const safe = owner.toLowerCase().replace(/[^a-z0-9._@-]+/g, '_').replace(/^[._-]+/, '').slice(0, 64);
  return safe === owner && safe.length > 0 ? safe : `${safe.length === 0 ? 'owner' : safe}-${sha256Hex(owner).slice(0, 8)}`;
}
