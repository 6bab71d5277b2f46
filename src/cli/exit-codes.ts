/** The CLI's exit codes; policy-as-code pipelines branch on them. */
export const EXIT = {
  ok: 0,
  /** A bug or an environment failure: the message says which. */
  failure: 1,
  /** A file could not be read, no flow was accepted, or the arguments were wrong. */
  unusableInput: 2,
  /** simulate: some observed flow would be blocked; drift: something drifted. */
  wouldBlock: 3,
  /** verify-pack: a pack's signature, a file or a co-signature does not hold. */
  packInvalid: 4,
} as const;
