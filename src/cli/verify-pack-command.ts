import { readFile } from 'node:fs/promises';
import { packFolders, verifyPack, type PackVerdict } from '../core/node/verify-pack';
import type { CommandIo } from './analyze-command';
import { UsageError, parseCommandLine } from './args';
import { EXIT } from './exit-codes';
import { terminalText } from './terminal-text';

export const VERIFY_PACK_USAGE = `Usage: flowfence verify-pack DIR [options]

Checks attestation packs written by "flowfence attest": DIR is one pack or
a folder of packs. For each: the DSSE signature over manifest.intoto.json,
every file the manifest names against its SHA-256, no file it does not name,
and every owner's SSH co-signature (*.sig, made with
ssh-keygen -Y sign -n flowfence-pack manifest.intoto.json).

Without --trust, the signature is checked with the key the pack carries
(signer.pub): that proves the pack is whole, not who made it.

Options:
  --trust KEY.pub      the public key (PEM) the packs must be signed with
  --allowed-signers F  an ssh allowed_signers file: every co-signature must be
                       by a key listed there
  --json               print the verdicts as JSON on stdout
  -h, --help           show this help

Exit codes: 0 every pack verified; 4 some pack failed; 2 bad arguments; 1 unexpected failure.`;

export async function verifyPackCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    trust: { type: 'string' },
    'allowed-signers': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    io.stdout.write(`${VERIFY_PACK_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give one pack folder, or a folder of packs');
  const read = async (option: string, path: string | undefined): Promise<string | undefined> => {
    if (path === undefined) return undefined;
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`${option}: cannot read ${path}: ${(error as Error).message}`);
    }
  };
  const trustedKeyPem = await read('--trust', values.trust);
  const allowedSigners = await read('--allowed-signers', values['allowed-signers']);
  let folders: string[];
  try {
    folders = await packFolders(positionals[0]!);
  } catch (error) {
    throw new UsageError(`cannot read ${positionals[0]}: ${(error as Error).message}`);
  }
  if (folders.length === 0) throw new UsageError(`${positionals[0]} holds no pack (no manifest.intoto.json in it or its folders)`);
  const verdicts: PackVerdict[] = [];
  for (const folder of folders) verdicts.push(await verifyPack(folder, { ...(trustedKeyPem === undefined ? {} : { trustedKeyPem }), ...(allowedSigners === undefined ? {} : { allowedSigners }) }));
  const failed = verdicts.filter((verdict) => !verdict.ok).length;
  if (values.json === true) io.stdout.write(`${JSON.stringify({ verified: verdicts.length - failed, failed, packs: verdicts }, null, 2)}\n`);
  else {
    const lines: string[] = [];
    for (const verdict of verdicts) {
      const who = verdict.signer === null ? 'signature not verified' : `signed by ${verdict.signer.keyid.slice(0, 16)}…${verdict.signer.trusted ? ' (trusted key)' : ' (the key in signer.pub: pass --trust to pin it)'}`;
      lines.push(`${verdict.ok ? 'OK  ' : 'FAIL'} ${verdict.folder}: ${verdict.owner ?? '(no owner)'}, ${verdict.files} files, ${who}`);
      for (const cosign of verdict.cosignatures) lines.push(`       co-signed ${cosign.valid ? 'by' : 'INVALID,'} ${cosign.principal ?? cosign.fingerprint ?? cosign.file}${cosign.problem === null ? '' : `: ${cosign.problem}`}`);
      for (const problem of verdict.problems) lines.push(`       ${problem}`);
    }
    io.stdout.write(`${lines.map(terminalText).join('\n')}\n`);
  }
  return failed === 0 ? EXIT.ok : EXIT.packInvalid;
}
