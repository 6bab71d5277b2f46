import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * A pushdown query names its own digest twice: in a header line, and as a
 * constant the query writes into every result row. The digest is the
 * SHA-256 of the query text without its digest line, with the digest
 * itself written as 64 zeros wherever else it appears: so anyone holding
 * the query can check it, and a result file's rows say which query made
 * them.
 */
export const DIGEST_PLACEHOLDER = '0'.repeat(64);
const DIGEST_LINE = /^(--|\/\/) query_sha256: [0-9a-f]{64}\b.*\n/m;

export const digestLine = (comment: string, digest: string): string =>
  `${comment} query_sha256: ${digest} (SHA-256 of this text without this line, the digest elsewhere written as 64 zeros)\n`;

/** Hashes `withPlaceholder` (no digest line yet, the placeholder where the digest goes) and fills the digest in. */
export function sealQuery(withPlaceholder: string, comment: string, lineAt: number): { text: string; sha256: string } {
  const digest = bytesToHex(sha256(utf8ToBytes(withPlaceholder)));
  const body = withPlaceholder.split(DIGEST_PLACEHOLDER).join(digest);
  return { text: body.slice(0, lineAt) + digestLine(comment, digest) + body.slice(lineAt), sha256: digest };
}

/** The digest a query text declares, when the text still hashes to it; null otherwise. */
export function verifiedDigest(text: string): string | null {
  const line = DIGEST_LINE.exec(text);
  if (line === null) return null;
  const declared = /[0-9a-f]{64}/.exec(line[0])![0];
  const without = text.slice(0, line.index) + text.slice(line.index + line[0].length);
  const restored = without.split(declared).join(DIGEST_PLACEHOLDER);
  return bytesToHex(sha256(utf8ToBytes(restored))) === declared ? declared : null;
}
