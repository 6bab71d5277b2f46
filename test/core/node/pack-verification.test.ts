import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, symlinkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attestationPacks, MANIFEST_FILE, SIGNER_KEY_FILE } from '../../../src/core/attest/attestation-packs';
import { loadOrCreateSigningKey, signStatement } from '../../../src/core/node/pack-signing';
import { verifySshSignature } from '../../../src/core/node/sshsig';
import { COSIGN_NAMESPACE, verifyPack } from '../../../src/core/node/verify-pack';
import { group, handPolicy, rule } from '../policy/fixtures';

// Signing and checking packs with real keys: Ed25519 by node:crypto for the
// consultant, OpenSSH's ssh-keygen -Y sign for the owners' co-signatures.
// Every kind of tampering is caught and named.

const root = mkdtempSync(join(tmpdir(), 'flowfence-packs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sshKeygen = spawnSync('ssh-keygen', ['-?'], { encoding: 'utf8' }).error === undefined;
if (!sshKeygen) console.warn('co-signature checks with ssh-keygen skipped: ssh-keygen is not installed (apt-get install openssh-client)');

const policy = handPolicy([group('g1', ['10.0.1.1'], { labels: { owner: 'billing' } }), group('g2', ['10.0.2.1'], { labels: { owner: 'billing' } })], [rule('g1', 'g2', 6, { from: 443, to: 443 })]);
let count = 0;

/** Writes a signed pack into a folder of its own, as attest does. */
async function writePack(keyPath = join(root, 'signing.pem')): Promise<string> {
  const folder = join(root, `pack-${count++}`);
  rmSync(folder, { recursive: true, force: true });
  const key = await loadOrCreateSigningKey(keyPath);
  const [pack] = attestationPacks(policy, 'owner', { reasons: null, anomalies: null, previous: null, replay: null, coverage: null, generatedAt: '2026-12-04T00:00:00.000Z' });
  mkdirSync(folder, { recursive: true });
  for (const file of pack!.files) writeFileSync(join(folder, file.path), file.content);
  writeFileSync(join(folder, MANIFEST_FILE), JSON.stringify(signStatement(pack!.statement, key)));
  writeFileSync(join(folder, SIGNER_KEY_FILE), key.publicKeyPem);
  return folder;
}

describe('signing keys', () => {
  it('makes an Ed25519 key readable by its owner only, then reads it back', async () => {
    const path = join(root, 'new.pem');
    const made = await loadOrCreateSigningKey(path);
    expect(made.created).toBe(true);
    expect(spawnSync('stat', ['-c', '%a', path], { encoding: 'utf8' }).stdout.trim()).toBe('600');
    const again = await loadOrCreateSigningKey(path);
    expect([again.created, again.keyid]).toEqual([false, made.keyid]);
  });

  it('refuses a key that is not Ed25519, or not a key', async () => {
    const rsa = join(root, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(loadOrCreateSigningKey(rsa)).rejects.toThrow(/is a rsa key; packs are signed with Ed25519/);
    writeFileSync(join(root, 'junk.pem'), 'not a key');
    await expect(loadOrCreateSigningKey(join(root, 'junk.pem'))).rejects.toThrow(/is not a private key in PEM/);
  });
});

describe('verifyPack', () => {
  it('accepts a pack as written, by the key it carries or a trusted one', async () => {
    const folder = await writePack();
    expect(await verifyPack(folder)).toMatchObject({ ok: true, owner: 'billing', files: 5, problems: [] });
    const trusted = readFileSync(join(folder, SIGNER_KEY_FILE), 'utf8');
    expect((await verifyPack(folder, { trustedKeyPem: trusted })).signer).toMatchObject({ trusted: true });
  });

  it('names a changed file, a missing one and one added after signing', async () => {
    const folder = await writePack();
    appendFileSync(join(folder, 'rules.csv'), 'g9,serves\n');
    rmSync(join(folder, 'members.csv'));
    writeFileSync(join(folder, 'extra.html'), '<p>approved</p>');
    expect((await verifyPack(folder)).problems).toEqual(['members.csv is missing', 'rules.csv was changed after the pack was signed', 'extra.html is not in the signed manifest (added after signing?)']);
  });

  it('reports, never crashes on, a hostile folder: a folder or link added, a file swapped for a link, a malformed subject, a swapped signer.pub', async () => {
    const folder = await writePack();
    mkdirSync(join(folder, 'extra'));
    writeFileSync(join(folder, 'extra', 'evil.html'), '<p>approved</p>');
    rmSync(join(folder, 'members.csv'));
    symlinkSync('/etc/hostname', join(folder, 'members.csv'));
    mkdirSync(join(folder, 'x.sig'));
    const other = await loadOrCreateSigningKey(join(root, 'another.pem'));
    const trusted = readFileSync(join(folder, SIGNER_KEY_FILE), 'utf8');
    writeFileSync(join(folder, SIGNER_KEY_FILE), other.publicKeyPem);
    const verdict = await verifyPack(folder, { trustedKeyPem: trusted });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      'members.csv is not a regular file',
      'extra is not in the signed manifest (added after signing?)',
      'signer.pub is not the trusted key',
      'co-signature x.sig: is not a regular file',
    ]);
    const manifest = JSON.parse(readFileSync(join(folder, MANIFEST_FILE), 'utf8')) as { payload: string };
    const statement = JSON.parse(Buffer.from(manifest.payload, 'base64').toString()) as { subject: unknown[] };
    statement.subject.push(null, { name: 'rules.csv', digest: { sha256: 'x' } });
    writeFileSync(join(folder, MANIFEST_FILE), JSON.stringify({ ...manifest, payload: Buffer.from(JSON.stringify(statement)).toString('base64') }));
    const malformed = await verifyPack(folder);
    expect(malformed.problems).toContain('the manifest names a file outside the pack: null');
    expect(malformed.problems).toContain('the manifest names rules.csv twice');
  });

  it('refuses a manifest signed by another key than the trusted one, or edited after signing', async () => {
    const folder = await writePack(join(root, 'other.pem'));
    const trusted = (await loadOrCreateSigningKey(join(root, 'signing.pem'))).publicKeyPem;
    expect((await verifyPack(folder, { trustedKeyPem: trusted })).problems[0]).toMatch(/^the manifest's signature does not verify with the trusted key/);
    const manifest = JSON.parse(readFileSync(join(folder, MANIFEST_FILE), 'utf8')) as { payload: string };
    const statement = JSON.parse(Buffer.from(manifest.payload, 'base64').toString()) as { subject: { name: string }[] };
    statement.subject.push({ name: '../../etc/passwd' });
    writeFileSync(join(folder, MANIFEST_FILE), JSON.stringify({ ...manifest, payload: Buffer.from(JSON.stringify(statement)).toString('base64') }));
    const verdict = await verifyPack(folder);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toContain("the manifest's signature does not verify with the key in signer.pub (" + verdict.problems[0]!.split('(')[1]);
    expect(verdict.problems).toContain('the manifest names a file outside the pack: "../../etc/passwd"');
  });

  it.skipIf(!sshKeygen)('checks owners\' co-signatures made with ssh-keygen -Y sign, against allowed signers (skipped without ssh-keygen)', async () => {
    const folder = await writePack();
    const ownerKey = join(root, `owner-${count}`);
    expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', ownerKey]).status).toBe(0);
    expect(spawnSync('ssh-keygen', ['-Y', 'sign', '-f', ownerKey, '-n', COSIGN_NAMESPACE, join(folder, MANIFEST_FILE)]).status).toBe(0);
    const publicKey = readFileSync(`${ownerKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const listed = await verifyPack(folder, { allowedSigners: `alice@example.com ${publicKey}\n` });
    expect(listed).toMatchObject({ ok: true, cosignatures: [{ file: `${MANIFEST_FILE}.sig`, valid: true, principal: 'alice@example.com' }] });
    expect((await verifyPack(folder, { allowedSigners: '# nobody\n' })).problems).toEqual([`co-signature ${MANIFEST_FILE}.sig: signed by a key that is not in the allowed signers`]);
    // A key allowed for git signing only, or a certificate authority's key, does not sign packs.
    for (const options of ['namespaces="git"', 'cert-authority']) expect((await verifyPack(folder, { allowedSigners: `alice@example.com ${options} ${publicKey}\n` })).ok).toBe(false);
    expect((await verifyPack(folder, { allowedSigners: `alice@example.com namespaces="git,flowfence-pack" ${publicKey}\n` })).ok).toBe(true);
    // ssh-keygen agrees with our reading of its format.
    const signers = join(root, 'allowed');
    writeFileSync(signers, `alice@example.com ${publicKey}\n`);
    const check = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', signers, '-I', 'alice@example.com', '-n', COSIGN_NAMESPACE, '-s', join(folder, `${MANIFEST_FILE}.sig`)], { input: readFileSync(join(folder, MANIFEST_FILE)) });
    expect(check.status).toBe(0);
  });

  it.skipIf(!sshKeygen)('refuses a co-signature over another manifest or in another namespace (skipped without ssh-keygen)', async () => {
    const folder = await writePack();
    const ownerKey = join(root, `owner-${count}`);
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', ownerKey]);
    const other = join(root, `other-${count}.txt`);
    writeFileSync(other, 'another manifest');
    spawnSync('ssh-keygen', ['-Y', 'sign', '-f', ownerKey, '-n', 'file', other]);
    const signature = readFileSync(`${other}.sig`, 'utf8');
    expect(verifySshSignature(signature, readFileSync(other), COSIGN_NAMESPACE).problem).toBe('signed for namespace "file", not "flowfence-pack"');
    rmSync(`${other}.sig`);
    spawnSync('ssh-keygen', ['-Y', 'sign', '-f', ownerKey, '-n', COSIGN_NAMESPACE, other]);
    writeFileSync(join(folder, 'owner.sig'), readFileSync(`${other}.sig`, 'utf8'));
    expect((await verifyPack(folder)).problems).toEqual(['co-signature owner.sig: the signature does not match the file']);
    expect(verifySshSignature('hello', new Uint8Array(), COSIGN_NAMESPACE).problem).toMatch(/^not an SSH signature/);
  });
});
