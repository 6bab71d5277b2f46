import { csvParse } from 'd3-dsv';
import { contentDigest } from '../policy/build-policy';
import { sha256Hex } from '../policy/canonical-json';
import type { AuditEntry, Policy, PolicyRule, RuleDecision } from '../policy/policy-model';
import { ruleEvidenceSha256 } from './rule-digest';

/**
 * Owners' decisions on a pack's rules (its decisions.csv filled in, or the
 * same fields as JSON), applied to the policy: each sets a rule's state with
 * who, when, why, ticket and expiry, and is appended to the policy's audit
 * trail. A decision on a rule whose evidence changed since the pack was made
 * is refused: the owner certified something that no longer exists.
 */

export interface DecisionRow {
  /** Where it came from, for messages: "decisions.csv line 4". */
  readonly where: string;
  readonly rule: string;
  readonly evidenceSha256: string;
  readonly decision: string;
  readonly justification: string;
  readonly ticket: string;
  readonly expiry: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
}

export interface AppliedDecisions {
  readonly policy: Policy;
  readonly applied: readonly { readonly rule: string; readonly state: AuditEntry['state'] }[];
  readonly refused: readonly { readonly where: string; readonly rule: string; readonly reason: string }[];
  /** Rows left blank (no decision yet): not an error, an owner may decide part of a sheet. */
  readonly undecided: number;
}

const CERTIFY = new Set(['certify', 'certified', 'approve', 'approved']);
const DECERTIFY = new Set(['decertify', 'decertified', 'reject', 'rejected']);

/** decisions.csv (as attest writes it) or a JSON array of objects with the same fields. */
export function parseDecisions(text: string, name: string): DecisionRow[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[')) {
    let rows: unknown;
    try {
      rows = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`${name}: not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(rows)) throw new Error(`${name}: a JSON array of decisions was expected`);
    return rows.map((row, index) => fromRecord(typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {}, `${name} item ${index + 1}`));
  }
  const rows = csvParse(trimmed);
  for (const column of ['rule', 'evidence_sha256', 'decision']) if (!rows.columns.includes(column)) throw new Error(`${name}: no "${column}" column; fill in the decisions.csv of a pack`);
  return rows.map((row, index) => fromRecord(row, `${name} line ${index + 2}`));
}

function fromRecord(record: Record<string, unknown>, where: string): DecisionRow {
  const text = (...keys: string[]): string => {
    for (const key of keys) {
      const value = record[key];
      if (typeof value === 'string') return value.trim();
    }
    return '';
  };
  return {
    where,
    rule: unguarded(text('rule')),
    evidenceSha256: text('evidence_sha256', 'evidenceSha256'),
    decision: text('decision').toLowerCase(),
    justification: text('justification'),
    ticket: text('ticket'),
    expiry: text('expiry'),
    decidedBy: text('decided_by', 'decidedBy'),
    decidedAt: text('decided_at', 'decidedAt'),
  };
}

/**
 * An ISO date or date-time, as written ("2027-06-30" or a full instant);
 * null when not one, or not a real day (2027-02-31). A bare date is its
 * first instant for when a decision was made, its last for when a
 * certification expires (valid all that day). A time without a zone is UTC,
 * as every time in a policy is: never the importing machine's zone.
 */
function instant(text: string, bareDate: 'start' | 'end'): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  if (hour === undefined) return `${year}-${month}-${day}T${bareDate === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return null;
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction ?? ''}${zone ?? 'Z'}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A cell csv-line.ts guarded against spreadsheet formulas ('=…, '-…) back to the value written. */
const unguarded = (text: string): string => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text);

/** The rules a pack put before its owner, with the evidence digest each was shown with (pack.json). */
export type PackRules = ReadonlyMap<string, string>;

/**
 * Applies the rows decided. Only the rules of the owner's pack (`pack`) can
 * be decided from it: a sheet cannot certify another owner's rules.
 */
export function applyDecisions(policy: Policy, rows: readonly DecisionRow[], source: { readonly name: string; readonly text: string }, importedAt: string, pack: PackRules): AppliedDecisions {
  const rules = new Map(policy.rules.map((rule) => [rule.id, rule]));
  const refused: { where: string; rule: string; reason: string }[] = [];
  const entries: AuditEntry[] = [];
  const decided = new Map<string, PolicyRule>();
  let undecided = 0;
  const sourceRef = { name: source.name, sha256: sha256Hex(source.text) };
  for (const row of rows) {
    if (row.decision === '') {
      undecided++;
      continue;
    }
    const refuse = (reason: string): void => void refused.push({ where: row.where, rule: row.rule, reason });
    const rule = rules.get(row.rule);
    if (rule === undefined) {
      refuse('no such rule in this policy');
      continue;
    }
    if (!pack.has(rule.id)) {
      refuse("not a rule of this owner's pack");
      continue;
    }
    const state = CERTIFY.has(row.decision) ? 'approved' : DECERTIFY.has(row.decision) ? 'rejected' : null;
    if (state === null) {
      refuse(`decision "${row.decision}": write certify or decertify`);
      continue;
    }
    if (row.evidenceSha256 !== pack.get(rule.id) || row.evidenceSha256 !== ruleEvidenceSha256(rule)) {
      refuse('the rule or its evidence changed since the pack was made: decide on a new pack');
      continue;
    }
    if (row.decidedBy === '') {
      refuse('decided_by is empty: say who decided');
      continue;
    }
    if (row.justification === '') {
      refuse('justification is empty: say why');
      continue;
    }
    const at = row.decidedAt === '' ? importedAt : instant(row.decidedAt, 'start');
    const expires = row.expiry === '' ? null : instant(row.expiry, 'end');
    if (at === null) {
      refuse(`decided_at "${row.decidedAt}" is not a date (YYYY-MM-DD or an ISO 8601 instant)`);
      continue;
    }
    if (row.expiry !== '' && expires === null) {
      refuse(`expiry "${row.expiry}" is not a date (YYYY-MM-DD or an ISO 8601 instant)`);
      continue;
    }
    if (expires !== null && expires < at) {
      refuse(`expiry ${row.expiry} is before the decision (${at})`);
      continue;
    }
    if (decided.has(rule.id)) {
      refuse('decided twice in this file: keep one row per rule');
      continue;
    }
    const decision: RuleDecision = { by: row.decidedBy, at, why: row.justification, ticket: row.ticket === '' ? null : row.ticket, expires, evidenceSha256: row.evidenceSha256 };
    decided.set(rule.id, { ...rule, state, decision });
    entries.push({ rule: rule.id, state, ...decision, importedAt, source: sourceRef });
  }
  const content = { ...policy, rules: policy.rules.map((rule) => decided.get(rule.id) ?? rule), audit: [...(policy.audit ?? []), ...entries] };
  const { contentSha256: _old, ...withoutDigest } = content;
  const updated: Policy = entries.length === 0 ? policy : { ...withoutDigest, contentSha256: contentDigest(withoutDigest) };
  return { policy: updated, applied: entries.map((entry) => ({ rule: entry.rule, state: entry.state })), refused, undecided };
}

/** Approved rules whose certification has lapsed at `now` (drift reports them). */
export function lapsedCertifications(policy: Policy, nowIso: string): { readonly rule: string; readonly expired: string; readonly by: string }[] {
  return policy.rules
    .filter((rule) => rule.state === 'approved' && rule.decision?.expires !== undefined && rule.decision.expires !== null && rule.decision.expires < nowIso)
    .map((rule) => ({ rule: rule.id, expired: rule.decision!.expires!, by: rule.decision!.by }));
}
