import { canonicalJson, sha256Hex } from '../policy/canonical-json';
import type { Policy } from '../policy/policy-model';
import { packStatement, type Statement } from './in-toto';
import { groupsByOwner } from './owners';
import { packContent, type PackSources } from './pack-content';
import { decisionsCsv, membersCsv, rulesCsv } from './pack-csv';
import { packHtml } from './pack-html';
import type { PackContent } from './pack-model';

/** The file a pack's signed manifest is written to, and the public key that verifies it. */
export const MANIFEST_FILE = 'manifest.intoto.json';
export const SIGNER_KEY_FILE = 'signer.pub';
/** The machine-readable pack: what --import checks decisions against. */
export const PACK_FILE = 'pack.json';

export interface PackFiles {
  readonly slug: string;
  readonly owner: string | null;
  /** Paths relative to the pack's folder; text, or bytes (the report printed to PDF). */
  readonly files: readonly { readonly path: string; readonly content: string | Uint8Array }[];
  /** The unsigned in-toto statement over those files. */
  readonly statement: Statement;
  readonly rules: number;
}

/** What pack.json records: per rule the evidence digest a decision must match. */
export interface PackRecord {
  readonly format: 'flowfence-attestation-pack';
  readonly owner: string | null;
  readonly ownerLabel: string;
  readonly policySha256: string;
  readonly generatedAt: string;
  readonly rules: readonly { readonly id: string; readonly evidenceSha256: string }[];
}

/**
 * One pack per owner of the policy's groups (the owner label's value;
 * groups without it make one "unowned" pack): report.html, members.csv,
 * rules.csv, decisions.csv and pack.json, and the in-toto statement over
 * them that the caller signs into manifest.intoto.json.
 */
export function attestationPacks(policy: Policy, ownerLabel: string, sources: PackSources): PackFiles[] {
  return groupsByOwner(policy, ownerLabel).map((owner) => {
    const pack = packContent(policy, owner, ownerLabel, sources);
    const files = [
      { path: 'report.html', content: packHtml(pack) },
      { path: 'members.csv', content: membersCsv(pack) },
      { path: 'rules.csv', content: rulesCsv(pack) },
      { path: 'decisions.csv', content: decisionsCsv(pack) },
      { path: PACK_FILE, content: canonicalJson(packRecord(pack)) },
    ];
    const statement = packStatement(
      files.map((file) => ({ path: file.path, sha256: sha256Hex(file.content) })),
      { owner: pack.owner, ownerLabel, policySha256: pack.policySha256, generatedAt: pack.generatedAt, rules: pack.rules.length },
    );
    return { slug: owner.slug, owner: owner.owner, files, statement, rules: pack.rules.length };
  });
}

/** The report printed to PDF, beside report.html (written by the CLI when a browser is present). */
export const REPORT_PDF_FILE = 'report.pdf';

/**
 * The pack with one more file (the report printed to PDF), its statement
 * made again over every file: the manifest signs the PDF like the rest.
 */
export function withPackFile(pack: PackFiles, path: string, content: Uint8Array): PackFiles {
  if (pack.files.some((file) => file.path === path)) throw new Error(`the pack already holds ${path}`);
  const files = [...pack.files, { path, content }];
  const statement = packStatement(files.map((file) => ({ path: file.path, sha256: sha256Hex(file.content) })), pack.statement.predicate);
  return { ...pack, files, statement };
}

function packRecord(pack: PackContent): PackRecord {
  return {
    format: 'flowfence-attestation-pack',
    owner: pack.owner,
    ownerLabel: pack.ownerLabel,
    policySha256: pack.policySha256,
    generatedAt: pack.generatedAt,
    rules: pack.rules.map((entry) => ({ id: entry.rule.id, evidenceSha256: entry.evidenceSha256 })),
  };
}
