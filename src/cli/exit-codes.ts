/** The CLI's exit codes; policy-as-code pipelines branch on them. */
export const EXIT = {
  ok: 0,
  /** A bug or an environment failure: the message says which. */
  failure: 1,
  /** A file could not be read, no flow was accepted, or the arguments were wrong. */
  unusableInput: 2,
  /** simulate: some observed flow would be blocked; drift: something drifted. */
  wouldBlock: 3,
} as const;
