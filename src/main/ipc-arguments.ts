import { RECENT_ID_PATTERN } from '../shared/ipc';

/**
 * Argument checks for the IPC handlers. The renderer is treated as untrusted
 * input: every value is checked for type, size and shape before the main
 * process acts on it.
 */

/** Large enough for any summary or CSV the page produces, small enough to refuse abuse. */
export const MAX_SAVE_TEXT_CHARS = 256 * 1024 * 1024;
const MAX_FILE_NAME_CHARS = 200;

export class IpcArgumentError extends Error {
  override readonly name = 'IpcArgumentError';
}

export interface SaveTextArguments {
  readonly suggestedName: string;
  readonly text: string;
}

export function parseSaveTextArguments(args: readonly unknown[], maxChars = MAX_SAVE_TEXT_CHARS): SaveTextArguments {
  if (args.length !== 2) throw new IpcArgumentError(`saveText takes 2 arguments, got ${args.length}`);
  const [suggestedName, text] = args;
  if (typeof suggestedName !== 'string' || !isPlainFileName(suggestedName)) {
    throw new IpcArgumentError('saveText: the suggested name must be a plain file name (no folders, no control characters)');
  }
  if (typeof text !== 'string') throw new IpcArgumentError('saveText: the text must be a string');
  if (text.length > maxChars) throw new IpcArgumentError(`saveText: the text is longer than ${maxChars} characters`);
  return { suggestedName, text };
}

/** A workspace of a few million edges is a few hundred MiB; beyond this one is refused. */
export const MAX_WORKSPACE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export function parseSaveWorkspaceArguments(args: readonly unknown[], maxBytes = MAX_WORKSPACE_BYTES): { suggestedName: string; bytes: Uint8Array } {
  return parseNamedBytes('saveWorkspace', args, maxBytes);
}

/** saveArchive: a zip of exported rule sets, bounded like a workspace. */
export function parseSaveArchiveArguments(args: readonly unknown[], maxBytes = MAX_WORKSPACE_BYTES): { suggestedName: string; bytes: Uint8Array } {
  return parseNamedBytes('saveArchive', args, maxBytes);
}

function parseNamedBytes(what: string, args: readonly unknown[], maxBytes: number): { suggestedName: string; bytes: Uint8Array } {
  if (args.length !== 2) throw new IpcArgumentError(`${what} takes 2 arguments, got ${args.length}`);
  const [suggestedName, bytes] = args;
  if (typeof suggestedName !== 'string' || !isPlainFileName(suggestedName)) {
    throw new IpcArgumentError(`${what}: the suggested name must be a plain file name (no folders, no control characters)`);
  }
  return { suggestedName, bytes: parseBytes(what, bytes, maxBytes) };
}

export function parseAutosaveArguments(args: readonly unknown[], maxBytes = MAX_WORKSPACE_BYTES): Uint8Array {
  if (args.length !== 1) throw new IpcArgumentError(`autosave takes 1 argument, got ${args.length}`);
  return parseBytes('autosave', args[0], maxBytes);
}

function parseBytes(name: string, value: unknown, maxBytes: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new IpcArgumentError(`${name}: the workspace must be bytes`);
  if (value.byteLength > maxBytes) throw new IpcArgumentError(`${name}: the workspace is larger than ${maxBytes} bytes`);
  return value;
}

/** A recent entry's id, as `recentId` makes it (16 hex digits). */
export function parseRecentIdArguments(args: readonly unknown[]): string {
  if (args.length !== 1) throw new IpcArgumentError(`openRecent takes 1 argument, got ${args.length}`);
  const [id] = args;
  if (typeof id !== 'string' || !RECENT_ID_PATTERN.test(id)) throw new IpcArgumentError('openRecent: the id must be a recent entry id');
  return id;
}

export function parseNoArguments(name: string, args: readonly unknown[]): void {
  if (args.length !== 0) throw new IpcArgumentError(`${name} takes no arguments, got ${args.length}`);
}

/**
 * A name the save dialog may suggest: one path segment, no separators or
 * control characters, not a dot name, none of the characters Windows forbids.
 */
export function isPlainFileName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_FILE_NAME_CHARS) return false;
  if (name === '.' || name === '..' || name.startsWith('.')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\:*?"<>|]/.test(name)) return false;
  return !/[. ]$/.test(name);
}
