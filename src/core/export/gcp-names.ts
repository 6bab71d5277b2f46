import { sha256Hex } from '../policy/canonical-json';

/**
 * Names Google Cloud accepts for firewall rules and network tags, made from
 * policy ids. Both must match RFC 1035's `[a-z]([-a-z0-9]*[a-z0-9])?` and be
 * at most 63 characters (gcp-validate.ts). A readable part of the id is kept
 * (lowercased, other characters as "-", cut short) and a digest of the whole
 * id is always added: ids that read alike ("g3>g7:tcp/443", "G3-g7 tcp 443")
 * still get different names, whatever an approved-groups file calls them.
 */

/** Hex characters of SHA-256 in each name: 40 bits. */
const DIGEST_LENGTH = 10;
const PREFIX = 'ff';
/** Readable part of a group id in a tag: "ff-" + 30 + "-" + 10 = 44 characters at most. */
const TAG_READABLE = 30;
/** Readable part of a rule id in a rule name, leaving room for "-tags-99" or "-v6-99": at most 55 characters. */
const RULE_READABLE = 28;

/** "ff-g12-3f9a0c1b2d": the network tag of a policy group. */
export function networkTag(groupId: string): string {
  return `${PREFIX}-${readable(groupId, TAG_READABLE, 'group')}-${sha256Hex(`group\u0000${groupId}`).slice(0, DIGEST_LENGTH)}`;
}

/** "ff-g3-g7-tcp-443-5b1e07c2aa": the stem of the firewall rules exported for a policy rule (the caller adds what each one matches). */
export function ruleNameStem(ruleId: string): string {
  return `${PREFIX}-${readable(ruleId, RULE_READABLE, 'rule')}-${sha256Hex(`rule\u0000${ruleId}`).slice(0, DIGEST_LENGTH)}`;
}

function readable(id: string, length: number, fallback: string): string {
  const reduced = id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, length).replace(/-+$/, '');
  return reduced.length === 0 ? fallback : reduced;
}
