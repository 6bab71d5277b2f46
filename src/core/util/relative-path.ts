/**
 * Whether `path` names a file below a folder and nowhere else: parts joined
 * by "/", none empty, "." or "..", no backslash, not absolute. Paths read
 * back from files (an export's manifest, a version's zip) are data like any
 * other: one that could climb out of its folder is refused before any file
 * is read, written or removed by it.
 */
export function isRelativePathBelow(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || path.includes('\u0000')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
