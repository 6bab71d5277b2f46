import type { LineFormat, TabularSupport } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const zeekConnFormat: LineFormat & TabularSupport = {
  id: 'zeek-conn',
  kind: 'lines',
  description: 'Zeek conn.log (TSV or JSON)',
  sniff: () => 0,
  createParser: () => {
    throw new Error('zeek-conn parser not written yet');
  },
  tabularReader: () => null,
};
