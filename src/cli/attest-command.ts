import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { csvParse } from 'd3-dsv';
import { attestationPacks, MANIFEST_FILE, PACK_FILE, REPORT_PDF_FILE, SIGNER_KEY_FILE, withPackFile, type PackFiles, type PackRecord } from '../core/attest/attestation-packs';
import { findBrowser, printHtmlToPdf } from '../core/node/print-pdf';
import { verifyPack } from '../core/node/verify-pack';
import { applyDecisions, parseDecisions } from '../core/attest/decisions';
import { writeFileAtomic } from '../core/node/atomic-write';
import { policyJson } from '../core/policy/build-policy';
import { groupsByOwner } from '../core/attest/owners';
import type { PackSources } from '../core/attest/pack-content';
import { measureTrend } from '../core/measures/measure-trend';
import { snapshotOfPolicy } from '../core/measures/measure-snapshot';
import type { MeasureSnapshot } from '../core/measures/measures-model';
import type { PackAnomaly } from '../core/attest/pack-model';
import { packCoverage, replayByOwner } from '../core/attest/pack-replay';
import { writeOutputFolder } from '../core/node/output-folder';
import { loadOrCreateSigningKey, signStatement } from '../core/node/pack-signing';
import { PolicyEvaluator, simulate } from '../core/policy/simulate';
import type { CommandIo } from './analyze-command';
import { FLOW_OPTIONS, UsageError, flowArgs, parseCommandLine } from './args';
import { EXIT } from './exit-codes';
import { checkOutFolder } from './out-folder';
import { policyWarnings, readPolicy, replayFlows } from './replay-flows';
import { terminalText } from './terminal-text';

export const ATTEST_USAGE = `Usage: flowfence attest --policy P --key KEY --out DIR [options] [flow files or folders…]
       flowfence attest --policy P --import DECISIONS.csv|json --pack DIR [--trust KEY.pub]

Writes one attestation pack per owner of the policy's groups (the value of
the owner label on each group; groups without one make an "unowned" pack),
for the application owner to review and sign: report.html (self-contained,
prints cleanly from any browser) and report.pdf (printed by a Chromium-based
browser found on this machine, run headless and offline), members.csv,
rules.csv, decisions.csv (the decision sheet to fill in), pack.json, and
manifest.intoto.json: every file's SHA-256 in an in-toto statement, in a
DSSE envelope signed with the Ed25519 key KEY, with its public key in
signer.pub. Check a pack with "flowfence verify-pack". Owners co-sign with
their SSH key: ssh-keygen -Y sign -f ~/.ssh/id_ed25519 -n flowfence-pack manifest.intoto.json

Member reasons and flagged anomalies come from groups.csv and anomalies.csv
beside the policy (as "flowfence analyze --out" writes them). Flow files
given after the options are replayed against the policy for each owner:
edges permitted and blocked, exposure before and after, data coverage.

With --import, an owner's decisions (their pack's decisions.csv filled in:
decision certify or decertify, justification, ticket, expiry, decided_by,
decided_at; or a JSON array of the same fields) set the rules' states in P,
with who, when, why, ticket and expiry, and are appended to P's audit
trail. --pack names the owner's pack: it must verify (as verify-pack
checks it, pinned to --trust when given), and only its rules can be decided
from the sheet. A decision on a rule whose evidence changed since the pack
was made is refused, as is one without who or why or with an expiry before
the decision; the others are applied. Times without a zone are UTC.

Options:
  --policy P           policy.json written by "flowfence analyze --out" (required)
  --import FILE        apply an owner's decisions to P (rewritten in place, atomically)
  --pack DIR           with --import: the owner's pack the decisions were made on
  --trust KEY.pub      with --import: the key the pack must be signed with
  --key KEY            Ed25519 private key (PKCS#8 PEM); made, readable by you only,
                       when the file does not exist (required)
  --out DIR            folder to write the packs into (required); an earlier attest's
                       files are replaced only when every file of this one is written
  --owner-label L      the group label that names the owner (default: owner)
  --previous P0        the policy last attested: each pack lists the rules added,
                       removed and changed since
  --pdf WHEN           auto (default): print report.pdf when a Chromium, Chrome or
                       Edge is installed (or FLOWFENCE_BROWSER names one), else leave
                       report.html alone; always: fail without a browser; never
  --inventory, --pods, --logons, --map, --server-port, --internal
                       as for simulate, for the replayed flows
  --json               print what was written as JSON on stdout
  -h, --help           show this help

Exit codes: 0 written (every decision applied); 3 some decision refused (the
rest applied); 2 bad arguments, an unreadable policy, key or decisions file;
1 unexpected failure.`;

