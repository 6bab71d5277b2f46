import type { LineFormat, TabularSupport } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const pmacctFormat: LineFormat & TabularSupport = {
  id: 'pmacct',
  kind: 'lines',
  description: 'pmacct CSV or JSON',
  sniff: () => 0,
  createParser: () => {
    throw new Error('pmacct parser not written yet');
  },
  tabularReader: () => null,
};
