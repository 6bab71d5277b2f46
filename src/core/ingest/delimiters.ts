/**
 * Header handling shared by free-form tables (generic flow CSV, inventories):
 * which separator a header uses, and column names compared without case,
 * punctuation or a byte-order mark ("Source Address" = "source_address").
 */
const SEPARATORS = [',', '\t', ';', '|'] as const;

/** The separator that splits the header line most often (comma when none does). */
export function mostFrequentSeparator(header: string): string {
  let best: string = ',';
  let bestCount = 0;
  for (const separator of SEPARATORS) {
    const count = header.split(separator).length - 1;
    if (count > bestCount) {
      best = separator;
      bestCount = count;
    }
  }
  return best;
}

export function normaliseColumnName(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[^a-z0-9]/g, '');
}