/** flowfence attest: signed attestation packs, one per owner. */
export async function attestCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...FLOW_OPTIONS,
    policy: { type: 'string' },
    key: { type: 'string' },
    'owner-label': { type: 'string' },
    previous: { type: 'string' },
    import: { type: 'string' },
    pack: { type: 'string' },
    trust: { type: 'string' },
    pdf: { type: 'string' },
  });
  if (values.help === true) {
    io.stdout.write(`${ATTEST_USAGE}\n`);
    return EXIT.ok;
  }
  if (values.policy === undefined) throw new UsageError('--policy P is required');
  if (values.import !== undefined) {
    if (positionals.length > 0 || values.out !== undefined || values.key !== undefined) throw new UsageError('--import takes only --policy, --pack, --trust and --json: it changes the policy, it writes no pack');
    if (values.pack === undefined) throw new UsageError("--import needs --pack DIR: the owner's pack the decisions were made on (only its rules can be decided)");
    return importDecisions(values.policy, values.import, values.pack, values.trust, values.json === true, io);
  }
  if (values.key === undefined) throw new UsageError('--key KEY is required: the Ed25519 key that signs the packs (made when the file does not exist)');
  if (values.out === undefined) throw new UsageError('--out DIR is required');
  const ownerLabel = values['owner-label'] ?? 'owner';
  const pdfWhen = values.pdf ?? 'auto';
  if (pdfWhen !== 'auto' && pdfWhen !== 'always' && pdfWhen !== 'never') throw new UsageError(`--pdf: auto, always or never, not "${values.pdf}"`);
  await checkOutFolder(values.out);
  const file = await readPolicy(values.policy);
  const { policy } = file;
  for (const warning of policyWarnings(values.policy, file)) io.stderr.write(`flowfence: warning: ${terminalText(warning)}\n`);
  const previous = values.previous === undefined ? null : (await readPolicy(values.previous)).policy;
  const analysisFolder = dirname(values.policy);

  let replay: PackSources['replay'] = null;
  let coverage: PackSources['coverage'] = null;
  // The estate's measures of success, charted in every report: with the flows given, all of them; without, the stages and certifications.
  let snapshot: MeasureSnapshot = snapshotOfPolicy(values.policy, policy);
  if (positionals.length > 0) {
    const replayed = await replayFlows({ ...flowArgs(values, positionals), policy: values.policy }, io, { hours: true });
    const verdicts = simulate(PolicyEvaluator.of(policy), replayed.edges, replayed.hosts);
    replay = replayByOwner(policy, groupsByOwner(policy, ownerLabel), verdicts, replayed.hosts);
    coverage = packCoverage(replayed.hours, replayed.loaded.reports);
    snapshot = { ...snapshot, flows: { edges: replayed.edges, replay: replayed.edges, hosts: replayed.hosts } };
  }
  let key;
  try {
    key = await loadOrCreateSigningKey(values.key);
  } catch (error) {
    throw new UsageError(`--key: ${(error as Error).message}`);
  }
  if (key.created) io.stderr.write(`flowfence: made a new Ed25519 signing key in ${terminalText(values.key)} (keyid ${key.keyid.slice(0, 16)}…): keep it; give owners its public key (signer.pub of any pack)\n`);

  const sources: PackSources = {
    reasons: await readReasons(join(analysisFolder, 'groups.csv')),
    anomalies: await readAnomalies(join(analysisFolder, 'anomalies.csv')),
    previous,
    replay,
    coverage,
    measures: measureTrend([snapshot]),
    generatedAt: new Date().toISOString(),
  };
  const printed = await printReports(attestationPacks(policy, ownerLabel, sources), pdfWhen, io);
  const packs = printed.packs;
  const outputs: (readonly [string, readonly (string | Uint8Array)[]])[] = [];
  for (const pack of packs) {
    for (const entry of pack.files) outputs.push([`${pack.slug}/${entry.path}`, [entry.content]]);
    outputs.push([`${pack.slug}/${MANIFEST_FILE}`, [`${JSON.stringify(signStatement(pack.statement, key), null, 2)}\n`]]);
    outputs.push([`${pack.slug}/${SIGNER_KEY_FILE}`, [key.publicKeyPem]]);
  }
  await writeOutputFolder(values.out, outputs);
  // A report.pdf left by an earlier attest is no part of this manifest (verify-pack would call it added): it goes.
  for (const pack of packs) if (!pack.files.some((file) => file.path === REPORT_PDF_FILE)) await rm(join(values.out, pack.slug, REPORT_PDF_FILE), { force: true });
  // Owners' co-signatures of an earlier pack in the same folder sign the earlier manifest: say so rather than let verify-pack fail later.
  for (const pack of packs) {
    const stale = (await readdir(join(values.out, pack.slug))).filter((name) => name.endsWith('.sig') || name.endsWith('.sshsig'));
    if (stale.length > 0) io.stderr.write(`flowfence: warning: ${terminalText(`${join(values.out, pack.slug)} holds co-signatures of an earlier pack (${stale.join(', ')}): they do not sign this manifest; remove them and ask the owner to sign again`)}\n`);
  }
  const summary = packs.map((pack) => ({ owner: pack.owner, folder: pack.slug, rules: pack.rules, files: pack.files.length + 2, pdf: pack.files.some((file) => file.path === REPORT_PDF_FILE) }));
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify({ policySha256: policy.contentSha256, ownerLabel, keyid: key.keyid, browser: printed.browser, packs: summary }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`${packs.length} attestation pack${packs.length === 1 ? '' : 's'} signed (key ${key.keyid.slice(0, 16)}…) in ${values.out}:`, ...summary.map((pack) => `  ${pack.folder}/  ${pack.owner ?? '(groups without an owner)'}: ${pack.rules} rule${pack.rules === 1 ? '' : 's'} to decide`)];
  if (sources.reasons === null) lines.push(`  member reasons: not found (${join(analysisFolder, 'groups.csv')})`);
  if (sources.anomalies === null) lines.push(`  flagged anomalies: not found (${join(analysisFolder, 'anomalies.csv')})`);
  if (replay === null) lines.push('  replay and coverage: no flow files given');
  lines.push(`  report.pdf: ${printed.note}`);
  io.stdout.write(`${lines.map(terminalText).join('\n')}\n`);
  return EXIT.ok;
}

