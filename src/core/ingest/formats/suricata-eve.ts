import type { LineFormat } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const suricataEveFormat: LineFormat = {
  id: 'suricata-eve',
  kind: 'lines',
  description: 'Suricata eve.json flow events',
  sniff: () => 0,
  createParser: () => {
    throw new Error('suricata-eve parser not written yet');
  },
};
