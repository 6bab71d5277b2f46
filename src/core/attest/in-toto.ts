import { utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The pack's manifest: an in-toto Statement (v1) naming every file of the
 * pack by its SHA-256, carried in a DSSE envelope. DSSE signs the
 * pre-authentication encoding (PAE) of the payload, so a signature can never
 * be replayed over another payload type. Pure: signing is the caller's
 * (src/core/node/ed25519-keys.ts).
 * https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
 * https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
 */

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PACK_PREDICATE_TYPE = 'https://flowfence.dev/attestation-pack/v1';
export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface PackPredicate {
  readonly owner: string | null;
  readonly ownerLabel: string;
  readonly policySha256: string;
  readonly generatedAt: string;
  readonly rules: number;
}

export interface Statement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly { readonly name: string; readonly digest: { readonly sha256: string } }[];
  readonly predicateType: typeof PACK_PREDICATE_TYPE;
  readonly predicate: PackPredicate;
}

export interface DsseEnvelope {
  readonly payloadType: string;
  /** Base64 of the statement's bytes. */
  readonly payload: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

export function packStatement(files: readonly { readonly path: string; readonly sha256: string }[], predicate: PackPredicate): Statement {
  const subject = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((file) => ({ name: file.path, digest: { sha256: file.sha256 } }));
  return { _type: STATEMENT_TYPE, subject, predicateType: PACK_PREDICATE_TYPE, predicate };
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes as ASCII decimal. */
export function preAuthenticationEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8ToBytes(payloadType);
  const head = utf8ToBytes(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
