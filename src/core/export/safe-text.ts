/**
 * Text from input values (group ids, names) made safe for a field whose
 * syntax has no reliable escapes (nft and iptables-restore comments): every
 * character outside printable ASCII, and each of `forbidden`, becomes "?".
 * ASCII only also means a field cut by bytes is never cut inside a character.
 */
export function printableAscii(text: string, forbidden = ''): string {
  return [...text].map((character) => (/^[\x20-\x7e]$/.test(character) && !forbidden.includes(character) ? character : '?')).join('');
}
