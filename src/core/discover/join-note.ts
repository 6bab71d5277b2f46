/**
 * Why a discovery stage moved a host: a sentence for the host's reason,
 * shown while the host still shares a group with `partner` (a later stage
 * may undo the move, and then the sentence would be false).
 */
export interface JoinNote {
  readonly text: string;
  readonly partner: number;
}

/** Why a stage parted a host from others: shown while it shares a group with `partner` and not with `apartFrom`. */
export interface PartNote extends JoinNote {
  readonly apartFrom: number;
}
