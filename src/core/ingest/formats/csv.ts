import type { LineFormat, TabularSupport } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const csvFormat: LineFormat & TabularSupport = {
  id: 'csv',
  kind: 'lines',
  description: 'generic delimited text with a column mapping',
  sniff: () => 0,
  createParser: () => {
    throw new Error('csv parser not written yet');
  },
  tabularReader: () => null,
};
