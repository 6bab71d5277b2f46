import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, SIGNER_KEY_FILE } from '../attest/attestation-packs';
import { DSSE_PAYLOAD_TYPE, fromBase64, PACK_PREDICATE_TYPE, STATEMENT_TYPE, type DsseEnvelope, type Statement } from '../attest/in-toto';
import { sha256Hex } from '../policy/canonical-json';
import { envelopeSignedBy, keyIdOf } from './pack-signing';
import { parseAllowedSigners, verifySshSignature } from './sshsig';
import { createPublicKey } from 'node:crypto';

/** The namespace owners sign a manifest in: `ssh-keygen -Y sign -n flowfence-pack`. */
export const COSIGN_NAMESPACE = 'flowfence-pack';

export interface CoSignature {
  readonly file: string;
  readonly valid: boolean;
  readonly fingerprint: string | null;
  /** The allowed_signers principal the key belongs to; null when not checked or not listed. */
  readonly principal: string | null;
  readonly problem: string | null;
}

export interface PackVerdict {
  readonly folder: string;
  readonly ok: boolean;
  readonly owner: string | null;
  readonly policySha256: string | null;
  readonly files: number;
  /** The DSSE keyid of the key that signed, and whether the verifier named it (--trust). */
  readonly signer: { readonly keyid: string; readonly trusted: boolean } | null;
  readonly cosignatures: readonly CoSignature[];
  readonly problems: readonly string[];
}

export interface VerifyOptions {
  /** A public key (PEM) the signature must be made by; without it, the pack's own signer.pub is used (integrity, not identity). */
  readonly trustedKeyPem?: string;
  /** An allowed_signers file's text: every co-signature must be by a listed key. */
  readonly allowedSigners?: string;
}

const isCoSignature = (name: string): boolean => name.endsWith('.sig') || name.endsWith('.sshsig');

/** A pack file's bytes, or why it cannot be one (missing, a folder, a link, a device): never followed, never waited on. */
async function regularFile(path: string): Promise<Buffer | string> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) return 'is not a regular file';
    return await readFile(path);
  } catch {
    return 'is missing';
  }
}

/** The pack folders under a folder: itself when it holds a manifest, else its sub-folders that do. */
export async function packFolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  if (entries.some((entry) => entry.isFile() && entry.name === MANIFEST_FILE)) return [folder];
  const packs: string[] = [];
  for (const entry of entries.filter((candidate) => candidate.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if ((await readdir(join(folder, entry.name))).includes(MANIFEST_FILE)) packs.push(join(folder, entry.name));
  }
  return packs;
}

/**
 * Checks one pack: the DSSE signature over its manifest (by the trusted key,
 * or the key it carries), every file the manifest names against its
 * SHA-256, no file the manifest does not name (an added page is tampering
 * too), and every owner's SSH co-signature over the manifest.
 */
