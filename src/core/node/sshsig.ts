import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * Verifies an OpenSSH signature (`ssh-keygen -Y sign`, the SSHSIG format of
 * OpenSSH's PROTOCOL.sshsig) over a file, so that application owners can
 * co-sign a pack's manifest with the SSH key they already have. Ed25519
 * keys only: what `ssh-keygen -t ed25519` makes, and what node:crypto
 * verifies without OpenSSL's RSA padding choices.
 */

export interface SshSignatureCheck {
  readonly valid: boolean;
  /** "SHA256:…", as ssh-keygen -l prints it; null when the signature could not be read. */
  readonly fingerprint: string | null;
  /** The signer's public key as in an allowed_signers or authorized_keys line ("ssh-ed25519 AAAA…"). */
  readonly publicKey: string | null;
  readonly problem: string | null;
}

const MAGIC = 'SSHSIG';

class Reader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}
  raw(length: number): Buffer {
    if (this.offset + length > this.bytes.length) throw new Error('truncated');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  uint32(): number {
    return this.raw(4).readUInt32BE(0);
  }
  string(): Buffer {
    return this.raw(this.uint32());
  }
}

const sshString = (value: Buffer | string): Buffer => {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
};

export function sshFingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

export function verifySshSignature(armored: string, message: Uint8Array, namespace: string): SshSignatureCheck {
  const body = armored.match(/-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/);
  if (body === null) return { valid: false, fingerprint: null, publicKey: null, problem: 'not an SSH signature (no BEGIN SSH SIGNATURE block)' };
  try {
    const blob = new Reader(Buffer.from(body[1]!.replace(/\s+/g, ''), 'base64'));
    if (blob.raw(6).toString('latin1') !== MAGIC) throw new Error('bad magic');
    const version = blob.uint32();
    if (version !== 1) throw new Error(`version ${version}`);
    const keyBlob = blob.string();
    const signedNamespace = blob.string().toString();
    blob.string(); // reserved: OpenSSH signs and verifies it as empty, whatever the blob holds
    const hashAlgorithm = blob.string().toString();
    const signature = new Reader(blob.string());
    const key = new Reader(keyBlob);
    const keyType = key.string().toString();
    const fingerprint = sshFingerprint(keyBlob);
    const publicKey = `${keyType} ${keyBlob.toString('base64')}`;
    if (keyType !== 'ssh-ed25519') return { valid: false, fingerprint, publicKey, problem: `key type ${keyType}: only ssh-ed25519 keys are checked` };
    if (signedNamespace !== namespace) return { valid: false, fingerprint, publicKey, problem: `signed for namespace "${signedNamespace}", not "${namespace}"` };
    if (hashAlgorithm !== 'sha512' && hashAlgorithm !== 'sha256') return { valid: false, fingerprint, publicKey, problem: `hash ${hashAlgorithm}` };
    const rawKey = key.string();
    const sigType = signature.string().toString();
    const sig = signature.string();
    if (sigType !== 'ssh-ed25519') return { valid: false, fingerprint, publicKey, problem: `signature type ${sigType}` };
    const digest = createHash(hashAlgorithm).update(message).digest();
    const signed = Buffer.concat([Buffer.from(MAGIC), sshString(namespace), sshString(''), sshString(hashAlgorithm), sshString(digest)]);
    const keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawKey.toString('base64url') }, format: 'jwk' });
    const valid = verify(null, signed, keyObject, sig);
    return { valid, fingerprint, publicKey, problem: valid ? null : 'the signature does not match the file' };
  } catch (error) {
    return { valid: false, fingerprint: null, publicKey: null, problem: `unreadable SSH signature (${(error as Error).message})` };
  }
}

/**
 * An allowed_signers file (ssh-keygen(1) ALLOWED SIGNERS): principals,
 * options, then a key. A key limited to other namespaces
 * (namespaces="git") does not sign packs, and a certificate authority's key
 * (cert-authority) signs certificates, not files: both are left out.
 */
export function parseAllowedSigners(text: string, namespace: string): { readonly principals: string; readonly publicKey: string }[] {
  const signers: { principals: string; publicKey: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3 || fields[0]!.startsWith('#')) continue;
    const typeIndex = fields.findIndex((field, index) => index > 0 && field.startsWith('ssh-'));
    if (typeIndex < 0 || fields[typeIndex + 1] === undefined) continue;
    const options = fields.slice(1, typeIndex).join(' ');
    if (/(^|,)cert-authority(,|$)/i.test(options)) continue;
    const namespaces = options.match(/(?:^|,)namespaces="([^"]*)"/i);
    if (namespaces !== null && !namespaces[1]!.split(',').map((entry) => entry.trim()).includes(namespace)) continue;
    signers.push({ principals: fields[0]!, publicKey: `${fields[typeIndex]} ${fields[typeIndex + 1]}` });
  }
  return signers;
}
