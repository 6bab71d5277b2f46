import { ENRICHMENT_FORMAT_IDS } from '../core/enrich/enrichment-file';

interface InputOutcome {
  readonly format: string | null;
  readonly accepted: number;
  readonly error?: string | null;
}

/**
 * What a run's inputs amount to: whether any file could not be read, and
 * whether any flow record was accepted (inventories, pod lists and logons
 * are no flows). Either failing makes the input unusable (exit 2); only
 * the second leaves nothing to write.
 */
export function inputVerdict(inputs: readonly InputOutcome[]): { readonly unreadable: boolean; readonly flowsAccepted: boolean } {
  const enrichment: readonly string[] = ENRICHMENT_FORMAT_IDS;
  return {
    unreadable: inputs.some((input) => (input.error ?? null) !== null),
    flowsAccepted: inputs.some((input) => input.accepted > 0 && input.format !== null && !enrichment.includes(input.format)),
  };
}
