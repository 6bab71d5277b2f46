import type { LineFormat, TabularSupport } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const nfdumpFormat: LineFormat & TabularSupport = {
  id: 'nfdump',
  kind: 'lines',
  description: 'nfdump CSV (1.7.x layouts)',
  sniff: () => 0,
  createParser: () => {
    throw new Error('nfdump parser not written yet');
  },
  tabularReader: () => null,
};
