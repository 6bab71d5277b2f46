/**
 * A file a generator makes (demo data, benchmark data), as chunks of text:
 * what the generators in src/core/synth produce and the Node adapter
 * src/core/node/write-generated writes, without either importing the other.
 */
export interface GeneratedFile {
  /** Relative to the folder it is written into. */
  readonly path: string;
  readonly gzip: boolean;
  chunks(): Iterable<string>;
}