interface PrintedPacks {
  readonly packs: readonly PackFiles[];
  /** The browser that printed the reports, or null. */
  readonly browser: string | null;
  /** One line for the summary: printed by what, or why not. */
  readonly note: string;
}

/**
 * Each pack's report printed to PDF and added to the pack before it is
 * signed, so the manifest covers the PDF too. Printing comes before any
 * file is written: a failure leaves the earlier packs as they were.
 */
async function printReports(packs: readonly PackFiles[], when: 'auto' | 'always' | 'never', io: CommandIo): Promise<PrintedPacks> {
  if (when === 'never') return { packs, browser: null, note: 'not printed (--pdf never)' };
  let browser: string | null;
  try {
    browser = await findBrowser();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (browser === null) {
    if (when === 'always') throw new UsageError('--pdf always: no Chromium, Chrome or Edge found; install one or name it in FLOWFENCE_BROWSER');
    return { packs, browser: null, note: 'not printed: no Chromium, Chrome or Edge found (FLOWFENCE_BROWSER names one); report.html prints from any browser' };
  }
  if (packs.length > 1) io.stderr.write(`flowfence: printing ${packs.length} reports to PDF with ${terminalText(browser)}\n`);
  const result: PackFiles[] = [];
  for (const pack of packs) {
    const html = pack.files.find((file) => file.path === 'report.html')!.content as string;
    try {
      result.push(withPackFile(pack, REPORT_PDF_FILE, await printHtmlToPdf(browser, html)));
    } catch (error) {
      if (when === 'always') throw error;
      io.stderr.write(`flowfence: warning: ${terminalText((error as Error).message)}: the packs carry report.html only\n`);
      return { packs, browser: null, note: `not printed: ${(error as Error).message}` };
    }
  }
  return { packs: result, browser, note: `printed with ${browser}` };
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** groups.csv: ip → why it is in its group. */
async function readReasons(path: string): Promise<Map<string, string> | null> {
  const text = await readOptional(path);
  if (text === null) return null;
  return new Map(csvParse(text).map((row) => [row.ip ?? '', row.reason ?? '']));
}

async function readAnomalies(path: string): Promise<PackAnomaly[] | null> {
  const text = await readOptional(path);
  if (text === null) return null;
  return csvParse(text).map((row) => ({ kind: row.kind ?? '', src: row.src ?? '', dst: row.dst ?? '', reason: row.reason ?? '' }));
}

/** attest --import: owners' decisions into the policy's rule states and audit trail. */
async function importDecisions(policyPath: string, decisionsPath: string, packPath: string, trustPath: string | undefined, json: boolean, io: CommandIo): Promise<number> {
  const file = await readPolicy(policyPath);
  const packRules = await verifiedPackRules(packPath, trustPath);
  for (const warning of policyWarnings(policyPath, file)) io.stderr.write(`flowfence: warning: ${terminalText(warning)}\n`);
  let text: string;
  try {
    text = await readFile(decisionsPath, 'utf8');
  } catch (error) {
    throw new UsageError(`--import: cannot read ${decisionsPath}: ${(error as Error).message}`);
  }
  const name = basename(decisionsPath);
  let rows;
  try {
    rows = parseDecisions(text, name);
  } catch (error) {
    throw new UsageError(`--import: ${(error as Error).message}`);
  }
  const result = applyDecisions(file.policy, rows, { name, text }, new Date().toISOString(), packRules);
  if (result.applied.length > 0) await writeFileAtomic(policyPath, [policyJson(result.policy)]);
  if (json) io.stdout.write(`${JSON.stringify({ policy: policyPath, contentSha256: result.policy.contentSha256, applied: result.applied, refused: result.refused, undecided: result.undecided }, null, 2)}\n`);
  else {
    const approved = result.applied.filter((entry) => entry.state === 'approved').length;
    const lines = [`${result.applied.length} decision${result.applied.length === 1 ? '' : 's'} applied to ${policyPath} (${approved} certified, ${result.applied.length - approved} decertified), ${result.undecided} row${result.undecided === 1 ? '' : 's'} left undecided`];
    for (const refusal of result.refused) lines.push(`  refused ${refusal.where} (${refusal.rule || 'no rule'}): ${refusal.reason}`);
    io.stdout.write(`${lines.map(terminalText).join('\n')}\n`);
  }
  return result.refused.length > 0 ? EXIT.wouldBlock : EXIT.ok;
}

/** The rules of a pack that verifies, with their evidence digests; a pack that does not verify is a usage error naming why. */
async function verifiedPackRules(packPath: string, trustPath: string | undefined): Promise<Map<string, string>> {
  let trustedKeyPem: string | undefined;
  if (trustPath !== undefined) {
    try {
      trustedKeyPem = await readFile(trustPath, 'utf8');
    } catch (error) {
      throw new UsageError(`--trust: cannot read ${trustPath}: ${(error as Error).message}`);
    }
  }
  const verdict = await verifyPack(packPath, trustedKeyPem === undefined ? {} : { trustedKeyPem });
  if (!verdict.ok) throw new UsageError(`--pack ${packPath} does not verify: ${verdict.problems.join('; ')}`);
  const record = JSON.parse(await readFile(join(packPath, PACK_FILE), 'utf8')) as PackRecord;
  return new Map(record.rules.map((entry) => [entry.id, entry.evidenceSha256]));
}
