import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The files named on a command line: what the OS passes when the analyst
 * opens a `.flowfence` file with the app (Windows and Linux file associations,
 * `flowfence-app file.flowfence`), for the first instance and for each later
 * one that hands its command line over. The executable (and, in development,
 * the app folder Electron was started with) comes first; switches start with
 * `-` (Chromium adds its own to a second instance's line), so a file whose
 * name starts with `-` must be given as `./-name`. Linux desktop entries
 * pass `%U`, so a file may also come as a `file://` URL; other URLs are not
 * files and are ignored.
 */
export function filesFromCommandLine(argv: readonly string[], options: { readonly isDefaultApp: boolean; readonly workingDirectory: string }): string[] {
  const operands = argv.slice(options.isDefaultApp ? 2 : 1).filter((arg) => arg.length > 0 && !arg.startsWith('-'));
  const paths: string[] = [];
  for (const arg of operands) {
    if (/^file:\/\//i.test(arg)) {
      try {
        paths.push(fileURLToPath(arg));
      } catch {
        // A file URL naming another host is not a file this machine can open.
      }
    } else if (!/^[a-z][a-z0-9+.-]+:\/\//i.test(arg)) paths.push(isAbsolute(arg) ? arg : resolve(options.workingDirectory, arg));
  }
  return paths;
}
