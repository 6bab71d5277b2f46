import type { LineFormat } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const gcpVpcFormat: LineFormat = {
  id: 'gcp-vpc',
  kind: 'lines',
  description: 'GCP VPC flow logs (Cloud Logging JSON)',
  sniff: () => 0,
  createParser: () => {
    throw new Error('gcp-vpc parser not written yet');
  },
};
