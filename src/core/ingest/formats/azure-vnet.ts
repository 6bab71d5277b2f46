import type { JsonDocumentFormat } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const azureVnetFormat: JsonDocumentFormat = {
  id: 'azure-vnet',
  kind: 'json-document',
  description: 'Azure VNet flow logs (v4)',
  elementPaths: ['$.records.*'],
  sniff: () => 0,
  createParser: () => {
    throw new Error('azure-vnet parser not written yet');
  },
};
