/** Code-unit order: the same on every machine and locale, so sorted output is byte-identical everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
