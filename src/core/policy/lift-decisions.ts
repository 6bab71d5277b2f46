import type { PolicyRule } from './policy-model';

/**
 * Which keys are lifted to one rule (internal services used by most groups,
 * or the other way, uses one group makes of most groups), their rules, and
 * what each rule was built from: an unchanged signature keeps the rule as
 * it is, so a regrouping rebuilds only the lifted rules it changes.
 */
export class LiftDecisions {
  readonly keys = new Set<string>();
  readonly rules = new Map<string, PolicyRule>();
  private readonly signatures = new Map<string, string>();

  /** Decides the given keys again; returns those whose decision flipped. */
  recompute(keys: Iterable<string>, how: { decide(key: string): boolean; signature(key: string): string; build(key: string): PolicyRule }): string[] {
    const flipped: string[] = [];
    for (const key of keys) {
      const was = this.keys.has(key);
      const now = how.decide(key);
      if (now) {
        this.keys.add(key);
        const signature = how.signature(key);
        if (this.signatures.get(key) !== signature) {
          this.rules.set(key, how.build(key));
          this.signatures.set(key, signature);
        }
      } else {
        this.keys.delete(key);
        this.rules.delete(key);
        this.signatures.delete(key);
      }
      if (was !== now) flipped.push(key);
    }
    return flipped;
  }
}
