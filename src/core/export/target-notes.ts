import type { PolicyRule } from '../policy/policy-model';
import type { ExportNote, ExportTargetName } from './export-types';

/**
 * A target's notes and the rules it leaves out, kept together so that every
 * rule left out is both counted and said (rulesExported + rulesSkipped is
 * always every rule of the policy, and export-notes.csv says why).
 */
export class TargetNotes {
  readonly notes: ExportNote[] = [];
  skipped = 0;

  constructor(private readonly target: ExportTargetName) {}

  note(rule: string | null, what: string, action: ExportNote['action'], instead: string): void {
    this.notes.push({ target: this.target, rule, what, action, instead });
  }

  /** A rule this target leaves out entirely: noted, and counted as skipped. */
  skip(rule: string, what: string, action: ExportNote['action'], instead: string): void {
    this.skipped++;
    this.note(rule, what, action, instead);
  }

  /** A rule the analyst rejected is never exported; true when this one was (and it is now noted). */
  skipRejected(rule: PolicyRule): boolean {
    if (rule.state !== 'rejected') return false;
    this.skip(rule.id, 'a rule the analyst rejected', 'skipped', 'not exported');
    return true;
  }
}
