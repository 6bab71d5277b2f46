/** A file a generator makes (demo data, benchmark data), as chunks of text. */
export interface GeneratedFile {
  /** Relative to the folder it is written into. */
  readonly path: string;
  readonly gzip: boolean;
  chunks(): Iterable<string>;
}
