const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const formatCount = (value: number): string => integer.format(value);

export function formatPercent(fraction: number): string {
  return `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "2025-08-20T08:32:55.000Z" → "2025-08-20 08:32:55 UTC" (flow times are always shown in UTC). */
export function formatUtc(iso: string | null): string {
  if (iso === null) return '—';
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}
