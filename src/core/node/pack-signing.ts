import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fromBase64, preAuthenticationEncoding, toBase64, DSSE_PAYLOAD_TYPE, type DsseEnvelope, type Statement } from '../attest/in-toto';

/**
 * Ed25519 signing of attestation packs with node:crypto: the consultant's
 * key signs each pack's manifest as a DSSE envelope; verify-pack checks it
 * with the public key the pack carries, or with one the verifier trusts.
 */

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  /** SHA-256 of the public key (SPKI DER), hex: the DSSE keyid. */
  readonly keyid: string;
  /** The key file did not exist and was made now. */
  readonly created: boolean;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Reads an Ed25519 private key (PKCS#8 PEM), or makes one and writes it readable by its owner only. */
export async function loadOrCreateSigningKey(path: string): Promise<SigningKey> {
  let pem: string | null = null;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the signing key ${path}: ${(error as Error).message}`);
  }
  let privateKey: KeyObject;
  if (pem === null) {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    // 'wx': never overwrite a key that appeared meanwhile.
    await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600, flag: 'wx' });
  } else {
    try {
      privateKey = createPrivateKey(pem);
    } catch (error) {
      throw new Error(`${path} is not a private key in PEM: ${(error as Error).message}`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is a ${privateKey.asymmetricKeyType ?? 'unknown'} key; packs are signed with Ed25519 (openssl genpkey -algorithm ed25519)`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, keyid: keyIdOf(publicKey), created: pem === null };
}

export function signStatement(statement: Statement, key: SigningKey): DsseEnvelope {
  const payload = new TextEncoder().encode(`${JSON.stringify(statement, null, 2)}\n`);
  const signature = sign(null, preAuthenticationEncoding(DSSE_PAYLOAD_TYPE, payload), key.privateKey);
  return { payloadType: DSSE_PAYLOAD_TYPE, payload: toBase64(payload), signatures: [{ keyid: key.keyid, sig: toBase64(signature) }] };
}

/** The signatures of the envelope made by this public key that hold (DSSE: over PAE(payloadType, payload)). */
export function envelopeSignedBy(envelope: DsseEnvelope, publicKeyPem: string): boolean {
  const publicKey = createPublicKey(publicKeyPem);
  if (publicKey.asymmetricKeyType !== 'ed25519') return false;
  const keyid = keyIdOf(publicKey);
  const message = preAuthenticationEncoding(envelope.payloadType, fromBase64(envelope.payload));
  return envelope.signatures.some((signature) => (signature.keyid === '' || signature.keyid === keyid) && verify(null, message, publicKey, fromBase64(signature.sig)));
}
