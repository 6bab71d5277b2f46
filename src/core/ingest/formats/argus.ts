import type { LineFormat, TabularSupport } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const argusFormat: LineFormat & TabularSupport = {
  id: 'argus',
  kind: 'lines',
  description: 'Argus binetflow',
  sniff: () => 0,
  createParser: () => {
    throw new Error('argus parser not written yet');
  },
  tabularReader: () => null,
};
