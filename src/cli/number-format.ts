/** Numbers for terminal output: grouped digits, shares as percentages. */
export const formatCount = (value: number): string => Math.round(value).toLocaleString('en');
export const formatShare = (share: number): string => `${(share * 100).toFixed(2)}%`;