export async function verifyPack(folder: string, options: VerifyOptions = {}): Promise<PackVerdict> {
  const problems: string[] = [];
  const fail = (verdict: Partial<PackVerdict>): PackVerdict => ({ folder, ok: false, owner: null, policySha256: null, files: 0, signer: null, cosignatures: [], problems, ...verdict });
  let manifestBytes: Buffer;
  let envelope: DsseEnvelope;
  try {
    const read = await regularFile(join(folder, MANIFEST_FILE));
    if (typeof read === 'string') throw new Error(read);
    manifestBytes = read;
    envelope = JSON.parse(manifestBytes.toString('utf8')) as DsseEnvelope;
    if (typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures)) throw new Error('not a DSSE envelope');
  } catch (error) {
    problems.push(`${MANIFEST_FILE}: ${(error as Error).message}`);
    return fail({});
  }
  if (envelope.payloadType !== DSSE_PAYLOAD_TYPE) problems.push(`${MANIFEST_FILE}: payload type ${String(envelope.payloadType)}, not ${DSSE_PAYLOAD_TYPE}`);

  let signerPem = options.trustedKeyPem ?? null;
  if (signerPem === null) {
    try {
      signerPem = await readFile(join(folder, SIGNER_KEY_FILE), 'utf8');
    } catch {
      problems.push(`${SIGNER_KEY_FILE} is missing and no trusted key was given: the signature cannot be checked`);
    }
  }
  let signer: PackVerdict['signer'] = null;
  if (signerPem !== null) {
    try {
      const keyid = keyIdOf(createPublicKey(signerPem));
      if (envelopeSignedBy(envelope, signerPem)) signer = { keyid, trusted: options.trustedKeyPem !== undefined };
      else problems.push(`the manifest's signature does not verify with ${options.trustedKeyPem === undefined ? 'the key in signer.pub' : 'the trusted key'} (${keyid.slice(0, 16)}…)`);
    } catch (error) {
      problems.push(`the signer's key cannot be read: ${(error as Error).message}`);
    }
  }

  let statement: Statement;
  try {
    statement = JSON.parse(new TextDecoder().decode(fromBase64(envelope.payload))) as Statement;
    if (statement._type !== STATEMENT_TYPE || statement.predicateType !== PACK_PREDICATE_TYPE || !Array.isArray(statement.subject)) throw new Error('not a Flowfence pack statement');
  } catch (error) {
    problems.push(`the manifest's statement: ${(error as Error).message}`);
    return fail({ signer });
  }

  const named = new Set<string>();
  for (const subject of statement.subject as readonly unknown[]) {
    const name = typeof subject === 'object' && subject !== null ? (subject as { name?: unknown }).name : undefined;
    const digest = typeof subject === 'object' && subject !== null ? (subject as { digest?: { sha256?: unknown } }).digest?.sha256 : undefined;
    // Only plain names of files in the folder: a manifest cannot point a verifier elsewhere.
    if (typeof name !== 'string' || name.length === 0 || name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
      problems.push(`the manifest names a file outside the pack: ${JSON.stringify(name ?? subject)}`);
      continue;
    }
    if (named.has(name)) {
      problems.push(`the manifest names ${name} twice`);
      continue;
    }
    named.add(name);
    const read = await regularFile(join(folder, name));
    if (typeof read === 'string') problems.push(`${name} ${read}`);
    else if (sha256Hex(new Uint8Array(read)) !== digest) problems.push(`${name} was changed after the pack was signed`);
  }
  const present = await readdir(folder);
  for (const name of present.sort()) {
    if (named.has(name) || name === MANIFEST_FILE || name === SIGNER_KEY_FILE || isCoSignature(name)) continue;
    // A folder or link added beside the files is an addition too.
    problems.push(`${name} is not in the signed manifest (added after signing?)`);
  }
  if (options.trustedKeyPem !== undefined && present.includes(SIGNER_KEY_FILE)) {
    const carried = await regularFile(join(folder, SIGNER_KEY_FILE));
    try {
      if (typeof carried === 'string' || keyIdOf(createPublicKey(carried.toString('utf8'))) !== keyIdOf(createPublicKey(options.trustedKeyPem))) problems.push(`${SIGNER_KEY_FILE} is not the trusted key`);
    } catch {
      problems.push(`${SIGNER_KEY_FILE} is not a public key`);
    }
  }

  const allowed = options.allowedSigners === undefined ? null : parseAllowedSigners(options.allowedSigners, COSIGN_NAMESPACE);
  const cosignatures: CoSignature[] = [];
  for (const name of present.filter(isCoSignature).sort()) {
    const read = await regularFile(join(folder, name));
    const check = typeof read === 'string' ? { valid: false, fingerprint: null, publicKey: null, problem: read } : verifySshSignature(read.toString('utf8'), manifestBytes, COSIGN_NAMESPACE);
    const principal = allowed?.find((entry) => entry.publicKey === check.publicKey)?.principals ?? null;
    let problem = check.problem;
    if (check.valid && allowed !== null && principal === null) problem = 'signed by a key that is not in the allowed signers';
    cosignatures.push({ file: name, valid: check.valid && problem === null, fingerprint: check.fingerprint, principal, problem });
    if (problem !== null) problems.push(`co-signature ${name}: ${problem}`);
  }
  return { folder, ok: problems.length === 0, owner: statement.predicate?.owner ?? null, policySha256: statement.predicate?.policySha256 ?? null, files: named.size, signer, cosignatures, problems };
}
