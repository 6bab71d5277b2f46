import { sha256Hex } from '../policy/canonical-json';
import type { AddressFamily, NsgDirection } from './azure-nsg-model';

/**
 * Names and text as Azure Resource Manager takes them.
 *
 * Names of network security groups, application security groups and
 * security rules: 1–80 characters, alphanumerics, '_', '.' and '-',
 * starting with an alphanumeric and ending with an alphanumeric or '_'
 * ("Naming rules and restrictions for Azure resources", Microsoft.Network;
 * the securityRules name in "Azure network security groups overview":
 * "up to 80 characters … begin with a word character … end with a word
 * character or with '_'"). Azure compares names without regard to case.
 * Flowfence writes ASCII only, a subset of both.
 */
export const MAX_NAME_LENGTH = 80;
export const AZURE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

const DIGEST_LENGTH = 8;
const digest = (text: string): string => sha256Hex(text).slice(0, DIGEST_LENGTH);

/** Lower case, every run of other characters one '-', no leading non-alphanumeric, no trailing '.' or '-'. */
function reduce(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[.-]+$/, '');
}

/** `prefix-` and the reduced text, then a digest of the original unless it is its own reduction: two texts never meet in one name. */
function nameOf(prefix: string, text: string, exactAllowed: boolean): string {
  const reduced = reduce(text);
  if (exactAllowed && reduced === text && prefix.length + reduced.length <= MAX_NAME_LENGTH) return `${prefix}${reduced}`;
  const room = MAX_NAME_LENGTH - prefix.length - 1 - DIGEST_LENGTH;
  const body = reduced.slice(0, room).replace(/[.-]+$/, '');
  return `${prefix}${body.length > 0 ? `${body}-` : ''}${digest(text)}`;
}

/** "nsg-g12" / "asg-g12" for a group; an id from an approved-groups file that is no name already is reduced and given a digest of itself. */
export function groupResourceName(kind: 'nsg' | 'asg', groupId: string): string {
  return nameOf(`${kind}-`, groupId, true);
}

/**
 * "allow-in-g3-g7-tcp-443-1a2b3c4d": direction, the rule id made a name,
 * the address family when the rule is split by family, and a digest of the
 * id (ids always hold '>' and ':', so the digest is always there).
 */
export function securityRuleName(direction: NsgDirection, ruleId: string, family: AddressFamily | null): string {
  const prefix = `allow-${direction === 'Inbound' ? 'in' : 'out'}-`;
  return nameOf(prefix, `${ruleId}${family === null ? '' : ` ${family}`}`, false);
}

/**
 * The first `max` UTF-16 code units of a text, never cutting a character in
 * two (Azure counts a description's 140 characters that way).
 */
export function cutText(text: string, max: number): string {
  let out = '';
  for (const character of [...text]) {
    if (out.length + character.length > max) break;
    out += character;
  }
  return out;
}

/**
 * Resource Manager evaluates a string value that starts with '[' and ends
 * with ']' as a template expression; a literal one is written with an extra
 * leading bracket, "[[", which Resource Manager removes. A string that does
 * not end with ']' is literal already and must not be escaped ("Syntax and
 * expressions in ARM templates", Escape characters: "[[test value]"
 * resolves to "[test value]"; "[test] value" stays as is).
 */
export const isArmExpression = (text: string): boolean => text.startsWith('[') && text.endsWith(']');

export function armLiteral(text: string): string {
  return isArmExpression(text) ? `[${text}` : text;
}

/**
 * Free text as an ARM string value of at most `max` characters once read:
 * cut, then escaped as a literal. The cut comes first so that escaping can
 * never push it over the limit or be cut off again.
 */
export function armText(text: string, max: number): string {
  let cut = cutText(text, max);
  if (isArmExpression(cut)) cut = cutText(text, max - 1);
  return armLiteral(cut);
}
