import { appendTo } from '../util/multimap';
import type { HostFeatures } from './host-features';
import type { PartNote } from './join-note';

/**
 * Media on ports call signalling hands out (negotiated-ports.ts) is left
 * out of the profiles, since every call takes new ports; so a voice gateway
 * that speaks no signalling of its own in the capture looks like the
 * switches it is otherwise managed like (scraped, polled over SNMP, logging
 * to syslog), and its group's rules then let every switch exchange media
 * with every phone.
 *
 * Exchanging such media is a role all the same. Where fewer than half of a
 * group's members exchange it, they are parted from the rest: the group
 * holds two roles. Where at least half do (phones, some of which took no
 * call while the capture ran), it is the group's own role and no member
 * is parted.
 */
export const MEDIA_HOST_DEFAULTS = {
  /** Media hosts below this share of their group are another role; at or above it, the group's own. Half: the majority's role is the group's. */
  maxShare: 0.5,
};

/** `groups`: host indexes per group; `mediaHosts`: addresses on negotiated media. Returns the groups, parted, ordered by first member. */
export function partMediaMinority(
  features: HostFeatures,
  groups: readonly number[][],
  mediaHosts: ReadonlySet<string>,
  options: typeof MEDIA_HOST_DEFAULTS = MEDIA_HOST_DEFAULTS,
): { groups: number[][]; notes: Map<number, PartNote> } {
  const result: number[][] = [];
  const notes = new Map<number, PartNote>();
  for (const members of groups) {
    const parts = new Map<boolean, number[]>();
    for (const host of members) appendTo(parts, mediaHosts.has(features.hosts[host]!.ip), host);
    const media = parts.get(true) ?? [];
    const rest = parts.get(false) ?? [];
    if (media.length === 0 || rest.length === 0 || media.length >= options.maxShare * members.length) {
      result.push([...members]);
      continue;
    }
    result.push(media, rest);
    const text = `exchanges media on ports call signalling handed out, which ${rest.length} of the ${members.length} hosts it behaves like otherwise never do: a voice gateway or media server among them is another role`;
    for (const host of media) notes.set(host, { text, partner: host, apartFrom: rest[0]! });
  }
  return { groups: result.sort((a, b) => a[0]! - b[0]!), notes };
}
