import { compareText } from '../util/compare';
import { EXPORT_TARGETS, type ExportTargetName } from './export-types';
import type { ExportVersionManifest, VersionGroup, VersionRule, VersionRules } from './export-version';

/**
 * What replacing one export version by another changes, rule by rule: per
 * target, the policy rules that will open (opened by the new version, not
 * by the old), those that will close, and those both open whose ends or
 * conditions differ (hosts a rule reaches are added or removed; a window,
 * identity condition or just-in-time requirement changes). Computed from
 * each version's rule list (export-version.ts), never from the text of the
 * rule files, so a rule is never reported because its evidence comment
 * changed, and never missed because two targets spell it differently.
 */
export interface VersionDiff {
  readonly targets: readonly TargetDiff[];
  /** Files by path, over the whole folder (the manifests aside). */
  readonly files: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
  /** Groups whose enforcement stage differs ("enforce" where a version lists none), by id; absent when none does. */
  readonly stages?: readonly StageChange[];
}

export interface StageChange {
  readonly group: string;
  readonly before: string;
  readonly after: string;
}

export interface TargetDiff {
  readonly target: ExportTargetName;
  /** Exported by one version only: every rule it opens opens or closes with it. */
  readonly presence: 'both' | 'added' | 'removed';
  readonly opens: readonly RuleEnds[];
  readonly closes: readonly RuleEnds[];
  readonly changes: readonly RuleChange[];
}

/** A rule by its policy id, with the ends and service it opens or closes. */
export interface RuleEnds {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly service: string;
}

export interface RuleChange extends RuleEnds {
  /** Client addresses (members of the from group) the rule now reaches, and no longer reaches. */
  readonly clientsOpened: readonly string[];
  readonly clientsClosed: readonly string[];
  readonly serversOpened: readonly string[];
  readonly serversClosed: readonly string[];
  /** Conditions that differ (the membership rule of an end, window, identity, just-in-time), as compact JSON before and after. */
  readonly conditions: readonly { readonly what: string; readonly before: string; readonly after: string }[];
}

/** The difference from `before` (what the folder holds now) to `after` (what is about to be written). */
export function diffVersions(before: ExportVersionManifest | null, after: ExportVersionManifest): VersionDiff {
  const beforeRules = before?.rules ?? EMPTY;
  const targets: TargetDiff[] = [];
  for (const target of EXPORT_TARGETS) {
    const wasExported = before !== null && before.targets.includes(target);
    const isExported = after.targets.includes(target);
    if (!wasExported && !isExported) continue;
    targets.push(diffTarget(target, wasExported ? beforeRules : null, isExported ? after.rules : null));
  }
  const beforeFiles = new Map((before?.files ?? []).map((file) => [file.path, file.sha256]));
  const afterFiles = new Map(after.files.map((file) => [file.path, file.sha256]));
  const stages = stageChanges(before?.rules.stages ?? {}, after.rules.stages ?? {});
  return {
    ...(stages.length === 0 ? {} : { stages }),
    targets,
    files: {
      added: [...afterFiles.keys()].filter((path) => !beforeFiles.has(path)).sort(compareText),
      removed: [...beforeFiles.keys()].filter((path) => !afterFiles.has(path)).sort(compareText),
      changed: [...afterFiles].filter(([path, sha]) => beforeFiles.has(path) && beforeFiles.get(path) !== sha).map(([path]) => path).sort(compareText),
    },
  };
}

/** True when the versions open the same rules the same way in every target. */
export function sameRules(diff: VersionDiff): boolean {
  return diff.targets.every((target) => target.presence === 'both' && target.opens.length === 0 && target.closes.length === 0 && target.changes.length === 0);
}

/** What a group's stage was and is; a group a manifest does not list is enforced. */
function stageChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): StageChange[] {
  const groups = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareText);
  return groups.map((group) => ({ group, before: before[group] ?? 'enforce', after: after[group] ?? 'enforce' })).filter((change) => change.before !== change.after);
}

const EMPTY: VersionRules = { groups: [], rules: [], open: {} };

function diffTarget(target: ExportTargetName, before: VersionRules | null, after: VersionRules | null): TargetDiff {
  const beforeOpen = new Set(before?.open[target] ?? []);
  const afterOpen = new Set(after?.open[target] ?? []);
  const beforeRules = index(before);
  const afterRules = index(after);
  const opens = [...afterOpen].filter((id) => !beforeOpen.has(id)).sort(compareText).map((id) => ends(afterRules.rules.get(id), id));
  const closes = [...beforeOpen].filter((id) => !afterOpen.has(id)).sort(compareText).map((id) => ends(beforeRules.rules.get(id), id));
  const changes: RuleChange[] = [];
  for (const id of [...afterOpen].filter((open) => beforeOpen.has(open)).sort(compareText)) {
    const change = ruleChange(id, beforeRules, afterRules);
    if (change !== null) changes.push(change);
  }
  return { target, presence: before === null ? 'added' : after === null ? 'removed' : 'both', opens, closes, changes };
}

interface RuleIndex {
  readonly rules: Map<string, VersionRule>;
  readonly groups: Map<string, VersionGroup>;
}

function index(rules: VersionRules | null): RuleIndex {
  return { rules: new Map((rules?.rules ?? []).map((rule) => [rule.id, rule])), groups: new Map((rules?.groups ?? []).map((group) => [group.id, group])) };
}

/** A rule id the manifest lists as open but does not describe would be a damaged manifest: its ends are then unknown, and said so. */
function ends(rule: VersionRule | undefined, id: string): RuleEnds {
  return rule === undefined ? { id, from: '?', to: '?', service: '?' } : { id, from: rule.from, to: rule.to, service: rule.service };
}

function ruleChange(id: string, before: RuleIndex, after: RuleIndex): RuleChange | null {
  const old = before.rules.get(id);
  const now = after.rules.get(id);
  if (old === undefined || now === undefined) return null;
  const oldFrom = before.groups.get(old.from);
  const newFrom = after.groups.get(now.from);
  const oldTo = before.groups.get(old.to);
  const newTo = after.groups.get(now.to);
  const conditions: { what: string; before: string; after: string }[] = [];
  const compare = (what: string, a: unknown, b: unknown): void => {
    const textA = JSON.stringify(a ?? null);
    const textB = JSON.stringify(b ?? null);
    if (textA !== textB) conditions.push({ what, before: textA, after: textB });
  };
  compare(`membership rule of ${now.from}`, oldFrom?.match, newFrom?.match);
  if (now.to !== now.from) compare(`membership rule of ${now.to}`, oldTo?.match, newTo?.match);
  compare('window', old.window, now.window);
  compare('identity', old.identity, now.identity);
  compare('just-in-time', old.jit, now.jit);
  const change: RuleChange = {
    ...ends(now, id),
    clientsOpened: minus(newFrom?.members, oldFrom?.members),
    clientsClosed: minus(oldFrom?.members, newFrom?.members),
    serversOpened: minus(newTo?.members, oldTo?.members),
    serversClosed: minus(oldTo?.members, newTo?.members),
    conditions,
  };
  const changed = conditions.length > 0 || change.clientsOpened.length + change.clientsClosed.length + change.serversOpened.length + change.serversClosed.length > 0;
  return changed ? change : null;
}

function minus(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  const taken = new Set(b ?? []);
  return (a ?? []).filter((item) => !taken.has(item)).sort(compareText);
}
