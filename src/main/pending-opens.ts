/**
 * Files the OS asked the app to open (command line, macOS `open-file`, a
 * second instance, File › Open Recent) until the page takes them. They
 * arrive before the page has loaded as often as after, so the page pulls:
 * it takes what is waiting when it starts, and again whenever it is told
 * more has come. Finder sends one `open-file` per file of a multiple
 * selection, so everything waiting is taken together, as one set.
 */
export class PendingOpens {
  private readonly paths: string[] = [];

  add(paths: readonly string[]): void {
    for (const path of paths) if (!this.paths.includes(path)) this.paths.push(path);
  }

  /** Everything waiting, in arrival order, and forgets it. */
  take(): string[] {
    return this.paths.splice(0, this.paths.length);
  }
}
